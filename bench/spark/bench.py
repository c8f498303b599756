"""bench/spark driver (run by run.sh in bench/spark/.venv): `mlops profile` with DuckDB on this machine
against the same profile on a Spark Connect server in local[N] mode, on the same generated Parquet.

For each server configuration (--configs: local[N], spark.sql.shuffle.partitions, the JIT's huge-method
limit), it starts its own Spark Connect server from the pinned PySpark, warms it, then for each dataset
(one Parquet file, or the same rows split over --files files in a directory) runs DuckDB and Spark back
to back, --rounds times: DuckDB as `mlops profile --threads N` (N the server's cores), Spark as
`mlops profile --engine spark` when this build has that engine, else as replay.py, the SQL mlops sent
DuckDB for the same data rendered for Spark (spark_sql.py). Measured per run: wall seconds, the client's
CPU and peak RSS (GNU time), the server's CPU (utime+stime of its JVM from /proc/PID/stat, before and
after) and peak RSS (VmHWM, reset before each run through /proc/PID/clear_refs), what came back (the
profile's bytes, or the collected rows' bytes), and the load average beside each run. Prints Spark's
ratios against DuckDB on the same data in the same configuration, and fits CPU = fixed + rows x
per-row for each engine; writes target/results.{json,md}. Nothing here passes or fails on speed.
"""
import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time

import duckdb

import spark_sql

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORK = os.path.join(HERE, "target")
MLOPS = os.path.join(ROOT, "mlops")
MAKE_DATA = os.path.join(ROOT, "bench", "validate", "make_data.py")
TICKS = os.sysconf("SC_CLK_TCK")
TINY = 10_000  # rows of the dataset that measures each engine's fixed cost per job


def load():
    return open("/proc/loadavg", encoding="ascii").read().split()[0]


# ---------------------------------------------------------------------------------------------- data

def generate(rows, files):
    """One Parquet file of `rows` rows (make_data.py, seed 1), and a directory of `files` files of the same rows."""
    os.makedirs(WORK, exist_ok=True)
    single = os.path.join(WORK, f"data-{rows}.parquet")
    if not os.path.exists(single):
        subprocess.run([sys.executable, MAKE_DATA, "--rows", str(rows), "--seed", "1", "--out", single], check=True)
    directory = os.path.join(WORK, f"data-{rows}-{files}files")
    if files > 1 and not os.path.isdir(directory):
        partial = directory + ".partial"
        shutil.rmtree(partial, ignore_errors=True)
        os.makedirs(partial)
        per_file = -(-rows // files)
        for k in range(files):  # contiguous ranges of the id: each file like one day's batch
            duckdb.sql(f"COPY (SELECT * FROM read_parquet('{single}') WHERE customer_id > {k * per_file} "
                       f"AND customer_id <= {(k + 1) * per_file}) TO '{partial}/part-{k:04d}.parquet' (FORMAT parquet)")
        os.replace(partial, directory)
    return single, directory


def warm_page_cache(path):
    paths = [os.path.join(path, f) for f in sorted(os.listdir(path))] if os.path.isdir(path) else [path]
    for p in paths:
        with open(p, "rb") as handle:
            while handle.read(1 << 24):
                pass


def size_of(path):
    if os.path.isdir(path):
        return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))
    return os.path.getsize(path)


# -------------------------------------------------------------------------------------------- server

class Config:
    """N:P[:plain][@MAXROWS]: local[N], P shuffle partitions, `plain` leaves HotSpot's 8,000-byte
    huge-method limit on (Spark's generated code for a wide aggregate is then interpreted), MAXROWS the
    largest dataset this configuration runs."""

    def __init__(self, spec):
        body, _, max_rows = spec.partition("@")
        parts = body.split(":")
        self.spec, self.cores, self.partitions = spec, int(parts[0]), int(parts[1])
        self.plain_jit = "plain" in parts[2:]
        self.max_rows = int(max_rows) if max_rows else None

    @property
    def label(self):
        return f"local[{self.cores}] shuffle={self.partitions}" + (" jit-default" if self.plain_jit else "")


def find_spark_home():
    """$SPARK_HOME, else the Spark inside the project venv's pinned pyspark (requirements-test.txt)."""
    if os.environ.get("SPARK_HOME"):
        return os.environ["SPARK_HOME"]
    python = os.path.join(ROOT, ".venv", "bin", "python")
    found = subprocess.run([python, "-c", "import os, pyspark; print(os.path.dirname(pyspark.__file__))"],
                           capture_output=True, text=True)
    if found.returncode != 0:
        sys.exit("bench: no Spark: set SPARK_HOME or install requirements-test.txt into .venv (scripts/test.sh)")
    return found.stdout.strip()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SparkServer:
    """A Spark Connect server from the pinned PySpark, local[N], loopback, bounded driver memory."""

    def __init__(self, spark_home, config, driver_memory):
        self.port = free_port()
        self.remote = f"sc://127.0.0.1:{self.port}"
        self.log = os.path.join(WORK, "logs", f"server-{config.cores}-{config.partitions}"
                                f"{'-plain' if config.plain_jit else ''}.log")
        os.makedirs(os.path.dirname(self.log), exist_ok=True)
        java_options = "-XX:+UseParallelGC" + ("" if config.plain_jit else " -XX:-DontCompileHugeMethods")
        command = [os.path.join(spark_home, "bin", "spark-submit"), "--master", f"local[{config.cores}]",
                   "--driver-memory", driver_memory, "--driver-java-options", java_options,
                   "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
                   "--conf", f"spark.connect.grpc.binding.port={self.port}",
                   "--conf", f"spark.sql.shuffle.partitions={config.partitions}",
                   "--conf", "spark.ui.enabled=false",
                   "--class", "org.apache.spark.sql.connect.service.SparkConnectServer", "spark-internal"]
        started = time.perf_counter()
        with open(self.log, "w", encoding="utf-8") as log:
            # spark-submit execs the JVM: this pid is the server's, whose /proc counts every task thread.
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                            env=dict(os.environ, SPARK_HOME=spark_home))
        deadline = time.time() + 180  # only to stop a hang: a busy 2-core machine starts it in 7-20 s
        while "Spark Connect server started" not in open(self.log, encoding="utf-8", errors="replace").read():
            if self.process.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError(f"the Spark Connect server did not start; see {self.log}")
            time.sleep(0.2)
        self.start_s = time.perf_counter() - started

    def cpu_s(self):
        fields = open(f"/proc/{self.process.pid}/stat", encoding="ascii").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime

    def reset_peak_rss(self):
        with open(f"/proc/{self.process.pid}/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")

    def peak_rss_mib(self):
        for line in open(f"/proc/{self.process.pid}/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# ---------------------------------------------------------------------------------------------- runs

def timed(command, log_name, server=None):
    """Runs one client process under GNU time; the server's CPU and peak RSS around it when given."""
    log_path = os.path.join(WORK, "logs", log_name + ".log")
    time_path = log_path + ".time"
    if server:
        server.reset_peak_rss()
        server_before = server.cpu_s()
    load_before = load()
    with open(log_path, "w", encoding="utf-8") as log:
        code = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", "-o", time_path] + command,
                              stdout=log, stderr=subprocess.STDOUT, cwd=ROOT).returncode
    with open(time_path, encoding="utf-8") as handle:
        wall, rss_kb, user, system = handle.read().split()[-4:]
    run = {"wall_s": float(wall), "client_cpu_s": float(user) + float(system), "client_rss_mib": int(rss_kb) / 1024,
           "exit": code, "log": log_path, "load": f"{load_before}/{load()}"}
    if server:
        run["server_cpu_s"] = server.cpu_s() - server_before
        run["server_rss_mib"] = server.peak_rss_mib()
    if code != 0:
        print(f"bench: {log_name} exited {code}; see {log_path}", file=sys.stderr)
    return run


def spark_engine_available():
    help_text = subprocess.run([MLOPS, "profile", "--help"], capture_output=True, text=True).stdout
    return "--spark-remote" in help_text


def duckdb_run(data, threads, name):
    out = os.path.join(WORK, "profiles", name + ".json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    run = timed([MLOPS, "profile", "--data", data, "--out", out, "--threads", str(threads), "--quiet"], name)
    run["result_bytes"] = os.path.getsize(out) if os.path.exists(out) else 0
    return run


def spark_mlops_run(data, server, name):
    out = os.path.join(WORK, "profiles", name + ".json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    run = timed([MLOPS, "profile", "--engine", "spark", "--spark-remote", server.remote, "--data", data,
                 "--out", out, "--quiet"], name, server)
    run["result_bytes"] = os.path.getsize(out) if os.path.exists(out) else 0
    return run


def spark_replay_run(queries_file, server, name):
    run = timed([sys.executable, os.path.join(HERE, "replay.py"), server.remote, queries_file], name, server)
    try:
        with open(run["log"], encoding="utf-8") as handle:
            timings = json.loads([line for line in handle if line.startswith("{")][-1])
        run["queries_s"] = [round(q["wall_s"], 3) for q in timings["queries"]]
        run["result_bytes"] = sum(q["bytes"] for q in timings["queries"])
    except (IndexError, ValueError):
        run["queries_s"], run["result_bytes"] = [], 0
    return run


def replay_queries(data, name):
    """mlops' DuckDB SQL for this dataset, rendered for Spark, in a JSON file for replay.py."""
    path = os.path.join(WORK, "queries", name + ".json")
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        queries = spark_sql.logged_queries(MLOPS, data, WORK)
        relation = "parquet.`" + os.path.abspath(data) + "`"
        with open(path, "w", encoding="utf-8") as handle:
            json.dump([spark_sql.to_spark(q, relation) for q in queries], handle)
    return path


# ----------------------------------------------------------------------------------------- the model

def fit(points):
    """Least squares CPU = fixed + rows x per_row over (rows, cpu) points; (fixed s, per-row ns)."""
    if len({r for r, _ in points}) < 2:
        return float("nan"), float("nan")
    n = len(points)
    mean_r = sum(r for r, _ in points) / n
    mean_c = sum(c for _, c in points) / n
    slope = sum((r - mean_r) * (c - mean_c) for r, c in points) / sum((r - mean_r) ** 2 for r, _ in points)
    return mean_c - slope * mean_r, slope * 1e9


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,4000000,16000000", help="rows of each dataset")
    parser.add_argument("--files", type=int, default=16, help="files of the directory layout (1: none)")
    parser.add_argument("--dir-sizes", default="4000000", help="sizes also profiled as a directory of --files files")
    parser.add_argument("--configs", default="2:2,1:1@1000000,2:200@1000000,2:2:plain@1000000",
                        help="server configurations N:P[:plain][@MAXROWS] (see Config)")
    parser.add_argument("--rounds", type=int, default=1, help="DuckDB/Spark pairs per dataset and configuration")
    parser.add_argument("--driver-memory", default="1g")
    parser.add_argument("--spark-client", choices=("auto", "replay", "mlops", "both"), default="auto",
                        help="auto: mlops --engine spark when this build has it, else the replayed SQL")
    args = parser.parse_args(argv)
    spark_home = find_spark_home()
    os.makedirs(os.path.join(WORK, "logs"), exist_ok=True)

    clients = {"auto": ["mlops"] if spark_engine_available() else ["replay"], "replay": ["replay"],
               "mlops": ["mlops"], "both": ["replay", "mlops"]}[args.spark_client]
    sizes = [int(s) for s in args.sizes.split(",") if s]
    dir_sizes = {int(s) for s in args.dir_sizes.split(",") if s}
    datasets = [("tiny", TINY, generate(TINY, 1)[0])]
    for rows in sizes:
        single, directory = generate(rows, args.files)
        datasets.append(("file", rows, single))
        if rows in dir_sizes and args.files > 1:
            datasets.append((f"{args.files} files", rows, directory))
    queries = {}
    if "replay" in clients:
        for layout, rows, path in datasets:
            queries[path] = replay_queries(path, f"{rows}-{layout.replace(' ', '')}")

    print(f"bench/spark: machine {os.cpu_count()} cores, load {load()}; Spark clients: {', '.join(clients)}; "
          f"datasets: " + ", ".join(f"{rows:,} rows {layout} ({size_of(p) / 1e6:.0f} MB)" for layout, rows, p in datasets),
          flush=True)
    results, idle_rates = [], []
    for spec in args.configs.split(","):
        config = Config(spec)
        server = SparkServer(spark_home, config, args.driver_memory)
        try:
            print(f"bench: {config.label}: server started in {server.start_s:.1f} s", file=sys.stderr, flush=True)
            # The first job of a fresh server pays class loading and JIT; measured, then warmed past it.
            warm = [spark_replay_run(queries[datasets[0][2]], server, f"{config.spec}-cold-{k}") if "replay" in clients
                    else spark_mlops_run(datasets[0][2], server, f"{config.spec}-cold-{k}") for k in range(3)]
            results.append({"config": config.label, "layout": "tiny", "rows": TINY, "engine": "spark cold (1st job)",
                            **warm[0]})
            # What the idle server burns (heartbeats, the session's housekeeping): part of no job.
            idle_before = server.cpu_s()
            time.sleep(10)
            idle = (server.cpu_s() - idle_before) / 10
            print(f"bench: {config.label}: idle server {idle:.3f} CPU s a second", file=sys.stderr, flush=True)
            idle_rates.append((config.label, server.start_s, idle))
            for layout, rows, path in datasets:
                if config.max_rows and rows > config.max_rows:
                    continue
                warm_page_cache(path)
                for k in range(args.rounds):
                    tag = f"{config.spec.replace(':', '-')}-{rows}-{layout.replace(' ', '')}-{k}"
                    print(f"bench: {config.label}: {rows:,} rows, {layout}, round {k + 1} (load {load()})",
                          file=sys.stderr, flush=True)
                    base = {"config": config.label, "layout": layout, "rows": rows, "round": k}
                    results.append({**base, "engine": f"duckdb --threads {config.cores}",
                                    **duckdb_run(path, config.cores, "duckdb-" + tag)})
                    for client in clients:
                        run = (spark_replay_run(queries[path], server, "spark-replay-" + tag) if client == "replay"
                               else spark_mlops_run(path, server, "spark-mlops-" + tag))
                        results.append({**base, "engine": f"spark ({client})", **run})
        finally:
            server.stop()
    report(results, args, clients, idle_rates)
    return 0


def report(results, args, clients, idle_rates):
    lines = [f"bench/spark ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}), {os.cpu_count()} cores; "
             f"Spark via {', '.join(clients)}; CPU in seconds (user+sys), RSS in MiB",
             "",
             "| config | data | rows | engine | wall s | client CPU | server CPU | client RSS | server RSS | bytes back "
             "| Spark/DuckDB wall | Spark/DuckDB CPU | load before/after | Spark's queries, wall s |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    duck = {}
    for r in results:
        key = (r["config"], r["layout"], r["rows"], r.get("round"))
        cpu = r["client_cpu_s"] + r.get("server_cpu_s", 0.0)
        r["total_cpu_s"] = cpu
        if r["engine"].startswith("duckdb"):
            duck[key] = r
            ratio_wall = ratio_cpu = ""
        elif key in duck:
            ratio_wall = f"{r['wall_s'] / duck[key]['wall_s']:.1f}x"
            ratio_cpu = f"{cpu / duck[key]['total_cpu_s']:.1f}x"
        else:
            ratio_wall = ratio_cpu = ""
        server_cpu = f"{r['server_cpu_s']:.2f}" if "server_cpu_s" in r else "-"
        server_rss = f"{r['server_rss_mib']:.0f}" if "server_rss_mib" in r else "-"
        engine = r["engine"] + ("" if r["exit"] == 0 else f" **exit {r['exit']}**, see {r['log']}")
        lines.append(f"| {r['config']} | {r['layout']} | {r['rows']:,} | {engine} | {r['wall_s']:.2f} | "
                     f"{r['client_cpu_s']:.2f} | {server_cpu} | {r['client_rss_mib']:.0f} | {server_rss} | "
                     f"{r.get('result_bytes', 0):,} | {ratio_wall} | {ratio_cpu} | {r['load']} | "
                     f"{' + '.join(str(q) for q in r.get('queries_s', []))} |")
    lines += ["", "Fits over the single-file datasets (CPU = fixed + rows x per-row; total CPU = client + server; "
              "the 10,000-row file only where fewer than two sizes ran: below 16 MB the profiler sends fewer queries):", ""]
    for config in dict.fromkeys(r["config"] for r in results):
        for engine in dict.fromkeys(r["engine"] for r in results if r["config"] == config and "cold" not in r["engine"]):
            runs = [r for r in results if r["config"] == config and r["engine"] == engine and r["layout"] == "file"]
            if len({r["rows"] for r in runs}) < 2:
                runs += [r for r in results if r["config"] == config and r["engine"] == engine and r["layout"] == "tiny"]
            fixed, per_row = fit([(r["rows"], r["total_cpu_s"]) for r in runs])
            wall_fixed, wall_per_row = fit([(r["rows"], r["wall_s"]) for r in runs])
            points = runs
            lines.append(f"- {config}, {engine}: CPU {fixed:.2f} s + {per_row:.0f} ns a row; "
                         f"wall {wall_fixed:.2f} s + {wall_per_row:.0f} ns a row ({len(points)} runs)")
    lines += ["", "Servers: " + "; ".join(f"{label}: started in {start:.1f} s, idle {idle:.3f} CPU s a second"
                                         for label, start, idle in idle_rates)]
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(WORK, "results.md"), "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    with open(os.path.join(WORK, "results.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=1)


if __name__ == "__main__":
    sys.exit(main())
