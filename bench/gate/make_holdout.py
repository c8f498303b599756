"""Writes the benchmark's hold-out set: N rows of a binary problem, baseline and candidate
predictions (class and positive-class probability), fixed seed. Rows pair by position."""
import sys

import numpy as np
import pandas as pd

rows, out_dir, seed = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
rng = np.random.default_rng(seed)
y = (rng.random(rows) < 0.3).astype(np.int64)
# Probabilities rounded to 3 decimals: many ties, as real calibrated scores have.
base = np.clip(0.3 + 0.30 * (y - 0.3) + rng.normal(0, 0.2, rows), 0, 1).round(3)
cand = np.clip(0.3 + 0.32 * (y - 0.3) + rng.normal(0, 0.2, rows), 0, 1).round(3)
for name, proba in (("baseline", base), ("candidate", cand)):
    pd.DataFrame({"y": y, "pred": (proba >= 0.5).astype(np.int64), "proba": proba}).to_csv(
        f"{out_dir}/{name}.csv", index=False)
