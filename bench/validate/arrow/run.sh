#!/usr/bin/env bash
# The Arrow prototype of issue 25: DuckDB 1.4.4 (JDBC) parses the bench's current CSV and exports
# the bin keys (or every column) as Arrow batches through the C data interface; Java counts the
# keys, two columns at a time on two threads. Prints wall and CPU seconds with the load beside
# each run, against the bare scan and mlops' statistics query in the same JVM. Needs the SQL that
# bench/validate/bins_sql.py writes to bench/validate/target/bins-sql/.
#
#   bench/validate/arrow/run.sh [modes, default bare,arrow_keys,arrow_all,asis] [rounds, default 2] [streaming_buffer_size]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
target="$here/../target/arrow"
mkdir -p "$target"
settings=()
[[ -n "${JENKINS_REPO_DIR:-}" ]] && settings=(-s "$JENKINS_REPO_DIR/settings.xml")
"$root/mvnw" -B -q -ntp "${settings[@]}" -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$target/cp.txt" >&2
javac -d "$target" -cp "$(cat "$target/cp.txt")" "$here/ArrowBins.java"
cd "$here/../target/bins-sql"
exec java --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$(cat "$target/cp.txt"):$target" ArrowBins \
  "${1:-bare,arrow_keys,arrow_all,asis}" "${2:-2}" ${3:+"$3"}
