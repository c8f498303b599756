"""A real scikit-learn training run: scipy's shared objects map hundreds of MiB of address space, resident far less."""
import pickle
import resource
import sys

from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier

X, y = load_breast_cancer(return_X_y=True)
model = RandomForestClassifier(n_estimators=50, random_state=0).fit(X, y)
print(f"accuracy={model.score(X, y):.3f}")
print(f"peak resident {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB")
with open(sys.argv[1], "wb") as f:
    pickle.dump(model, f)
print("saved model")
