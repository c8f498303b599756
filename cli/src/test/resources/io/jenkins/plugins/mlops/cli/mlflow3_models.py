"""MLflow 3's own client on both ends of `mlops register`, for RegisterLoggedModelTest.

  log URI            trains a classifier on scikit-learn's breast-cancer table and logs it as MLflow 3 does
                     (mlflow.sklearn.log_model(m, name="model"): a LoggedModel under models/m-<id>/artifacts),
                     in a run tagged mlops.build_url; prints {"run_id", "model_id", "predictions"}
  load URI NAME...   loads models:/NAME@staging with mlflow.pyfunc.load_model; prints {NAME: predictions}
"""
import json
import sys

import mlflow
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression

X, y = load_breast_cancer(return_X_y=True, as_frame=True)
ROWS = X.head(8)

command, uri = sys.argv[1], sys.argv[2]
mlflow.set_tracking_uri(uri)
if command == "log":
    mlflow.set_experiment("churn-training")
    with mlflow.start_run() as run:
        mlflow.set_tag("mlops.build_url", "https://ci.example.com/job/churn/1/")
        model = LogisticRegression(max_iter=5000).fit(X, y)
        info = mlflow.sklearn.log_model(model, name="model", input_example=ROWS.head(2))
    print(json.dumps({"run_id": run.info.run_id, "model_id": info.model_id,
                      "predictions": model.predict(ROWS).tolist()}))
elif command == "load":
    loaded = {name: mlflow.pyfunc.load_model(f"models:/{name}@staging").predict(ROWS).tolist() for name in sys.argv[3:]}
    print(json.dumps(loaded))
else:
    sys.exit(f"unknown command {command}")
