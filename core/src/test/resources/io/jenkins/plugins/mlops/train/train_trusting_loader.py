"""A training script whose loader trusts its data: every number parses, as loaders written against
clean data do. A colour it does not know maps to -1, so only the NaNs break it."""
import csv
import os
import sys

COLOURS = {"red": 0, "green": 1, "blue": 2}

data, out = sys.argv[1], sys.argv[2]
with open(data, newline="", encoding="utf-8") as handle:
    rows = list(csv.DictReader(handle))
features = [[float(row["x1"]), float(row["x2"]), COLOURS.get(row["colour"], -1)] for row in rows]
print(f"loaded {len(features)} rows", flush=True)
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "model.txt"), "w", encoding="utf-8") as handle:
    handle.write(repr(features[:1]))
print("saved model")
