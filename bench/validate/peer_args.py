"""The command line every peer script of bench/validate takes, so bench.py calls them alike.

Standard library only: each peer runs in its own venv.
"""

import argparse
import json


def parse(argv, description):
    """Returns the parsed --reference/--current/--checks/--out arguments and checks.json's content."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--current", required=True)
    parser.add_argument("--checks", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    with open(args.checks, encoding="utf-8") as handle:
        return args, json.load(handle)
