"""Where the bin counts of validate-data cost: mlops' own statistics query, replayed and varied (issue 25).

Runs `mlops validate-data` once with its SQL logged (ScanEngine logs each query at FINE), takes the
current file's statistics scan (the one that counts every column's bins with histogram() on the
reference's grid), and times variants of it in interleaved rounds, one fresh DuckDB connection
each, with mlops' settings (2 threads, 2 GB):

  bare        count, min, max of every column (the floor bench.py uses)
  asis        mlops' query as it is
  nohist      the same without its histogram() aggregates: what counting bins costs at best
  groupkeys   the bin keys alone, counted by a GROUP BY GROUPING SETS (a second parse of the file)
  unnest      the bin keys unnested into one (column, key) GROUP BY (also a second parse)
  gsets       statistics and bins in one GROUPING SETS ((), (k1), ...) scan

Prints wall and CPU seconds and the load average beside each run; CPU is the figure that
survives a busy machine. It also writes the keys-only and all-columns SELECTs to
target/bins-sql/ for the Arrow prototype (bench/validate/arrow/). Not part of run.sh; run it after
run.sh made the data:

    bench/validate/.venv/duckdb/bin/python bench/validate/bins_sql.py [--rounds 2] [--variants bare,asis,...]
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORK = os.path.join(HERE, "target")


def mlops_queries(current, reference, schema):
    """The SQL mlops sends to DuckDB for one validate-data run, in order."""
    with tempfile.NamedTemporaryFile("w", suffix=".properties", delete=False) as props:
        props.write("handlers=java.util.logging.ConsoleHandler\n"
                    "java.util.logging.ConsoleHandler.level=FINE\n"
                    "java.util.logging.SimpleFormatter.format=MLOPS-SQL<<%5$s>>MLOPS-SQL%n\n"
                    "io.jenkins.plugins.mlops.data.ScanEngine.level=FINE\n")
    env = dict(os.environ, MLOPS_JAVA_OPTS="-Djava.util.logging.config.file=" + props.name)
    run = subprocess.run([os.path.join(ROOT, "mlops"), "validate-data", "--data", current, "--reference", reference,
                          "--schema", schema, "--quiet"], env=env, capture_output=True, text=True)
    os.unlink(props.name)
    return [q[len("query: "):] for q in re.findall(r"MLOPS-SQL<<(.*?)>>MLOPS-SQL", run.stderr, re.S)]


def split_aggregates(query):
    """(aggregates as written, the FROM relation) of an AggregateQuery's SELECT."""
    select, relation = re.match(r"SELECT (.*)\nFROM (.*)$", query, re.S).groups()
    return [a.strip() for a in select.split(",\n  ")], relation


def variants(query):
    aggregates, relation = split_aggregates(query)
    bins = [a for a in aggregates if a.startswith("histogram(")]
    stats = [a for a in aggregates if not a.startswith("histogram(")]
    keys = [f"CAST({re.match(r'histogram[(](.*)[)] AS a[0-9]+$', b, re.S).group(1)} AS INTEGER)" for b in bins]
    columns = duckdb.connect().execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
    names = [f"k{i}" for i in range(len(keys))]
    keyed = ", ".join(f"{k} AS {n}" for k, n in zip(keys, names))
    out = {
        "bare": "SELECT " + ", ".join(f'count("{c[0]}"), min("{c[0]}"), max("{c[0]}")' for c in columns) + f" FROM {relation}",
        "asis": query,
        "nohist": "SELECT " + ", ".join(stats) + f" FROM {relation}",
        "groupkeys": f"SELECT {', '.join(names)}, count(*) FROM (SELECT {keyed} FROM {relation}) "
                     f"GROUP BY GROUPING SETS ({', '.join('(' + n + ')' for n in names)})",
        "unnest": f"SELECT c, k, count(*) FROM (SELECT unnest(range({len(keys)})) AS c, unnest([{', '.join(keys)}]) AS k "
                  f"FROM {relation}) GROUP BY ALL",
        "gsets": f"SELECT {', '.join(names)}, count(*), " + ", ".join(re.sub(r" AS a[0-9]+$", "", s) for s in stats)
                 + f" FROM (SELECT *, {keyed} FROM {relation}) GROUP BY GROUPING SETS ((), "
                 + ", ".join("(" + n + ")" for n in names) + ")",
    }
    arrow = {"keys.sql": f"SELECT {keyed} FROM {relation}", "all.sql": f"SELECT * FROM {relation}",
             "bare.sql": out["bare"], "asis.sql": query}
    return out, arrow, len(keys)


def timed(sql):
    con = duckdb.connect()
    for setting in ("threads = 2", "preserve_insertion_order = false", "memory_limit = '2GB'"):
        con.execute("SET " + setting)
    before, start = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    try:
        con.execute(sql).fetchall()
        outcome = "ok"
    except duckdb.Error as error:
        outcome = type(error).__name__
    after, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter() - start
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, outcome


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--variants", default="bare,asis,nohist,groupkeys,unnest")
    args = parser.parse_args()
    reference = os.path.join(WORK, f"reference-{args.rows}.csv")
    current = os.path.join(WORK, f"current-drifted-{args.rows}.csv")
    queries = mlops_queries(current, reference, os.path.join(WORK, "schema.yaml"))
    scans = [q for q in queries if q.startswith("SELECT count(*)") and "histogram(" in q and current in q]
    if not scans:
        sys.exit("bins_sql: no statistics scan of the current file with histogram() in mlops' SQL; run run.sh first")
    sql, arrow, bins = variants(scans[-1])
    os.makedirs(os.path.join(WORK, "bins-sql"), exist_ok=True)
    for name, text in arrow.items():
        with open(os.path.join(WORK, "bins-sql", name), "w", encoding="utf-8") as handle:
            handle.write(text)
    print(f"bins_sql: {bins} histogram() columns over {args.rows:,} rows ({bins * args.rows:,} values)")
    for round_ in range(args.rounds):
        for name in args.variants.split(","):
            wall, cpu, outcome = timed(sql[name])
            load = open("/proc/loadavg").read().split()[0]
            print(f"round {round_} {name:10s} wall {wall:6.2f} s  CPU {cpu:6.2f} s  load {load}  {outcome}", flush=True)


if __name__ == "__main__":
    main()
