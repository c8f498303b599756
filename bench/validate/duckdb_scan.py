"""The practical floor of bench/validate: one bare DuckDB scan of each input file.

One SELECT of simple aggregates (non-null count, min, max of every column) per file (CSV with
the same sniffing mlops relies on, or Parquet). mlops must read the reference and the current file
at least once each, so the floor scans both. Same DuckDB version as the root pom's JDBC
driver (requirements-duckdb.txt).
"""

import sys

import duckdb


def scan(connection, path):
    reader = "read_parquet" if path.endswith(".parquet") else "read_csv"
    columns = [row[0] for row in connection.execute(
        f"SELECT column_name FROM (DESCRIBE SELECT * FROM {reader}(?))", [path]).fetchall()]
    aggregates = ", ".join(f'count("{c}"), min("{c}"), max("{c}")' for c in columns)
    row = connection.execute(f"SELECT count(*), {aggregates} FROM {reader}(?)", [path]).fetchone()
    return row[0], len(columns)


def main(paths):
    connection = duckdb.connect()
    for path in paths:
        rows, columns = scan(connection, path)
        print(f"duckdb: {path}: {rows:,} rows x {columns} columns", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
