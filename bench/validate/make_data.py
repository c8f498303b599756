"""Writes the benchmark's wide churn table (23 mixed columns) with DuckDB: CSV, or Parquet by extension.

Every random draw is a hash of (row, seed, column salt), not DuckDB's random(): the
output is the same for the same --seed however many threads write it. The columns
extend the churn example (examples/churn/generate_data.py) with more numeric,
categorical and high-cardinality string columns; --drift applies the example's drift
(18% price rise, a new payment method, more month-to-month contracts) and also shifts
data usage, so every peer has the same real drift to find.

    python make_data.py --rows 2000000 --seed 1 --out ref.csv
    python make_data.py --rows 2000000 --seed 2 --id-start 2000001 --drift --out cur.csv
"""

import argparse
import os
import sys

import duckdb


def uniform(salt):
    # A uniform draw in (0, 1): 53 bits of a 64-bit hash, offset by half a step to avoid 0.
    return f"((hash(i, seed, {salt}) >> 11)::DOUBLE + 0.5) / 9007199254740992.0"


def normal(salt):
    return f"(sqrt(-2 * ln({uniform(salt)})) * cos(2 * pi() * {uniform(salt + 1000)}))"


def categorical(salt, values, weights):
    """A CASE over cumulative weights: values[k] when the draw falls in its slice."""
    total, bound, arms = sum(weights), 0.0, []
    for value, weight in zip(values[:-1], weights[:-1]):
        bound += weight / total
        arms.append(f"WHEN {uniform(salt)} < {bound:.6f} THEN '{value}'")
    return f"CASE {' '.join(arms)} ELSE '{values[-1]}' END"


def table_sql(rows, seed, id_start, drift):
    contract_weights = [0.75, 0.15, 0.10] if drift else [0.55, 0.21, 0.24]
    payments = ["electronic check", "mailed check", "bank transfer", "credit card"]
    payment_weights = [0.34, 0.23, 0.22, 0.21]
    if drift:
        payments, payment_weights = payments + ["digital wallet"], [0.26, 0.15, 0.17, 0.17, 0.25]
    countries = [f"country_{k:02d}" for k in range(30)]
    price = 1.18 if drift else 1.0
    usage_scale = 1.35 if drift else 1.0
    return f"""
    WITH base AS (
      SELECT i, {seed}::BIGINT AS seed FROM range({rows}) t(i)
    ), draws AS (
      SELECT i,
        {id_start} + i AS customer_id,
        {categorical(10, ["month-to-month", "one year", "two year"], contract_weights)} AS contract,
        {categorical(20, ["fiber optic", "dsl", "none"], [0.44, 0.34, 0.22])} AS internet_service,
        {categorical(30, payments, payment_weights)} AS payment_method,
        {categorical(40, ["female", "male", "other"], [0.49, 0.49, 0.02])} AS gender,
        {categorical(50, ["north", "south", "east", "west", "central"], [0.22, 0.24, 0.18, 0.21, 0.15])} AS region,
        {categorical(60, countries, [1.0 / (k + 1) for k in range(30)])} AS country,
        {categorical(70, ["android", "ios", "web", "windows", "mac"], [0.38, 0.31, 0.16, 0.10, 0.05])} AS device_os,
        {uniform(80)} AS u_tenure, {normal(90)} AS z_charge, {normal(100)} AS z_age,
        {uniform(110)} AS u_calls, {uniform(120)} AS u_login, {normal(130)} AS z_sat,
        {uniform(140)} AS u_paperless, {normal(150)} AS z_usage, {uniform(160)} AS u_products,
        {uniform(170)} AS u_discount, {uniform(180)} AS u_referral, {normal(190)} AS z_session,
        {uniform(200)} AS u_churn, {uniform(210)} AS u_null_age, {uniform(220)} AS u_null_sat,
        {uniform(230)} AS u_signup_day, hash(i, seed, 240) % 500000 AS referral_number
      FROM base
    ), shaped AS (
      SELECT *,
        least(72, floor(-ln(u_tenure) * CASE contract WHEN 'month-to-month' THEN 14 WHEN 'one year' THEN 32 ELSE 50 END))::INTEGER AS tenure_months,
        round(greatest(18.25, ((CASE internet_service WHEN 'fiber optic' THEN 70 WHEN 'dsl' THEN 45 ELSE 20 END) + 8 * z_charge) * {price}), 2) AS monthly_charges,
        least(15, floor(-ln(u_calls) * (1.2 + CASE WHEN internet_service = 'fiber optic' THEN 1.3 ELSE 0 END)))::INTEGER AS support_calls
      FROM draws
    ), scored AS (
      SELECT *,
        least(5, greatest(1, round(3.6 - 0.3 * support_calls + z_sat)))::INTEGER AS satisfaction,
        floor(-ln(u_login) * 9)::INTEGER AS last_login_days,
        least(90, greatest(18, floor(44 + 15 * z_age)))::INTEGER AS age_value
      FROM shaped
    )
    SELECT
      customer_id,
      DATE '2026-10-31' - (floor(tenure_months * 30.44)::INTEGER + floor(u_signup_day * 30)::INTEGER) AS signup_date,
      CASE WHEN u_null_age < 0.01 THEN NULL ELSE age_value END AS age,
      gender, region, country, contract, payment_method,
      u_paperless < CASE WHEN contract = 'month-to-month' THEN 0.7 ELSE 0.45 END AS paperless_billing,
      internet_service, device_os, tenure_months, monthly_charges,
      CASE WHEN tenure_months = 0 THEN NULL ELSE round(monthly_charges * tenure_months * (0.95 + 0.1 * u_tenure), 2) END AS total_charges,
      support_calls, last_login_days,
      CASE WHEN u_null_sat < 0.06 THEN NULL ELSE satisfaction END AS satisfaction_score,
      round(exp(1.8 + 0.7 * z_usage) * {usage_scale}, 3) AS data_usage_gb,
      (1 + floor(u_products * u_products * 6))::INTEGER AS num_products,
      CASE WHEN u_discount < 0.2 THEN NULL ELSE round(u_discount * 30, 1) END AS discount_pct,
      CASE WHEN u_referral < 0.7 THEN NULL ELSE 'R' || lpad(referral_number::VARCHAR, 6, '0') END AS referral_code,
      round(greatest(0.5, 22 + 9 * z_session), 2) AS avg_session_minutes,
      (u_churn < 1 / (1 + exp(-(-1.6
          + CASE contract WHEN 'month-to-month' THEN 1.1 WHEN 'two year' THEN -0.9 ELSE 0 END
          - 0.045 * tenure_months + 0.018 * (monthly_charges - 60) + 0.32 * support_calls
          + CASE WHEN payment_method = 'electronic check' THEN 0.45 ELSE 0 END
          - 0.45 * (satisfaction - 3) + 0.03 * least(last_login_days, 60)))))::INTEGER AS churned
    FROM scored
    ORDER BY customer_id
    """


def main(argv=None):
    parser = argparse.ArgumentParser(description="Writes the wide churn table of bench/validate.")
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--id-start", type=int, default=1)
    parser.add_argument("--drift", action="store_true")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    tmp = args.out + ".tmp"
    sql = table_sql(args.rows, args.seed, args.id_start, args.drift)
    options = "FORMAT parquet" if args.out.endswith(".parquet") else "FORMAT csv, HEADER true"
    duckdb.sql(f"COPY ({sql}) TO '{tmp}' ({options})")
    os.replace(tmp, args.out)
    print(f"wrote {args.rows:,} rows to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
