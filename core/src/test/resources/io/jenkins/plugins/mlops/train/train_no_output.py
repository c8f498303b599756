"""Trains, prints a success message, and forgets to save the model."""
print("epoch 1/2 loss=0.5")
print("epoch 2/2 loss=0.25")
print("training finished")
