#!/usr/bin/env python3
"""Trains the churn classifier and saves it as an MLflow model.

A scikit-learn pipeline (impute, scale, one-hot encode, logistic regression by SGD) trained for
--epochs passes over the data. The model is written with mlflow.sklearn.save_model, so MLflow's
own scoring server serves it (`mlflow models serve -m OUT/model --env-manager local`; it answers
with the predicted class), and its training metrics go to OUT/metrics.json.

    python train.py --data data/reference.csv --out /tmp/churn-run
    python train.py --data data/train.csv --drop-feature contract --out /tmp/worse   # mlops demo --regression
    MLOPS_SMOKE=1 MLOPS_EPOCHS=2 python train.py --data sample.csv --out /tmp/smoke   # what smoke-train runs

Under MLOPS_SMOKE=1 the epochs come from MLOPS_EPOCHS (the smoke step's --epochs) unless
--epochs is given, and the validation split is skipped when the sample is too small for it.
"""

import argparse
import json
import os
import sys
import tempfile

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from churn_features import BOOLEAN, CATEGORICAL, FEATURES, LABEL, NUMERIC, features, read_table

DEFAULT_EPOCHS = 20


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", required=True, action="append", help="training table (repeatable: the tables are concatenated)"
    )
    parser.add_argument("--out", required=True, help="directory for model/ and metrics.json (created)")
    parser.add_argument(
        "--epochs",
        type=int,
        default=None,
        help=f"passes over the data (default {DEFAULT_EPOCHS}; MLOPS_EPOCHS under MLOPS_SMOKE=1)",
    )
    parser.add_argument("--seed", type=int, default=7)
    # A change a pull request might bring (a feature judged redundant, a column a source stopped
    # sending): the model trains without it, and the gate decides whether that is acceptable.
    parser.add_argument(
        "--drop-feature",
        action="append",
        default=[],
        choices=FEATURES,
        metavar="NAME",
        help="train without this feature (repeatable); the served model still accepts the column",
    )
    args = parser.parse_args(argv)
    smoke = os.environ.get("MLOPS_SMOKE") == "1"
    if args.epochs is None:
        args.epochs = int(os.environ.get("MLOPS_EPOCHS", "2")) if smoke else DEFAULT_EPOCHS
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    args.smoke = smoke
    return args


def pipeline(seed, dropped=()):
    numeric = [name for name in NUMERIC + BOOLEAN if name not in dropped]
    categorical = [name for name in CATEGORICAL if name not in dropped]
    preprocess = ColumnTransformer(
        [
            (
                "numeric",
                Pipeline(
                    [("impute", SimpleImputer(strategy="median", add_indicator=True)), ("scale", StandardScaler())]
                ),
                numeric,
            ),
            # A category the training data never saw (a new payment method) maps to all zeros, not an error.
            (
                "categorical",
                Pipeline(
                    [
                        ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
                        ("onehot", OneHotEncoder(handle_unknown="ignore")),
                    ]
                ),
                categorical,
            ),
        ]
    )
    classifier = SGDClassifier(loss="log_loss", alpha=1e-4, learning_rate="adaptive", eta0=0.01, random_state=seed)
    return Pipeline([("preprocess", preprocess), ("classifier", classifier)])


def fit(model, x, y, epochs):
    """Epochs as passes of partial_fit, so --epochs means what it says."""
    preprocess, classifier = model.named_steps["preprocess"], model.named_steps["classifier"]
    encoded = preprocess.fit_transform(x)
    classes = np.array([0, 1])
    for _ in range(epochs):
        classifier.partial_fit(encoded, y, classes=classes)
    return model


def evaluate(model, x, y):
    score = model.predict_proba(x)[:, 1]
    metrics = {"accuracy": accuracy_score(y, (score >= 0.5).astype(int)), "log_loss": log_loss(y, score, labels=[0, 1])}
    if len(set(y)) == 2:
        metrics["roc_auc"] = roc_auc_score(y, score)
    return {name: float(value) for name, value in metrics.items()}


def save(model, metrics, out, x):
    import mlflow.sklearn
    from mlflow.models import infer_signature

    os.makedirs(out, exist_ok=True)
    model_dir = os.path.join(out, "model")
    if os.path.exists(model_dir):
        raise SystemExit(f"{model_dir} exists already: give a fresh --out")
    example = x.head(5)
    # The scoring server answers with the predicted class (churn or not): what the shadow compares
    # and the canary judges; evaluate.py reads the probabilities through mlflow.sklearn.
    signature = infer_signature(example, model.predict(example))
    # skops (MLflow's safe default format) audits the types it loads; numpy.dtype is the one
    # OneHotEncoder's dtype parameter adds, and it is safe.
    mlflow.sklearn.save_model(
        model, model_dir, signature=signature, input_example=example, skops_trusted_types=["numpy.dtype"]
    )
    fd, tmp = tempfile.mkstemp(prefix=".metrics-", dir=out)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(metrics, handle, indent=2, sort_keys=True)
    os.replace(tmp, os.path.join(out, "metrics.json"))


def main(argv=None):
    args = parse_args(argv)
    table = pd.concat([read_table(path) for path in args.data], ignore_index=True)
    if LABEL not in table.columns:
        raise SystemExit(f"no label column '{LABEL}' in {args.data}")
    x, y = features(table), table[LABEL].astype(int).to_numpy()
    without = f", without {', '.join(args.drop_feature)}" if args.drop_feature else ""
    print(f"train: {len(table)} rows, {args.epochs} epochs{without}{' (smoke)' if args.smoke else ''}", file=sys.stderr)
    # Early stopping is not used: a 20% validation split reports how well the epochs generalise.
    if len(table) >= 50 and min(np.bincount(y, minlength=2)) >= 5:
        x_fit, x_val, y_fit, y_val = train_test_split(x, y, test_size=0.2, stratify=y, random_state=args.seed)
    else:
        x_fit, x_val, y_fit, y_val = x, x, y, y
    model = fit(pipeline(args.seed, args.drop_feature), x_fit, y_fit, args.epochs)
    metrics = {"train_" + k: v for k, v in evaluate(model, x_fit, y_fit).items()}
    metrics.update({"validation_" + k: v for k, v in evaluate(model, x_val, y_val).items()})
    metrics.update({"rows": len(table), "epochs": args.epochs})
    if args.drop_feature:
        metrics["dropped_features"] = args.drop_feature
    save(model, metrics, args.out, x)
    print(
        "train: " + ", ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in metrics.items()),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
