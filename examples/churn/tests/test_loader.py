"""The loader and the preprocessing on the data that breaks pipelines: NaNs and a category never seen."""

import numpy as np

import train
from churn_features import CATEGORICAL, LABEL, NUMERIC, features, read_table


def fitted(reference):
    x, y = features(reference), reference[LABEL].astype(int).to_numpy()
    return train.fit(train.pipeline(seed=7), x, y, epochs=2)


def test_the_loader_keeps_nans_for_the_imputer(tmp_path, reference):
    rows = reference.head(30).copy()
    rows.loc[rows.index[:10], NUMERIC] = np.nan
    rows.loc[rows.index[:10], CATEGORICAL] = None
    path = tmp_path / "gaps.csv"
    rows.to_csv(path, index=False)

    frame = features(read_table(str(path)))

    assert frame.loc[frame.index[:10], NUMERIC].isna().all().all()
    assert frame.loc[frame.index[10:], "tenure_months"].notna().all()


def test_a_model_trains_and_scores_on_a_file_with_gaps_in_every_feature(tmp_path, reference):
    rows = reference.head(300).copy()
    for offset, name in enumerate(CATEGORICAL + NUMERIC):
        rows.loc[rows.index[offset::10], name] = None
    path = tmp_path / "gaps.csv"
    rows.to_csv(path, index=False)
    table = read_table(str(path))

    model = fitted(table)
    score = model.predict_proba(features(table))[:, 1]

    assert features(table)[CATEGORICAL].isna().any().all()
    assert np.isfinite(score).all()


def test_a_category_the_training_data_never_had_is_scored_not_refused(reference):
    model = fitted(reference.head(500))
    rows = features(reference.tail(20))
    rows["payment_method"] = "digital wallet"
    rows["contract"] = "ten year"

    score = model.predict_proba(rows)[:, 1]

    assert len(score) == 20 and np.isfinite(score).all()


def test_training_on_a_new_category_and_gaps_works(reference):
    rows = reference.head(200).copy()
    rows.loc[rows.index[:50], "payment_method"] = "digital wallet"
    rows.loc[rows.index[50:60], "monthly_charges"] = np.nan

    model = fitted(rows)

    assert np.isfinite(model.predict_proba(features(rows))[:, 1]).all()
