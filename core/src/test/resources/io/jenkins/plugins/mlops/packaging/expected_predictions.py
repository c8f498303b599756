"""Writes a scoring request for the churn model and what the model predicts for it in Python.

    python expected_predictions.py CHURN_DIR DATA.csv ROWS MODEL_DIR OUT_DIR

OUT_DIR/body.json is a dataframe_split request of ROWS customers, as the example's make_requests.py
builds them; OUT_DIR/expected.json is MLflow's JSON of the model's predictions for the same rows.
"""

import json
import math
import sys

import mlflow.pyfunc
import pandas as pd
from mlflow.pyfunc.scoring_server import predictions_to_json

churn_dir, data, rows, model_dir, out = sys.argv[1:6]
sys.path.insert(0, churn_dir)
from churn_features import FEATURES, features, read_table  # noqa: E402

frame = features(read_table(data)).head(int(rows))
values = [[None if isinstance(v, float) and math.isnan(v) else v for v in row] for row in frame.itertuples(index=False)]
body = {"dataframe_split": {"columns": FEATURES, "data": values}}
with open(f"{out}/body.json", "w", encoding="utf-8") as handle:
    json.dump(body, handle)
model = mlflow.pyfunc.load_model(model_dir)
predictions = model.predict(pd.DataFrame(values, columns=FEATURES))
with open(f"{out}/expected.json", "w", encoding="utf-8") as handle:
    predictions_to_json(predictions, handle)
