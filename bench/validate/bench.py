"""bench/validate driver (plain python3, standard library): run by run.sh, which installs the peers.

Generates the wide churn table (a reference and a drifted current file, fixed seeds) at two
sizes, then times each tool as a separate process under GNU time (wall seconds, peak RSS):
a bare DuckDB scan (the floor), mlops validate-data with a schema and the reference at both
sizes and against a saved reference profile, Great Expectations (pandas) with the same
checks, Evidently's DataDriftPreset on the same columns. Prints a table and the ratios, and
writes them to bench/validate/target/results.{json,md}.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORK = os.path.join(HERE, "target")
CHECKS = os.path.join(HERE, "checks.json")
VENV = os.path.join(HERE, ".venv")
PEERS = ("ge", "evidently", "pandera")
PEER_SCRIPTS = {"ge": "ge_validate.py", "evidently": "evidently_drift.py", "pandera": "pandera_validate.py"}
PEER_LABELS = {"ge": "great_expectations (pandas), same checks + KL drift",
               "evidently": "evidently DataDriftPreset, same columns",
               "pandera": "pandera on polars, same checks + KL drift"}
PEER_NAMES = {"ge": "GE", "evidently": "Evidently", "pandera": "Pandera (Polars)"}
PEER_PREFIXES = {"ge": "great_expectations:", "evidently": "evidently:", "pandera": "pandera:"}
# Peers fast enough to run in every round beside mlops, so that their ratio is paired too; the
# slow ones (tens of seconds to minutes) run once.
PEERS_IN_ROUNDS = ("pandera",)

# mlops at least this many times faster than each peer; within this many times the bare scan
# of both files (--reference) and of the current file (--reference-profile).
TARGETS = {"ge": 20.0, "evidently": 10.0, "pandera": 1.0, "duckdb": 1.5, "duckdb_current": 1.3}


def python_of(venv):
    return os.path.join(VENV, venv, "bin", "python")


def installed(venv):
    return os.path.exists(os.path.join(VENV, venv, ".installed"))


def install_failure(venv):
    log = os.path.join(VENV, venv + "-install.log")
    if not os.path.exists(log):
        return "not installed (run bench/validate/run.sh)"
    with open(log, encoding="utf-8", errors="replace") as handle:
        lines = [line.strip() for line in handle if line.strip()]
    return "not installed: " + (lines[-1] if lines else "see " + log)


def data_files(rows, extension):
    return (os.path.join(WORK, f"reference-{rows}.{extension}"),
            os.path.join(WORK, f"current-drifted-{rows}.{extension}"))


def generate(rows, extension):
    reference, current = data_files(rows, extension)
    make = [python_of("duckdb"), os.path.join(HERE, "make_data.py"), "--rows", str(rows)]
    if not os.path.exists(reference):
        subprocess.run(make + ["--seed", "1", "--out", reference], check=True)
    if not os.path.exists(current):
        subprocess.run(make + ["--seed", "2", "--id-start", str(rows + 1), "--drift", "--out", current],
                       check=True)
    return reference, current


def warm_page_cache(paths):
    # Every tool then reads from memory, not from the disk, whichever runs first.
    for path in paths:
        with open(path, "rb") as handle:
            while handle.read(1 << 24):
                pass


def mlops_schema(spec):
    """The checks of checks.json in the schema format of `mlops validate-data --schema` (YAML)."""
    lines = ["# Written by bench/validate/bench.py from checks.json.", "strict: true",
             f"row_count: {{min: {spec['row_count']['min']}, max: {spec['row_count']['max']}}}", "columns:"]
    for name, col in spec["columns"].items():
        keys = [f"type: {col['type']}"]
        if "max_null_fraction" in col:
            keys.append(f"max_null_fraction: {col['max_null_fraction']}")
        else:
            keys.append("nullable: false")
        keys += [f"{bound}: {col[bound]}" for bound in ("min", "max") if bound in col]
        if "allowed" in col:
            keys.append("categories: [" + ", ".join(json.dumps(v) for v in col["allowed"]) + "]")
        if col.get("unique"):
            keys.append("unique: true")
        if col.get("id"):
            keys.append("id: true")
        if col["type"] == "string" and "allowed" not in col:
            keys.append("drift: false")  # free text: the other tools leave it out of drift too
        lines.append(f"  {name}: {{{', '.join(keys)}}}")
    return "\n".join(lines) + "\n"


def measure(label, command, log_name):
    """Runs one command under GNU time; returns (wall s, peak RSS MiB, exit code, log, CPU s)."""
    os.makedirs(os.path.join(WORK, "logs"), exist_ok=True)
    log_path = os.path.join(WORK, "logs", log_name + ".log")
    time_path = log_path + ".time"
    print(f"bench: {label} ...", file=sys.stderr, flush=True)
    with open(log_path, "w", encoding="utf-8") as log:
        code = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", "-o", time_path] + command,
                              stdout=log, stderr=subprocess.STDOUT, cwd=ROOT).returncode
    with open(time_path, encoding="utf-8") as handle:
        wall, rss_kb, user, system = handle.read().split()[-4:]
    return float(wall), int(rss_kb) / 1024.0, code, log_path, float(user) + float(system)


class Row:
    def __init__(self, tool, rows, runs, expected_exit, findings=""):
        self.tool, self.rows, self.expected_exit, self.findings = tool, rows, expected_exit, findings
        self.walls = [r[0] for r in runs]
        self.cpus = [r[4] for r in runs]
        self.rss = max(r[1] for r in runs)
        self.codes = sorted({r[2] for r in runs})
        self.log = runs[-1][3]

    @property
    def wall(self):
        return statistics.median(self.walls)

    @property
    def cpu(self):
        return statistics.median(self.cpus)

    @property
    def ok(self):
        return self.codes == [self.expected_exit]



def mlops_findings(report_dir):
    path = os.path.join(report_dir, "validation.json")
    if not os.path.exists(path):
        return "no validation.json"
    with open(path, encoding="utf-8") as handle:
        result = json.load(handle)
    failed = [c for c in result["checks"] if c["status"] in ("FAIL", "WARN")]
    columns = sorted({c.get("column") or "table" for c in failed})
    return f"{len(result['checks'])} checks, {len(failed)} not passed: " + ", ".join(columns)


def last_line_with(log_path, prefix):
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        lines = [line.strip() for line in handle if line.startswith(prefix)]
    return lines[-1][len(prefix):].strip() if lines else ""


def main(argv=None):
    parser = argparse.ArgumentParser(description="mlops validate-data against GE, Evidently and DuckDB")
    parser.add_argument("--rows", type=int, default=2_000_000, help="rows of each file (default 2000000)")
    parser.add_argument("--small-rows", type=int, default=500_000,
                        help="second size for mlops, to show memory flat in rows (default 500000)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="rounds of mlops and DuckDB runs, interleaved; the median is reported (default 5)")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv",
                        help="file format of the generated data (default csv)")
    parser.add_argument("--engines", default="duckdb",
                        help="mlops --engine values to run, each a variant of mlops in the same rounds "
                             "(default duckdb; e.g. duckdb,arrow to compare them)")
    parser.add_argument("--mlops", action="append", default=[], metavar="LABEL=LAUNCHER",
                        help="another build of mlops to run in the same rounds: its launcher (e.g. a copy of ./mlops beside "
                             "cli/target of another DuckDB version), named in --engines as ENGINE@LABEL")
    parser.add_argument("--peers", default=",".join(PEERS),
                        help="peers to run, of ge,evidently,pandera (default all; empty for none)")
    args = parser.parse_args(argv)
    peers = [p for p in args.peers.split(",") if p]
    engines = [e for e in args.engines.split(",") if e]
    os.makedirs(WORK, exist_ok=True)
    mlops = os.path.join(ROOT, "mlops")
    launchers = dict(m.split("=", 1) for m in args.mlops)
    for engine in engines:
        if "@" in engine and engine.split("@", 1)[1] not in launchers:
            parser.error(f"--engines {engine}: no --mlops {engine.split('@', 1)[1]}=LAUNCHER")

    with open(CHECKS, encoding="utf-8") as handle:
        spec = json.load(handle)
    schema = os.path.join(WORK, "schema.yaml")
    with open(schema, "w", encoding="utf-8") as handle:
        handle.write(mlops_schema(spec))

    sizes = [args.rows] + ([args.small_rows] if args.small_rows and args.small_rows != args.rows else [])
    files = {rows: generate(rows, args.format) for rows in sizes}
    warm_page_cache([path for pair in files.values() for path in pair])
    load_before = os.getloadavg()
    started = time.time()

    reference, current = files[args.rows]
    tiny_ref, tiny_cur = generate(1000, args.format)
    # The profile is made first (once): the runs against it need it.
    profile = os.path.join(WORK, f"reference-profile-{args.rows}-{args.format}.json")
    profile_runs = [measure("mlops profile", [mlops, "profile", "--data", reference, "--out", profile], "mlops-profile")]

    # Each round runs every repeated command once, floors and mlops alike, so that a machine
    # whose speed drifts during the bench (a shared VM's does, by 30% or more) slows the floor
    # and mlops alike and the ratios stay fair; the median of the rounds is reported.
    # An engine of --engines is ENGINE or ENGINE@LABEL: --engine ENGINE of this checkout's mlops, or of --mlops LABEL's.
    def launcher(engine):
        return launchers[engine.split("@", 1)[1]] if "@" in engine else mlops

    def mlops_validate(cur, ref, report, engine):
        return [launcher(engine), "validate-data", "--data", cur, "--reference", ref, "--schema", schema, "--report", report,
                "--quiet", "--engine", engine.split("@", 1)[0]]
    jobs = [("duckdb", [python_of("duckdb"), os.path.join(HERE, "duckdb_scan.py"), reference, current]),
            ("duckdb-current", [python_of("duckdb"), os.path.join(HERE, "duckdb_scan.py"), current])]
    report_of = {}
    for engine in engines:
        report_of.update({(engine, rows): os.path.join(WORK, f"mlops-report-{engine}-{rows}") for rows in sizes})
        report_of[(engine, "profile")] = os.path.join(WORK, f"mlops-report-{engine}-profile-{args.rows}")
        jobs += [(f"mlops-{engine}-{rows}", mlops_validate(files[rows][1], files[rows][0], report_of[(engine, rows)], engine))
                 for rows in sizes]
        jobs += [(f"mlops-{engine}-1000", mlops_validate(tiny_cur, tiny_ref, os.path.join(WORK, f"mlops-report-{engine}-1000"), engine)),
                 (f"mlops-{engine}-vs-profile", [launcher(engine), "validate-data", "--data", current, "--reference-profile",
                                                 profile, "--schema", schema, "--report", report_of[(engine, "profile")],
                                                 "--quiet", "--engine", engine.split("@", 1)[0]])]
    def peer_command(peer):
        out = os.path.join(WORK, f"{peer}-result-{args.rows}.json")
        return [python_of(peer), os.path.join(HERE, PEER_SCRIPTS[peer]), "--reference", reference, "--current", current,
                "--checks", CHECKS, "--out", out]
    available = []
    for peer in peers:
        if installed(peer):
            available.append(peer)
        else:
            print(f"bench: {peer}: {install_failure(peer)}", file=sys.stderr)
    jobs += [(peer, peer_command(peer)) for peer in available if peer in PEERS_IN_ROUNDS]
    runs = {name: [] for name, _ in jobs}
    for k in range(args.repeat):
        for name, command in jobs:
            runs[name].append(measure(f"{name} (round {k + 1}/{args.repeat})", command, f"{name}-{k + 1}"))

    results = [Row("duckdb bare scan of both files (floor)", args.rows, runs["duckdb"], expected_exit=0),
               Row("duckdb bare scan of the current file", args.rows, runs["duckdb-current"], expected_exit=0)]
    for engine in engines:
        for rows in sizes:
            results.append(Row(f"mlops validate-data --schema --reference --engine {engine}", rows, runs[f"mlops-{engine}-{rows}"], 1,
                               mlops_findings(report_of[(engine, rows)])))
        # The fixed cost (JVM, DuckDB, report) that every run pays whatever its rows: a 1,000-row pair.
        results.append(Row(f"mlops validate-data --schema --reference --engine {engine} (fixed cost)", 1000,
                           runs[f"mlops-{engine}-1000"], 1))
        results.append(Row(f"mlops validate-data --schema --reference-profile --engine {engine}", args.rows,
                           runs[f"mlops-{engine}-vs-profile"], 1, mlops_findings(report_of[(engine, "profile")])))
    results.append(Row("mlops profile (reference, once)", args.rows, profile_runs, 0))

    peer_rows = {}
    for peer in available:
        peer_runs = runs[peer] if peer in runs else [measure(peer, peer_command(peer), peer)]
        row = Row(PEER_LABELS[peer], args.rows, peer_runs, 1, last_line_with(peer_runs[-1][3], PEER_PREFIXES[peer]))
        results.append(row)
        peer_rows[peer] = row

    report_results(args, engines, results, peer_rows, load_before, time.time() - started)
    return 0 if all(r.ok for r in results) else 1


def paired_ratio(tool_runs, floor_runs):
    """The median of the per-round ratios: each round ran both back to back, on the same machine speed."""
    return statistics.median(t / f for t, f in zip(tool_runs, floor_runs))


def report_results(args, engines, results, peer_rows, load_before, elapsed):
    floor, floor_current = results[0], results[1]
    lines = [
        f"bench/validate: {args.rows:,} rows x 23 columns per file (reference + drifted current, "
        f"{args.format}), "
        f"median of {args.repeat} interleaved rounds for mlops/duckdb (ratios: median of the rounds' ratios), "
        f"{', '.join(PEERS_IN_ROUNDS)} in the rounds too, 1 run for the other peers",
        f"machine: {os.cpu_count()} cores, {platform.platform()}, load average before "
        f"{load_before[0]:.2f} / after {os.getloadavg()[0]:.2f}, bench took {elapsed:.0f} s",
        "",
        "| tool | rows | wall s | CPU s | peak RSS MiB | exit | found |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        exit_text = ",".join(map(str, r.codes)) + ("" if r.ok else f" (expected {r.expected_exit})")
        lines.append(f"| {r.tool} | {r.rows:,} | {r.wall:.2f} | {r.cpu:.2f} | {r.rss:.0f} | {exit_text} "
                     f"| {r.findings} |")
    lines.append("")
    ratios = {}
    for number, engine in enumerate(engines):
        # The first engine keeps the keys of earlier rounds; the others' keys name their engine.
        key = "" if number == 0 else f"[{engine}]"
        main_tool = f"mlops validate-data --schema --reference --engine {engine}"
        mlops_main = next(r for r in results if r.tool == main_tool and r.rows == args.rows)
        mlops_small = next((r for r in results if r.tool == main_tool and r.rows == args.small_rows and r.rows != args.rows), None)
        mlops_vs_profile = next(r for r in results if r.tool == f"mlops validate-data --schema --reference-profile --engine {engine}")
        lines.append(f"--engine {engine}:")
        for peer, row in peer_rows.items():
            paired = peer in PEERS_IN_ROUNDS  # run in the rounds beside mlops
            ratios[f"{peer}/mlops{key}"] = paired_ratio(row.walls, mlops_main.walls) if paired else row.wall / mlops_main.wall
            ratios[f"{peer}/mlops{key} cpu"] = paired_ratio(row.cpus, mlops_main.cpus) if paired else row.cpu / mlops_main.cpu
            lines.append(f"{PEER_NAMES[peer]}/mlops: wall {ratios[f'{peer}/mlops{key}']:.1f}x, "
                         f"CPU {ratios[f'{peer}/mlops{key} cpu']:.1f}x (target >= {TARGETS[peer]:.0f}x)")
        ratios[f"mlops{key}/duckdb"] = paired_ratio(mlops_main.walls, floor.walls)
        ratios[f"mlops{key}/duckdb cpu"] = paired_ratio(mlops_main.cpus, floor.cpus)
        lines.append(f"mlops --reference / bare scan of both files: wall {ratios[f'mlops{key}/duckdb']:.2f}x, "
                     f"CPU {ratios[f'mlops{key}/duckdb cpu']:.2f}x (target <= {TARGETS['duckdb']:.1f}x)")
        ratios[f"mlops{key}_profile/duckdb_current"] = paired_ratio(mlops_vs_profile.walls, floor_current.walls)
        ratios[f"mlops{key}_profile/duckdb_current cpu"] = paired_ratio(mlops_vs_profile.cpus, floor_current.cpus)
        lines.append(f"mlops --reference-profile / bare scan of the current file: wall "
                     f"{ratios[f'mlops{key}_profile/duckdb_current']:.2f}x, CPU {ratios[f'mlops{key}_profile/duckdb_current cpu']:.2f}x "
                     f"(target <= {TARGETS['duckdb_current']:.1f}x)")
        fixed = next((r for r in results if r.tool == f"{main_tool} (fixed cost)"), None)
        if fixed:
            ratios[f"mlops{key}_fixed_s"] = fixed.wall
            ratios[f"mlops{key}_fixed_cpu_s"] = fixed.cpu
            lines.append(f"mlops fixed cost (1,000 rows): {fixed.wall:.2f} s wall, {fixed.cpu:.2f} CPU s, of the "
                         f"{mlops_vs_profile.wall:.2f} s of --reference-profile at {args.rows:,} rows")
            # The engine apart from the start-up (JVM, classes, DuckDB's native library), which a 1,000-row run is almost all of.
            engine_cpu = statistics.median(m - f for m, f in zip(mlops_main.cpus, fixed.cpus))
            engine_profile_cpu = statistics.median(m - f for m, f in zip(mlops_vs_profile.cpus, fixed.cpus))
            ratios[f"mlops{key}_engine/duckdb cpu"] = engine_cpu / floor.cpu
            ratios[f"mlops{key}_engine_profile/duckdb_current cpu"] = engine_profile_cpu / floor_current.cpu
            lines.append(f"engine CPU without the fixed cost: --reference {engine_cpu:.2f} s "
                         f"({ratios[f'mlops{key}_engine/duckdb cpu']:.2f}x the floor), --reference-profile {engine_profile_cpu:.2f} s "
                         f"({ratios[f'mlops{key}_engine_profile/duckdb_current cpu']:.2f}x the current file's scan)")
        if mlops_small:
            ratios[f"mlops{key}_rss_large/small"] = mlops_main.rss / mlops_small.rss
            lines.append(f"mlops peak RSS at {args.rows:,} / {args.small_rows:,} rows: "
                         f"{ratios[f'mlops{key}_rss_large/small']:.2f}x ({mlops_main.rss:.0f} / {mlops_small.rss:.0f} MiB; "
                         f"rows x{args.rows / args.small_rows:.0f})")
    for r in results:
        if not r.ok:
            lines.append(f"UNEXPECTED EXIT for {r.tool} ({r.rows:,} rows): see {r.log}")
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(WORK, "results.md"), "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    with open(os.path.join(WORK, "results.json"), "w", encoding="utf-8") as handle:
        json.dump({"rows": args.rows, "ratios": ratios, "runs": [
            {"tool": r.tool, "rows": r.rows, "wall_s": r.walls, "cpu_s": r.cpus, "peak_rss_mib": r.rss,
             "exit": r.codes,
             "found": r.findings} for r in results]}, handle, indent=2)


if __name__ == "__main__":
    sys.exit(main())
