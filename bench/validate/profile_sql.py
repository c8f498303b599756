"""Where mlops validate-data spends its time: its DuckDB SQL replayed from Python, as is and as proposed.

Mirrors the aggregates of core data/Profiler.java and SchemaChecks.java (as of commit 7d9fcce)
on the bench files, with mlops' engine settings (2 threads, strict CSV options), and times
four variants: the bare scan, the SQL as it is (two passes per file), the proposal (the current
file in one pass on the reference's histogram grid, category checks read off the category
histogram, a regex for blank strings, the finite cast projected once), and the proposal against
a saved reference profile. One bin width (0.25) stands in for the per-column histogram grids.
Not part of run.sh; run it by hand after run.sh made the data:

    bench/validate/.venv/duckdb/bin/python bench/validate/profile_sql.py \\
        bench/validate/target/reference-2000000.csv bench/validate/target/current-drifted-2000000.csv
"""
import json
import os
import resource
import sys
import time

import duckdb

ref_path, cur_path = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute("SET threads=2"); con.execute("SET preserve_insertion_order=false"); con.execute("SET memory_limit='2GB'")
def rel(p): return f"read_csv(['{p}'], header = true, delim = ',', quote = '\"', escape = '\"', strict_mode = true, null_padding = false, ignore_errors = false)"
cols = con.execute(f"DESCRIBE SELECT * FROM {rel(ref_path)}").fetchall()
spec = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "checks.json")))
Q = lambda c: f'"{c}"'; D = lambda c: f'CAST("{c}" AS DOUBLE)'
cats = [c for c, col in spec["columns"].items() if "allowed" in col]
def p1(blank, finite_proj):
    a = []
    for c, typ, *_ in cols:
        q = Q(c); d = D(c) if not finite_proj or typ != "DOUBLE" else Q(c + "_f")
        a.append(f"count({q})")
        if typ == "BIGINT":
            a += [f"min({d})", f"max({d})", f"avg({d})", f"var_pop({d})", f"approx_count_distinct({q})"]
        elif typ == "DOUBLE":
            if finite_proj:
                a += [f"count(*) FILTER (WHERE isnan({D(c)}))", f"count({d})", f"min({d})", f"max({d})", f"avg({d})", f"var_pop({d})"]
            else:
                f = f" FILTER (WHERE isfinite({d}))"
                a += [f"count(*) FILTER (WHERE isnan({d}))", f"count({d}){f}", f"min({d}){f}", f"max({d}){f}", f"avg({d}){f}", f"var_pop({d}){f}"]
        elif typ == "VARCHAR":
            a += [blank(q), f"approx_count_distinct({q})"]
        elif typ == "BOOLEAN":
            a += [f"approx_count_distinct({q})"]
        elif typ == "DATE":
            a += [f"CAST(min({q}) AS VARCHAR)", f"CAST(max({q}) AS VARCHAR)", f"approx_count_distinct({q})"]
    return a
def extras(with_categories):
    a = []
    for c, col in spec["columns"].items():
        q = Q(c)
        if with_categories and "allowed" in col:
            lst = ", ".join("'" + v + "'" for v in col["allowed"])
            u = f"{q} IS NOT NULL AND CAST({q} AS VARCHAR) NOT IN ({lst})"
            a += [f"count(*) FILTER (WHERE {u})", f"min(CAST({q} AS VARCHAR)) FILTER (WHERE {u})", f"max(CAST({q} AS VARCHAR)) FILTER (WHERE {u})"]
        if ("min" in col or "max" in col) and col["type"] in ("integer","float") and not col.get("id"):
            conds = []
            if "min" in col: conds.append(f"{D(c)} < {float(col['min'])}")
            if "max" in col: conds.append(f"{D(c)} > {float(col['max'])}")
            a.append(f"count(*) FILTER (WHERE {' OR '.join(conds)})")
    a.append("count(DISTINCT customer_id)")
    return a
def p2():
    a = []
    for c, typ, *_ in cols:
        d = D(c)
        if typ in ("BIGINT","DOUBLE") and c != "customer_id":
            a.append(f"histogram(CAST(floor({d} * 0.25) AS BIGINT)) FILTER (WHERE isfinite({d}))")
        elif typ == "BOOLEAN" or c in cats:
            a.append(f"histogram(CAST({Q(c)} AS VARCHAR))")
    return a
def source(p, finite_proj):
    if not finite_proj: return rel(p)
    proj = ", ".join(f"CASE WHEN isfinite({D(c)}) THEN {D(c)} END AS {Q(c + '_f')}" for c, typ, *_ in cols if typ == "DOUBLE")
    return f"(SELECT *, {proj} FROM {rel(p)})"
def run(label, queries):
    r0 = resource.getrusage(resource.RUSAGE_SELF); w = time.time()
    for q in queries: con.execute(q).fetchall()
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    print(f"{label:60s} wall {time.time()-w:6.2f}  cpu {(r1.ru_utime-r0.ru_utime)+(r1.ru_stime-r0.ru_stime):6.2f}", flush=True)
trim = lambda q: f"count(*) FILTER (WHERE trim({q}) = '')"
regex = lambda q: f"count(*) FILTER (WHERE regexp_full_match({q}, '\\s*'))"
floor = lambda p: "SELECT count(*), " + ", ".join(f'count("{c}"), min("{c}"), max("{c}")' for c, *_ in cols) + f" FROM {rel(p)}"
run("floor: one scan per file", [floor(ref_path), floor(cur_path)])
run("as is: 2 passes per file, category extras, trim, FILTERs", [
    f"SELECT {', '.join(p1(trim, False))} FROM {rel(ref_path)}", f"SELECT {', '.join(p2())} FROM {rel(ref_path)}",
    f"SELECT {', '.join(p1(trim, False) + extras(True))} FROM {rel(cur_path)}", f"SELECT {', '.join(p2())} FROM {rel(cur_path)}"])
run("proposed: current in 1 pass on the reference grid, lean aggs", [
    f"SELECT {', '.join(p1(regex, True))} FROM {source(ref_path, True)}", f"SELECT {', '.join(p2())} FROM {rel(ref_path)}",
    f"SELECT {', '.join(p1(regex, True) + extras(False) + p2())} FROM {source(cur_path, True)}"])
run("proposed, reference from a saved profile (current only)", [
    f"SELECT {', '.join(p1(regex, True) + extras(False) + p2())} FROM {source(cur_path, True)}"])
