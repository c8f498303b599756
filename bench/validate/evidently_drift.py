"""Evidently side of bench/validate: DataDriftPreset on the reference and the current file.

Reads both files (CSV or Parquet) with pandas, declares the drift columns of checks.json (numbers and
categories; the id, the date and the free-text referral code are left out, as the other
tools leave them out of drift), runs the preset with its default tests (Wasserstein /
Jensen-Shannon at this size), and writes the snapshot JSON. Exit 0 when no column drifted,
1 when any did (the same rule mlops and the GE suite apply).
"""

import json
import sys

import pandas as pd
from evidently import DataDefinition, Dataset, Report
from evidently.presets import DataDriftPreset

import peer_args


def main(argv=None):
    args, spec = peer_args.parse(argv, __doc__)

    columns = spec["columns"]
    numerical = [n for n, c in columns.items() if not c.get("id") and c["type"] in ("integer", "float")]
    categorical = [n for n, c in columns.items() if c["type"] == "boolean" or "allowed" in c]
    definition = DataDefinition(numerical_columns=numerical, categorical_columns=categorical)

    reference = Dataset.from_pandas(read(args.reference), data_definition=definition)
    current = Dataset.from_pandas(read(args.current), data_definition=definition)
    snapshot = Report([DataDriftPreset(columns=numerical + categorical)]).run(current, reference)
    result = snapshot.dict()
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, default=str)

    # DriftedColumnsCount is Evidently's own verdict: how many columns crossed their threshold.
    count = next(m["value"] for m in result["metrics"] if m["config"]["type"].endswith("DriftedColumnsCount"))
    drifted = [m["config"]["column"] for m in result["metrics"]
               if m["config"]["type"].endswith("ValueDrift") and crossed(m)]
    print(f"evidently: {len(numerical) + len(categorical)} columns tested, {int(count['count'])} drifted: "
          + ", ".join(drifted), file=sys.stderr)
    return 1 if count["count"] > 0 else 0


def read(path):
    return pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path)


def crossed(metric):
    # Distances drift above their threshold; p-values (small samples) drift below it.
    method, value, threshold = metric["config"]["method"], metric["value"], metric["config"]["threshold"]
    return value < threshold if "p_value" in method or "test" in method.lower() else value >= threshold


if __name__ == "__main__":
    sys.exit(main())
