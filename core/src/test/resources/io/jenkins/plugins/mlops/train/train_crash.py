"""Fails with an error that is none of the known classes."""
print("epoch 1/2 loss=0.5", flush=True)
raise RuntimeError("checkpoint directory is read-only")
