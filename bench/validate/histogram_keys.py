"""What DuckDB's histogram() costs a value, and whether its memory grows with rows: one DuckDB against another (issue 25).

mlops counts each column's bins on the reference's grid with histogram() over an integer key in its
statistics scan, so this is the per-value cost that decides how far validate-data sits above a bare
scan. Each measurement is a fresh Python process with the DuckDB of one venv, the versions
interleaved run by run, so a shared machine's drift slows both alike:

  cost    SELECT histogram(k) against SELECT sum(k) over the same generated keys (range(), no table,
          one thread): the CPU seconds the histogram adds, over the rows, is its cost a value;
  memory  20 histograms of 6-2,000 keys each over 500k and 2M rows in one scan (two threads, the
          shape of mlops' statistics query): peak RSS of the process, which must not grow with rows.

    python3 bench/validate/histogram_keys.py --python 1.4.4=VENV/bin/python --python 1.5.6=VENV2/bin/python [--rounds 3]

Prints one line per run and the medians; CPU seconds are the figure that survives a busy machine.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

# Keys spread over 0..keys-1 in a scattered order (a multiplicative hash of the row number), as a
# column's bins are in data that is not sorted on it.
KEY = "CAST(((i * 2654435761) % 1000003) % {keys} AS {type})"

CHILD = r"""
import json, resource, sys, time
import duckdb
mode, keys, rows, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
key = sys.argv[5]
con = duckdb.connect(config={"threads": threads, "memory_limit": "2GB"})
con.execute("SET enable_progress_bar = false")  # a long query would draw a bar on stdout
if mode == "memory":
    # 20 histograms with 6..2,000 keys each, as a profile scan of a wide file holds.
    sizes = [6, 12, 50, 100, 200, 500, 1000, 2000] * 3
    aggs = ", ".join(f"histogram({key.format(keys=k).replace('i *', f'(i + {j}) *')})" for j, k in enumerate(sizes[:20]))
    query = f"SELECT {aggs} FROM range({rows}) t(i)"
else:
    agg = "histogram" if mode == "hist" else "sum"
    query = f"SELECT {agg}({key.format(keys=keys)}) FROM range({rows}) t(i)"
before = time.process_time()
wall = time.perf_counter()
result = con.execute(query).fetchall()
cpu = time.process_time() - before
wall = time.perf_counter() - wall
if mode == "hist":
    assert sum(result[0][0].values()) == rows, "histogram lost rows"
print(json.dumps({"cpu": cpu, "wall": wall, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "version": duckdb.__version__}))
"""


def run(python, mode, keys, rows, threads, key_type):
    key = KEY.replace("{type}", key_type)
    out = subprocess.run([python, "-c", CHILD, mode, str(keys), str(rows), str(threads), key], capture_output=True, text=True,
                         check=False)  # its error is reported below, with its stderr
    if out.returncode != 0:
        sys.exit(f"{python} {mode} {keys}: {out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])  # the last line: a DuckDB may print before it


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", action="append", required=True, help="LABEL=path of a python with duckdb")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=20_000_000, help="rows of the cost runs")
    parser.add_argument("--keys", default="6,100,500,2000")
    parser.add_argument("--memory-rows", default="500000,2000000")
    parser.add_argument("--key-type", default="BIGINT", help="SQL type of the keys (mlops' bin keys are BIGINT)")
    args = parser.parse_args()
    pythons = dict(p.split("=", 1) for p in args.python)
    keys = [int(k) for k in args.keys.split(",")]
    cost = {(label, k): [] for label in pythons for k in keys}
    memory = {(label, r): [] for label in pythons for r in map(int, args.memory_rows.split(","))}
    for rnd in range(args.rounds):
        print(f"round {rnd + 1}, {args.key_type} keys, load {os.getloadavg()[0]:.2f}", flush=True)
        for k in keys:
            for label, python in pythons.items():
                base = run(python, "sum", k, args.rows, 1, args.key_type)
                hist = run(python, "hist", k, args.rows, 1, args.key_type)
                ns = (hist["cpu"] - base["cpu"]) / args.rows * 1e9
                cost[(label, k)].append(ns)
                print(f"  {label} ({hist['version']}) {k:>5} keys: sum {base['cpu']:.2f} CPU s, histogram {hist['cpu']:.2f} CPU s"
                      f" -> {ns:.1f} ns a value", flush=True)
        for (label, rows), peaks in memory.items():
            m = run(pythons[label], "memory", 0, rows, 2, args.key_type)
            peaks.append(m["rss_mib"])
            print(f"  {label} 20 histograms over {rows:>9,} rows: peak RSS {m['rss_mib']:.0f} MiB, {m['cpu']:.2f} CPU s", flush=True)
    print("\nmedians")
    for k in keys:
        print(f"  {k:>5} keys: " + ", ".join(f"{label} {statistics.median(cost[(label, k)]):.1f} ns a value" for label in pythons))
    for label in pythons:
        sizes = sorted(r for (l, r) in memory if l == label)
        rss = [statistics.median(memory[(label, r)]) for r in sizes]
        print(f"  {label} peak RSS " + " / ".join(f"{r:.0f}" for r in rss) + " MiB at " + " / ".join(f"{r:,}" for r in sizes)
              + f" rows: {rss[-1] / rss[0]:.2f}x")


if __name__ == "__main__":
    main()
