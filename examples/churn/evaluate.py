#!/usr/bin/env python3
"""Writes a model's predictions on a hold-out table, the file `mlops gate` compares.

One row per customer: customer_id, churned (the label), predicted (the class at threshold 0.5)
and score (the churn probability), plus the columns named by --with (e.g. contract, to gate
per segment). --model takes a saved model directory or any MLflow model
URI (models:/churn@champion, runs:/..., file:...). --prior TABLE scores the class-prior
baseline of TABLE instead (every customer gets the training churn rate): what a first model,
with no production model to beat, is compared with.

    python evaluate.py --model /tmp/churn-run/model --data data/current.csv --out candidate.csv
    python evaluate.py --prior data/reference.csv --data data/current.csv --out prior.csv
"""

import argparse
import os
import sys
import tempfile

import numpy as np
import pandas as pd

from churn_features import ID, LABEL, features, read_table


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--model", help="saved model directory or MLflow model URI")
    source.add_argument("--prior", metavar="TABLE", help="score the class-prior baseline of this training table")
    parser.add_argument("--data", required=True, help="labelled hold-out table")
    parser.add_argument("--out", required=True, help="predictions file (CSV)")
    parser.add_argument(
        "--with",
        dest="extra",
        action="append",
        default=[],
        metavar="COLUMN",
        help="also copy this column of the hold-out table (repeatable), e.g. for the gate's slices",
    )
    return parser.parse_args(argv)


def scores(args, table):
    if args.prior:
        rate = read_table(args.prior)[LABEL].astype(int).mean()
        return np.full(len(table), rate)
    import mlflow.sklearn

    uri = (
        args.model
        if "://" in args.model or args.model.startswith(("models:", "runs:"))
        else os.path.abspath(args.model)
    )
    model = mlflow.sklearn.load_model(uri)
    return model.predict_proba(features(table))[:, 1]


def main(argv=None):
    args = parse_args(argv)
    table = read_table(args.data)
    if LABEL not in table.columns:
        raise SystemExit(f"{args.data}: no label column '{LABEL}': the hold-out set must be labelled")
    score = scores(args, table)
    out = pd.DataFrame(
        {
            ID: table[ID],
            LABEL: table[LABEL].astype(int),
            "predicted": (score >= 0.5).astype(int),
            "score": np.round(score, 6),
        }
    )
    for name in args.extra:
        if name not in table.columns:
            raise SystemExit(f"{args.data}: no column '{name}' to copy (--with)")
        out[name] = table[name]
    target = os.path.abspath(args.out)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".predictions-", suffix=".csv", dir=os.path.dirname(target))
    os.close(fd)
    out.to_csv(tmp, index=False)
    os.replace(tmp, target)
    print(f"evaluate: {len(out)} predictions of {args.model or 'the class prior'} to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
