"""A tiny training script that works: reads the sample, 'trains', writes a model file."""
import csv
import os
import sys

data, epochs, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(data, newline="") as f:
    rows = list(csv.DictReader(f))
assert os.environ["MLOPS_SMOKE"] == "1"
assert int(os.environ["MLOPS_SMOKE_ROWS"]) == len(rows), (os.environ["MLOPS_SMOKE_ROWS"], len(rows))
assert int(os.environ["MLOPS_EPOCHS"]) == epochs
loss = 1.0
for epoch in range(1, epochs + 1):
    loss /= 2
    print(f"epoch {epoch}/{epochs} rows={len(rows)} loss={loss:.4f}")
with open(os.path.join(out, "model.txt"), "w") as f:
    f.write(f"weights trained on {len(rows)} rows\n")
print("saved model")
