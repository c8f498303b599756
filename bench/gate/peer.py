"""The peer: the gate's computation written with scikit-learn and numpy as an ML engineer would.

Reads both prediction files, computes the point metrics with scikit-learn, then the paired
bootstrap: each resample draws n row indices with replacement (numpy), scores BOTH models on
those rows with the same scikit-learn functions, and keeps candidate - baseline; percentile
intervals at the end. Resamples are spread over one process per core, as the gate uses one
thread per core. Prints a JSON object with the values and timings.
"""
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
from sklearn import metrics as skm

METRICS = {
    "accuracy": lambda y, p, s: skm.accuracy_score(y, p),
    "f1": lambda y, p, s: skm.f1_score(y, p),
    "roc_auc": lambda y, p, s: skm.roc_auc_score(y, s),
    "log_loss": lambda y, p, s: skm.log_loss(y, y_proba=s, labels=[0, 1]),
    "brier": lambda y, p, s: skm.brier_score_loss(y, s),
}

DATA = {}


def evaluate(y, p, s):
    return [f(y, p, s) for f in METRICS.values()]


def resamples(task):
    start, stop, seed = task
    y, pb, sb, pc, sc = (DATA[k] for k in ("y", "pb", "sb", "pc", "sc"))
    n = len(y)
    out = []
    for b in range(start, stop):
        idx = np.random.default_rng([seed, b]).integers(0, n, n)
        yb = y[idx]
        base = evaluate(yb, pb[idx], sb[idx])
        cand = evaluate(yb, pc[idx], sc[idx])
        out.append([c - a for a, c in zip(base, cand)])
    return out


def main():
    baseline, candidate, n_resamples, seed, confidence = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    started = time.perf_counter()
    b = pd.read_csv(baseline)
    c = pd.read_csv(candidate)
    DATA.update(y=c["y"].to_numpy(), pb=b["pred"].to_numpy(), sb=b["proba"].to_numpy(),
                pc=c["pred"].to_numpy(), sc=c["proba"].to_numpy())
    loaded = time.perf_counter()
    point = {name: {"baseline": vb, "candidate": vc} for name, vb, vc in zip(
        METRICS, evaluate(DATA["y"], DATA["pb"], DATA["sb"]), evaluate(DATA["y"], DATA["pc"], DATA["sc"]))}
    pointed = time.perf_counter()
    workers = os.cpu_count()
    chunks = [(i * n_resamples // workers, (i + 1) * n_resamples // workers, seed) for i in range(workers)]
    with ProcessPoolExecutor(max_workers=workers) as pool:  # fork: workers share DATA
        diffs = np.array([row for part in pool.map(resamples, chunks) for row in part])
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(diffs, [tail, 100 - tail], axis=0)
    for i, name in enumerate(METRICS):
        point[name]["ci_low"], point[name]["ci_high"] = float(low[i]), float(high[i])
    finished = time.perf_counter()
    print(json.dumps({"metrics": point, "workers": workers, "resamples": n_resamples, "load_s": loaded - started,
                      "point_s": pointed - loaded, "bootstrap_s": finished - pointed, "total_s": finished - started}))


if __name__ == "__main__":
    main()
