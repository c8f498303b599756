"""Diverges: the loss becomes NaN, and the script carries on and exits 0."""
import math

loss = 1.0
for epoch in range(1, 3):
    loss = loss * 1e308 * 10 - loss * 1e308 * 10 if epoch > 1 else loss
    print(f"epoch {epoch}/2 loss={loss}")
    if math.isnan(loss):
        print("warning: loss is not finite, continuing anyway")
print("done")
