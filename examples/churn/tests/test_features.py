"""churn_features: the one definition of the model's input that train.py and evaluate.py share."""

import pandas as pd
import pytest

from churn_features import BOOLEAN, CATEGORICAL, FEATURES, ID, LABEL, NUMERIC, features, read_table


def test_features_are_the_feature_columns_in_order(reference):
    frame = features(reference)
    assert list(frame.columns) == FEATURES
    assert LABEL not in frame.columns and ID not in frame.columns
    assert len(frame) == len(reference)


def test_numbers_become_floats_and_booleans_ones_and_zeros(reference):
    frame = features(reference)
    for name in NUMERIC + BOOLEAN:
        assert frame[name].dtype == float, name
    assert set(frame["paperless_billing"].dropna()) <= {0.0, 1.0}


def test_categories_stay_text(reference):
    frame = features(reference)
    for name in CATEGORICAL:
        assert frame[name].map(lambda v: isinstance(v, str) or pd.isna(v)).all(), name


def test_read_table_refuses_a_table_without_a_feature_column(tmp_path, reference):
    path = tmp_path / "no-contract.csv"
    reference.drop(columns=["contract"]).head(10).to_csv(path, index=False)
    with pytest.raises(SystemExit, match="contract"):
        read_table(str(path))


def test_read_table_reads_json_lines_as_csv(tmp_path, reference):
    head = reference.head(20)
    head.to_csv(tmp_path / "t.csv", index=False)
    head.to_json(tmp_path / "t.jsonl", orient="records", lines=True)
    from_csv = features(read_table(str(tmp_path / "t.csv")))
    from_jsonl = features(read_table(str(tmp_path / "t.jsonl")))
    pd.testing.assert_frame_equal(from_csv[NUMERIC], from_jsonl[NUMERIC])
