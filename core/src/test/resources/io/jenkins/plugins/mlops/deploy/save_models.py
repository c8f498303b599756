"""Trains two real scikit-learn classifiers on the breast-cancer table scikit-learn ships, saves
them with mlflow.sklearn.save_model, and writes request bodies (MLflow dataframe_split, 4 rows
each) for replaying through the router. Usage: save_models.py OUT_DIR"""
import json
import sys
from pathlib import Path

import mlflow.sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.naive_bayes import GaussianNB

out = Path(sys.argv[1])
data = load_breast_cancer(as_frame=True)
X_train, X_test, y_train, _ = train_test_split(data.data, data.target, test_size=0.3, random_state=7)
primary = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(X_train, y_train)
shadow = GaussianNB().fit(X_train, y_train)
mlflow.sklearn.save_model(primary, str(out / "primary"))
mlflow.sklearn.save_model(shadow, str(out / "shadow"))

with open(out / "requests.jsonl", "w") as requests:
    for start in range(0, 160, 4):
        batch = X_test.iloc[start:start + 4]
        requests.write(json.dumps({"dataframe_split": batch.to_dict(orient="split", index=False)}) + "\n")
expected = (primary.predict(X_test.iloc[:160]) == shadow.predict(X_test.iloc[:160])).mean()
(out / "expected_agreement.txt").write_text(repr(float(expected)))
