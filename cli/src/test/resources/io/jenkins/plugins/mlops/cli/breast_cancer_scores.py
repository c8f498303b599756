"""Two real models' probabilities on a breast-cancer hold-out, and scikit-learn's metrics of them.

Writes baseline.csv and candidate.csv (id, label, score) into the directory given, and prints
scikit-learn's roc_auc, and accuracy and f1 of the class at the 0.5 threshold, as JSON.
"""
import json
import sys

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

out = sys.argv[1]
X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=0, stratify=y)
models = {"baseline": GaussianNB(), "candidate": make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))}
reference = {}
for name, model in models.items():
    score = model.fit(X_train, y_train).predict_proba(X_test)[:, 1]
    with open(f"{out}/{name}.csv", "w") as f:
        f.write("id,label,score\n")
        for i, (label, p) in enumerate(zip(y_test, score)):
            f.write(f"{i},{label},{float(p)!r}\n")
    predicted = (score >= 0.5).astype(int)
    reference[name] = {"roc_auc": roc_auc_score(y_test, score), "accuracy": accuracy_score(y_test, predicted),
                       "f1": f1_score(y_test, predicted)}
print(json.dumps(reference))
