"""Great Expectations (pandas) side of bench/validate: the checks of checks.json as one suite.

Reads the reference and the current file (CSV or Parquet) with pandas, as a GE pandas user would, builds the
expectations (columns exist, types, null fractions, ranges, allowed sets, uniqueness, row
count) plus one KL-divergence expectation per drift column with its partition taken from
the reference (GE's own drift expectation), validates the current data and writes the
result JSON. Exit 0 when the suite passed, 1 when it failed.
"""

import json
import sys

import great_expectations as gx
import great_expectations.expectations as gxe
import numpy as np
import pandas as pd

import peer_args

# GE 1.24 does not know pandas 3's "str" dtype in its type checks; read strings as object,
# as pandas 2 did (and as GE's docs assume).
pd.set_option("future.infer_string", False)

# pandas dtypes a GE user lists for each logical type; an integer column with nulls reads as float64.
PANDAS_TYPES = {
    "integer": ["int64", "Int64", "int32", "Int32"],
    "float": ["float64", "Float64"],
    "string": ["object", "str", "string"],
    "boolean": ["bool", "boolean"],
    "date": ["datetime64[ns]", "datetime64[us]", "datetime64[ms]", "datetime64[s]"],
}
KL_THRESHOLD = 0.05
# Weight kept for values outside the reference's histogram range and for its empty bins:
# without it, one new maximum or one value in a sparse tail bin makes the KL divergence
# infinite and same-distribution data fails.
HOLDOUT = 1e-4


HOLDOUTS = {"tail_weight_holdout": HOLDOUT, "internal_weight_holdout": HOLDOUT}


def drift_columns(spec):
    return [name for name, col in spec["columns"].items()
            if not col.get("id") and (col["type"] in ("integer", "float", "boolean") or "allowed" in col)]


def partition(reference, col):
    """GE's partition object: histogram bins for numbers, value frequencies for categories."""
    values = reference.dropna()
    if col["type"] in ("integer", "float"):
        weights, edges = np.histogram(values.to_numpy(dtype=float), bins=20)
        return {"bins": edges.tolist(), "weights": (weights / weights.sum()).tolist()}
    counts = values.value_counts(normalize=True)
    return {"values": counts.index.tolist(), "weights": counts.tolist()}


def expectations(spec, reference):
    rows = spec["row_count"]
    yield gxe.ExpectTableRowCountToBeBetween(min_value=rows["min"], max_value=rows["max"])
    drifting = set(drift_columns(spec))
    for name, col in spec["columns"].items():
        yield gxe.ExpectColumnToExist(column=name)
        types = list(PANDAS_TYPES[col["type"]])
        if col["type"] == "integer" and "max_null_fraction" in col:
            types.append("float64")
        yield gxe.ExpectColumnValuesToBeInTypeList(column=name, type_list=types)
        null_fraction = col.get("max_null_fraction", 0.0)
        yield gxe.ExpectColumnValuesToNotBeNull(column=name, mostly=1.0 - null_fraction)
        if "min" in col or "max" in col:
            yield gxe.ExpectColumnValuesToBeBetween(column=name, min_value=col.get("min"),
                                                    max_value=col.get("max"))
        if "allowed" in col:
            yield gxe.ExpectColumnValuesToBeInSet(column=name, value_set=col["allowed"])
        if col.get("unique"):
            yield gxe.ExpectColumnValuesToBeUnique(column=name)
        if name in drifting:
            yield gxe.ExpectColumnKLDivergenceToBeLessThan(
                column=name, partition_object=partition(reference[name], col), threshold=KL_THRESHOLD,
                **(HOLDOUTS if col["type"] in ("integer", "float") else {}))


def short_name(config):
    # expect_column_kl_divergence_to_be_less_than on contract -> contract:kl_divergence
    kind = config.type.removeprefix("expect_column_").removeprefix("expect_table_").removeprefix("values_to_be_")
    kind = kind.split("_to_")[0]
    return f"{config.kwargs.get('column') or 'table'}:{kind}"


def read(path, spec):
    dates = [name for name, col in spec["columns"].items() if col["type"] == "date"]
    if path.endswith(".parquet"):
        frame = pd.read_parquet(path)
        for name in dates:  # Parquet dates arrive as Python date objects; GE types datetime64
            frame[name] = pd.to_datetime(frame[name])
        return frame
    return pd.read_csv(path, parse_dates=dates)


def main(argv=None):
    args, spec = peer_args.parse(argv, __doc__)

    reference = read(args.reference, spec)
    current = read(args.current, spec)

    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_pandas("bench")
    asset = source.add_dataframe_asset("current")
    batch_definition = asset.add_batch_definition_whole_dataframe("all rows")
    suite = context.suites.add(gx.ExpectationSuite(name="churn"))
    for expectation in expectations(spec, reference):
        suite.add_expectation(expectation)
    del reference  # the partitions hold what drift needs; GE validates the current frame only

    batch = batch_definition.get_batch(batch_parameters={"dataframe": current})
    result = batch.validate(suite)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result.to_json_dict(), handle)
    failed = [short_name(r.expectation_config) for r in result.results if not r.success]
    print(f"great_expectations: {len(result.results)} expectations, {len(failed)} failed: "
          + ", ".join(failed), file=sys.stderr)
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
