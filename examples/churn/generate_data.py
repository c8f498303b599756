#!/usr/bin/env python3
"""Generates a synthetic customer-churn table for the mlops example.

Standard library only, so it runs on a fresh machine with plain python3. The same
--seed and options give byte-identical output. The label `churned` is drawn from a
logistic model of the features, so a classifier can learn it. --drift is a real business
change: it shifts columns (a price rise, a new payment method, more month-to-month
contracts), so that validate-data has something to find, and it changes behaviour too
(month-to-month customers react more to price, wallet payers churn more), so that a model
trained before it loses to one retrained after it.

    python3 generate_data.py --rows 5000 --seed 1 --out data/reference.csv
    python3 generate_data.py --rows 5000 --seed 2 --id-start 5001 --out data/current.csv
    python3 generate_data.py --rows 5000 --seed 3 --id-start 5001 --drift --out data/drifted.csv
"""

import argparse
import csv
import datetime
import json
import math
import os
import random
import sys
import tempfile

COLUMNS = [
    "customer_id",
    "signup_date",
    "age",
    "gender",
    "region",
    "contract",
    "payment_method",
    "paperless_billing",
    "internet_service",
    "tenure_months",
    "monthly_charges",
    "total_charges",
    "support_calls",
    "last_login_days",
    "satisfaction_score",
    "churned",
]

# Snapshot day the table describes; signup dates are counted back from it.
SNAPSHOT = datetime.date(2026, 10, 31)

REGIONS = (["north", "south", "east", "west", "central"], [0.22, 0.24, 0.18, 0.21, 0.15])
GENDERS = (["female", "male", "other"], [0.49, 0.49, 0.02])
INTERNET = (["fiber optic", "dsl", "none"], [0.44, 0.34, 0.22])
CONTRACTS = (["month-to-month", "one year", "two year"], [0.55, 0.21, 0.24])
CONTRACTS_DRIFTED = (["month-to-month", "one year", "two year"], [0.75, 0.15, 0.10])
PAYMENTS = (["electronic check", "mailed check", "bank transfer", "credit card"], [0.34, 0.23, 0.22, 0.21])
# A wallet launched after the reference was taken: a category the reference never saw.
PAYMENTS_DRIFTED = (
    ["electronic check", "mailed check", "bank transfer", "credit card", "digital wallet"],
    [0.26, 0.15, 0.17, 0.17, 0.25],
)

BASE_CHARGE = {"fiber optic": 70.0, "dsl": 45.0, "none": 20.0}
PRICE_RISE = 1.18  # --drift: monthly charges up 18%
# --drift changes behaviour too (concept drift), so a model trained before it scores worse after it:
# month-to-month customers, free to leave any month, now react to what they pay (per dollar over
# 60, on top of the usual effect), and wallet payers churn at their own, higher rate.
MONTH_TO_MONTH_PRICE_SENSITIVITY = 0.06
DIGITAL_WALLET_CHURN = 1.2


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000, help="number of customers (default 5000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--id-start", type=int, default=1, help="first customer_id; a later batch continues the ids (default 1)"
    )
    parser.add_argument(
        "--drift",
        action="store_true",
        help="shift monthly_charges up, add a payment method, move contracts to month-to-month, "
        "and change who churns (month-to-month customers more price-sensitive, "
        "wallet payers more likely)",
    )
    parser.add_argument("--out", required=True, help="output file: CSV, or JSON lines when it ends in .jsonl")
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be at least 1")
    if args.id_start < 0:
        parser.error("--id-start must not be negative")
    return args


def pick(rng, choices):
    values, weights = choices
    return rng.choices(values, weights)[0]


def poisson(rng, mean):
    # Knuth's method: fine for the small means used here, and reproducible across Pythons.
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def customer(rng, customer_id, drift):
    contract = pick(rng, CONTRACTS_DRIFTED if drift else CONTRACTS)
    internet = pick(rng, INTERNET)
    payment = pick(rng, PAYMENTS_DRIFTED if drift else PAYMENTS)

    # Long contracts go with long tenure; month-to-month customers come and go.
    mean_tenure = {"month-to-month": 14.0, "one year": 32.0, "two year": 50.0}[contract]
    tenure = min(72, max(0, int(rng.expovariate(1.0 / mean_tenure))))

    charge = BASE_CHARGE[internet] + rng.gauss(0.0, 8.0) + 0.4 * rng.randint(0, 25)
    if drift:
        charge *= PRICE_RISE
    monthly = round(max(18.25, charge), 2)
    # New customers (tenure 0) have not been billed yet: total_charges is empty, as in real exports.
    total = round(monthly * tenure * rng.uniform(0.95, 1.05), 2) if tenure > 0 else None

    age = int(min(90, max(18, rng.gauss(44.0, 15.0))))
    support_calls = poisson(rng, 1.2 + (1.3 if internet == "fiber optic" else 0.0))
    last_login = int(rng.expovariate(1.0 / 9.0))
    satisfaction = min(5, max(1, int(round(rng.gauss(3.6 - 0.3 * support_calls, 1.0)))))

    score = (
        -1.6
        + (1.1 if contract == "month-to-month" else -0.9 if contract == "two year" else 0.0)
        - 0.045 * tenure
        + 0.018 * (monthly - 60.0)
        + 0.32 * support_calls
        + (0.45 if payment == "electronic check" else 0.0)
        + (0.35 if internet == "fiber optic" else 0.0)
        - 0.45 * (satisfaction - 3)
        + 0.03 * min(last_login, 60)
        - 0.01 * (age - 44)
    )
    if drift:
        if contract == "month-to-month":
            score += MONTH_TO_MONTH_PRICE_SENSITIVITY * (monthly - 60.0)
        if payment == "digital wallet":
            score += DIGITAL_WALLET_CHURN
    churned = 1 if rng.random() < 1.0 / (1.0 + math.exp(-score)) else 0

    # A few realistic gaps: age missing from some sign-up forms, surveys left unanswered.
    if rng.random() < 0.01:
        age = None
    if rng.random() < 0.06:
        satisfaction = None

    signup = SNAPSHOT - datetime.timedelta(days=int(tenure * 30.44) + rng.randint(0, 29))
    return {
        "customer_id": customer_id,
        "signup_date": signup.isoformat(),
        "age": age,
        "gender": pick(rng, GENDERS),
        "region": pick(rng, REGIONS),
        "contract": contract,
        "payment_method": payment,
        "paperless_billing": rng.random() < (0.7 if contract == "month-to-month" else 0.45),
        "internet_service": internet,
        "tenure_months": tenure,
        "monthly_charges": monthly,
        "total_charges": total,
        "support_calls": support_calls,
        "last_login_days": last_login,
        "satisfaction_score": satisfaction,
        "churned": churned,
    }


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.2f}"
    return value


def write_rows(handle, rows, as_json_lines):
    if as_json_lines:
        for row in rows:
            handle.write(json.dumps(row, separators=(",", ":")) + "\n")
        return
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(row[name]) for name in COLUMNS])


def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def main(argv=None):
    args = parse_args(argv)
    rng = random.Random(args.seed)
    rows = (customer(rng, args.id_start + i, args.drift) for i in range(args.rows))
    out = os.path.abspath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    # Write beside the target, then rename: a reader never sees half a file.
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=os.path.dirname(out))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            write_rows(handle, rows, out.endswith(".jsonl"))
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp makes 0600; give the file normal permissions
        os.replace(tmp, out)
    except BaseException:
        os.unlink(tmp)
        raise
    print(f"wrote {args.rows} rows to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
