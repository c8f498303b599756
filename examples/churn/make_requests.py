#!/usr/bin/env python3
"""Writes hold-out rows as request bodies for MLflow's scoring server, one JSON body per line.

The traffic the shadow and canary stages replay through the router (`replay:` in mlops.yaml):
each body is one customer in MLflow's dataframe_split format, with the features as the model's
signature has them.

    python make_requests.py --data data/holdout.csv --rows 400 --out data/requests.jsonl
"""

import argparse
import json
import math
import os
import sys
import tempfile

from churn_features import FEATURES, features, read_table


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--rows", type=int, default=400, help="requests to write (default 400)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    frame = features(read_table(args.data)).head(args.rows)
    target = os.path.abspath(args.out)
    fd, tmp = tempfile.mkstemp(prefix=".requests-", dir=os.path.dirname(target))
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        for row in frame.itertuples(index=False):
            # JSON has no NaN: a gap is null, which the model's imputer fills.
            values = [None if isinstance(v, float) and math.isnan(v) else v for v in row]
            handle.write(json.dumps({"dataframe_split": {"columns": FEATURES, "data": [values]}}) + "\n")
    os.replace(tmp, target)
    print(f"make_requests: {len(frame)} request bodies to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
