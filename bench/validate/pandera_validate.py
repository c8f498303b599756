"""Pandera on Polars side of bench/validate: the checks of checks.json as one DataFrameSchema.

The fast choice a Python user has: Polars reads the files (multi-threaded, lazily for Parquet)
and Pandera's Polars backend validates the current frame: columns exist, dtypes, null
fractions, ranges, allowed sets, uniqueness, row count, plus the same drift test as the GE
peer (KL divergence of the current data from a 20-bin histogram / the value frequencies of the
reference, threshold 0.05), written as Pandera custom checks in Polars expressions, since
Pandera has no drift check of its own. Exit 0 when the schema held, 1 when it failed.
"""

import math
import sys

import pandera.polars as pa
import polars as pl

import peer_args

DTYPES = {"integer": pl.Int64, "float": pl.Float64, "string": pl.String, "boolean": pl.Boolean, "date": pl.Date}
KL_THRESHOLD = 0.05
BINS = 20
# As in the GE peer: weight kept for the reference's empty bins and for values outside its
# range, so one new maximum does not make the divergence infinite.
HOLDOUT = 1e-4


def drift_columns(spec):
    return [name for name, col in spec["columns"].items()
            if not col.get("id") and (col["type"] in ("integer", "float", "boolean") or "allowed" in col)]


def numeric_drift(reference, name):
    """A check: KL(current || reference) over the reference's 20 equal-width bins plus two tails."""
    values = reference.get_column(name).drop_nulls().drop_nans() if reference.schema[name] == pl.Float64 \
        else reference.get_column(name).drop_nulls()
    lo, hi = float(values.min()), float(values.max())
    width = (hi - lo) / BINS or 1.0

    def bins(expr):
        return (pl.when(expr < lo).then(-1).when(expr > hi).then(BINS)
                .otherwise(((expr - lo) / width).floor().clip(0, BINS - 1)).cast(pl.Int64))

    expected = shares(reference.lazy().select(bins(pl.col(name)).alias("bin")).drop_nulls(), "bin")

    def check(data):
        observed = shares(data.lazyframe.select(bins(pl.col(name)).alias("bin")).drop_nulls(), "bin")
        return kl(observed, expected, holdout=True) < KL_THRESHOLD

    return pa.Check(check, name=f"{name}:kl_divergence")


def categorical_drift(reference, name):
    expected = shares(reference.lazy().select(pl.col(name).cast(pl.String)).drop_nulls(), name)

    def check(data):
        observed = shares(data.lazyframe.select(pl.col(name).cast(pl.String)).drop_nulls(), name)
        return kl(observed, expected, holdout=False) < KL_THRESHOLD

    return pa.Check(check, name=f"{name}:kl_divergence")


def shares(frame, key):
    counts = frame.group_by(key).agg(pl.len().alias("n")).collect()
    total = counts.get_column("n").sum()
    return {k: n / total for k, n in zip(counts.get_column(key).to_list(), counts.get_column("n").to_list())}


def kl(observed, expected, holdout):
    """GE's definition: the entropy of the observed shares relative to the expected ones."""
    keys = set(observed) | set(expected)
    if holdout:
        expected = {k: expected.get(k, 0.0) + HOLDOUT for k in keys}
        total = sum(expected.values())
        expected = {k: v / total for k, v in expected.items()}
    divergence = 0.0
    for key, p in observed.items():
        q = expected.get(key, 0.0)
        if p > 0:
            divergence += math.inf if q == 0 else p * math.log(p / q)
    return divergence


def null_fraction(name, limit):
    return pa.Check(lambda data: data.lazyframe.select(pl.col(name).is_null().mean() <= limit),
                    name=f"{name}:null_fraction")


def schemas(spec, reference):
    """Two schemas: per-value checks, and frame-level ones (row count, null fractions, drift).

    Split because Pandera 0.35 cannot stack the failure case of a check that returns one
    boolean with the failing values of the others (polars SchemaError in failure_cases_metadata).
    """
    drifting = set(drift_columns(spec))
    frame_checks = []
    columns = {}
    for name, col in spec["columns"].items():
        checks = []
        if "min" in col:
            checks.append(pa.Check.ge(col["min"], name=f"{name}:min"))
        if "max" in col:
            checks.append(pa.Check.le(col["max"], name=f"{name}:max"))
        if "allowed" in col:
            checks.append(pa.Check.isin(col["allowed"], name=f"{name}:in_set"))
        limit = col.get("max_null_fraction", 0.0)
        if limit > 0:
            frame_checks.append(null_fraction(name, limit))
        if name in drifting:
            frame_checks.append(numeric_drift(reference, name) if col["type"] in ("integer", "float")
                         else categorical_drift(reference, name))
        columns[name] = pa.Column(DTYPES[col["type"]], checks=checks, nullable=limit > 0,
                                  unique=bool(col.get("unique")), required=True)
    rows = spec["row_count"]
    row_count = pa.Check(lambda data: data.lazyframe.select(pl.len().is_between(rows["min"], rows["max"])),
                         name="table:row_count")
    return [pa.DataFrameSchema(columns, strict=False), pa.DataFrameSchema({}, checks=[row_count] + frame_checks)]


def read(path):
    if path.endswith(".parquet"):
        return pl.read_parquet(path)
    return pl.read_csv(path, try_parse_dates=True, infer_schema_length=10_000)


def main(argv=None):
    args, spec = peer_args.parse(argv, __doc__)
    reference = read(args.reference)
    current = read(args.current)
    suite = schemas(spec, reference)
    del reference  # the checks hold what drift needs
    # + dtype and nullability per column
    checks = sum(len(s.checks) + sum(len(c.checks) + 2 for c in s.columns.values()) for s in suite)
    failed = set()
    for schema in suite:
        try:
            schema.validate(current, lazy=True)
        except pa.errors.SchemaErrors as errors:
            for column, check in errors.failure_cases.select("column", "check").unique().iter_rows():
                failed.add(check if check and ":" in str(check) else f"{column}:{check}")
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write("\n".join(sorted(failed)) + "\n")
    print(f"pandera: {checks} checks, {len(failed)} failed: " + ", ".join(sorted(failed)), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
