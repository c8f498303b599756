#!/usr/bin/env bash
# mlops ingest against the floor, psql's \copy to a CSV file, on the same PostgreSQL table:
# wall seconds and peak RSS of each (GNU time), and the ratio. Rows default to 5,000,000.
#
#   bench/ingest/run.sh [ROWS] [MEMORY_LIMIT]
#
# Needs PostgreSQL (Debian's package; scripts/test.sh installs it), GNU time and a built
# cli/target/mlops-cli.jar (./mvnw -B -ntp -o install -DskipTests -q). Starts its own throwaway
# cluster in a temporary directory on a free loopback port (as the postgres user under root).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-5000000}
LIMIT=${2:-200MB}
JAR=cli/target/mlops-cli.jar
[[ -f $JAR ]] || { echo "bench: build $JAR first: ./mvnw -B -ntp -o install -DskipTests -q" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "bench: GNU time is missing: apt-get install time" >&2; exit 2; }
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
WORK=$(mktemp -d /tmp/mlops-ingest-bench.XXXXXX)
chmod 755 "$WORK"
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[[ $(id -u) == 0 ]] && chown postgres "$WORK"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$BIN/initdb" -D "$WORK/data" -U bench --auth=trust -E UTF8 --no-sync >/dev/null
as_pg "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -o "-p $PORT -c listen_addresses=127.0.0.1 -k $WORK -c fsync=off" -w start >/dev/null
trap 'as_pg "$BIN/pg_ctl" -D "$WORK/data" -m fast -w stop >/dev/null; rm -rf "$WORK"' EXIT
PSQL=(psql -X -q -h 127.0.0.1 -p "$PORT" -d postgres)
"${PSQL[@]}" -U bench -c "CREATE TABLE events AS SELECT g AS id, DATE '2026-01-01' + (g % 365) AS day,
  (g::bigint * 7919 % 100000) / 100.0 AS charges, g % 7 = 0 AS churned, 'plan-' || (g % 12) AS plan,
  md5(g::text) AS code FROM generate_series(1, $ROWS) g" -c "CREATE ROLE reader LOGIN" -c "GRANT SELECT ON events TO reader"
QUERY="SELECT * FROM events WHERE day >= :start AND day < :end"
echo "table: $ROWS rows, 6 columns; mlops at --memory-limit $LIMIT, JAVA_OPTS=${JAVA_OPTS:-}"
mkdir -p "$WORK/out"
/usr/bin/time -f "%e %M" -o "$WORK/psql.time" "${PSQL[@]}" -U reader \
  -c "\\copy (SELECT * FROM events WHERE day >= '2026-01-01' AND day < '2027-01-01') TO '$WORK/out/events.csv' CSV"
/usr/bin/time -f "%e %M" -o "$WORK/mlops.time" java ${JAVA_OPTS:-} -jar "$JAR" ingest --quiet \
  --jdbc-url "jdbc:postgresql://127.0.0.1:$PORT/postgres?user=reader" --query "$QUERY" \
  --param start=2026-01-01 --param end=2027-01-01 --output "$WORK/out/events.parquet" --memory-limit "$LIMIT"
ROWS_OUT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rows"])' "$WORK/out/events.parquet.lineage.json")
read -r PS_S PS_KB < "$WORK/psql.time"
read -r ML_S ML_KB < "$WORK/mlops.time"
printf '%-28s %8s s %8s MiB peak RSS\n' "psql \\copy to CSV (floor)" "$PS_S" $((PS_KB / 1024)) \
  "mlops ingest to Parquet" "$ML_S" $((ML_KB / 1024))
printf 'rows written: %s; Parquet %s MiB, CSV %s MiB; mlops/psql wall: %.2f\n' "$ROWS_OUT" \
  $(( $(stat -c %s "$WORK/out/events.parquet") / 1048576 )) $(( $(stat -c %s "$WORK/out/events.csv") / 1048576 )) \
  "$(python3 -c "print($ML_S / $PS_S)")"
