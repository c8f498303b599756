"""Multiplies a batch by a weight matrix of the wrong width, the classic shape bug."""
import numpy as np

batch = np.ones((32, 10))
weights = np.ones((12, 4))
print("epoch 1/2", flush=True)
logits = batch @ weights
print(logits.shape)
