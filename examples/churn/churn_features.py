"""The features train.py and evaluate.py share: one definition, so a model is scored on what it learned from."""

import numpy as np
import pandas as pd

LABEL = "churned"
ID = "customer_id"
CATEGORICAL = ["gender", "region", "contract", "payment_method", "internet_service"]
NUMERIC = [
    "age",
    "tenure_months",
    "monthly_charges",
    "total_charges",
    "support_calls",
    "last_login_days",
    "satisfaction_score",
]
BOOLEAN = ["paperless_billing"]
FEATURES = CATEGORICAL + NUMERIC + BOOLEAN


def read_table(path):
    """Reads CSV, Parquet or JSON lines, as the mlops steps do."""
    if path.endswith(".parquet"):
        table = pd.read_parquet(path)
    elif path.endswith(".jsonl") or path.endswith(".json"):
        table = pd.read_json(path, lines=path.endswith(".jsonl"))
    else:
        table = pd.read_csv(path)
    missing = [name for name in FEATURES + [ID] if name not in table.columns]
    if missing:
        raise SystemExit(f"{path}: missing columns {missing}")
    return table


def features(table):
    """The model's input: categories as text, numbers as floats (gaps stay NaN for the imputer)."""
    frame = table[FEATURES].copy()
    for name in CATEGORICAL:
        # A gap must be NaN, not pandas' NA: the imputer tests "x != x", and NA refuses to be a boolean.
        text = frame[name].astype("string")
        frame[name] = text.astype(object).where(text.notna(), np.nan)
    for name in NUMERIC + BOOLEAN:
        frame[name] = pd.to_numeric(
            frame[name].map({True: 1, False: 0, "true": 1, "false": 0}) if name in BOOLEAN else frame[name],
            errors="coerce",
        ).astype(float)
    return frame
