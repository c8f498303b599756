"""Reference metric values from scikit-learn for the gate's tests.

Usage: python sklearn_reference.py CASE.json...
Each case file names a CSV (columns y, p_base, p_cand, [s_base, s_cand], w), the task and the
positive class. Prints one JSON object: case name -> metric -> {baseline, candidate,
candidate_weighted}, where *_weighted uses the column w as sample_weight (a bootstrap
resample's draw counts). Metrics scikit-learn cannot compute come out as null.
"""
import json
import sys
import warnings

import numpy as np
from sklearn import metrics as skm

warnings.simplefilter("ignore")


def regression(y, p, w):
    return {
        "rmse": skm.root_mean_squared_error(y, p, sample_weight=w),
        "mae": skm.mean_absolute_error(y, p, sample_weight=w),
        "r2": skm.r2_score(y, p, sample_weight=w),
        "mape": skm.mean_absolute_percentage_error(y, p, sample_weight=w),
    }


def refused_is_none(metric, *args, **kwargs):
    """scikit-learn raises where a metric does not apply (e.g. binary f1 on three classes)."""
    try:
        return metric(*args, **kwargs)
    except ValueError:
        return None


def classification(y, p, s, w, positive):
    values = {"accuracy": skm.accuracy_score(y, p, sample_weight=w)}
    for name, metric in (("precision", skm.precision_score), ("recall", skm.recall_score), ("f1", skm.f1_score)):
        values[name] = refused_is_none(metric, y, p, pos_label=positive, sample_weight=w, zero_division=np.nan)
    if s is not None:
        y_pos = (y == positive).astype(int)
        values["roc_auc"] = refused_is_none(skm.roc_auc_score, y_pos, s, sample_weight=w)
        values["pr_auc"] = None if y_pos.sum() == 0 else skm.average_precision_score(y_pos, s, sample_weight=w)
        values["log_loss"] = skm.log_loss(y_pos, y_proba=s, sample_weight=w, labels=[0, 1])
        values["brier"] = skm.brier_score_loss(y_pos, s, sample_weight=w)
    return values


def clean(values):
    return {k: (None if v is None or not np.isfinite(v) else float(v)) for k, v in values.items()}


def run(case):
    import csv

    with open(case["csv"], newline="") as f:
        rows = list(csv.DictReader(f))
    col = lambda name, kind=float: np.array([kind(r[name]) for r in rows])
    w = col("w")
    out = {}
    if case["task"] == "regression":
        y = col("y")
        for side in ("base", "cand"):
            out[side] = clean(regression(y, col("p_" + side), None))
        out["cand_weighted"] = clean(regression(y, col("p_cand"), w))
    else:
        kind = float if case["numeric"] else str
        y = col("y", kind)
        positive = kind(case["positive"])
        scored = "s_base" in rows[0]
        for side in ("base", "cand"):
            s = col("s_" + side) if scored else None
            out[side] = clean(classification(y, col("p_" + side, kind), s, None, positive))
        s = col("s_cand") if scored else None
        out["cand_weighted"] = clean(classification(y, col("p_cand", kind), s, w, positive))
    return out


if __name__ == "__main__":
    results = {}
    for path in sys.argv[1:]:
        with open(path) as f:
            case = json.load(f)
        results[case["name"]] = run(case)
    print(json.dumps(results))
