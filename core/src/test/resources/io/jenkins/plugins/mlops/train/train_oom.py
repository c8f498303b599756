"""Allocates far past the memory limit, as a script that loads a full dataset into RAM would."""
import numpy as np

print("loading features", flush=True)
features = np.ones((1 << 28,), dtype=np.float64)  # 2 GiB
print("never printed", features.sum())
