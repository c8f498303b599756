#!/usr/bin/env bash
# bench/spark: `mlops profile` with DuckDB on this machine against the same profile on a Spark
# Connect server in local[N] mode, same generated Parquet, same run. Not a test: it prints figures,
# ratios against DuckDB and a per-row/fixed-cost fit, and writes bench/spark/target/results.{md,json}.
#
#   bench/spark/run.sh [--sizes 1000000,4000000,16000000] [--files 16] [--dir-sizes 4000000]
#                      [--configs 2:2,1:1@1000000,2:200@1000000,2:2:plain@1000000] [--rounds 1]
#                      [--spark-client auto|replay|mlops|both] [--driver-memory 1g]
#
# Needs Java 17, GNU time, the project's .venv with the pinned pyspark
# (scripts/test.sh; its Spark runs the server) and makes bench/spark/.venv from requirements.txt
# (the Spark Connect client for Python and DuckDB). Builds the mlops jar when it is stale.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

[[ -x /usr/bin/time ]] || { echo "bench: GNU time is missing (wall, CPU and peak RSS of each run): apt-get install time" >&2; exit 2; }
venv="$here/.venv"
if [[ ! -f "$venv/.installed" || "$here/requirements.txt" -nt "$venv/.installed" ]]; then
  echo "bench: installing the Spark Connect client into $venv (once)" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
  touch "$venv/.installed"
fi
echo "bench: building the mlops command line" >&2
"$root/mlops" --version >/dev/null
cd "$here"
exec "$venv/bin/python" "$here/bench.py" "$@"
