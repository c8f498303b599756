"""The SQL `mlops profile` sends to DuckDB, rendered for Spark SQL, so that Spark's cost for the same
aggregates can be measured before (and beside) the Spark engine itself.

ScanEngine logs every query at FINE; `logged_queries` runs `mlops profile` once with that log on and
returns them. `to_spark` rewrites the few DuckDB-only spellings the profiler uses and refuses any it
does not know, so that a new aggregate in the profiler fails here instead of being measured wrong.
"""
import os
import re
import subprocess
import tempfile

# Functions of the profiler's SQL that Spark spells the same (or that are rewritten below).
KNOWN = {"count", "min", "max", "avg", "var_pop", "approx_count_distinct", "floor", "cast", "isfinite",
         "regexp_full_match", "read_parquet", "case", "when", "then", "else", "end", "select", "from", "as",
         "group", "by", "grouping", "sets", "and", "or", "not", "describe", "double", "bigint", "varchar",
         "regexp", "abs", "list_position", "array_position", "array", "nullif"}


def logged_queries(mlops, data, work, threads=0):
    """The queries of one `mlops profile --data DATA` run, in order (DuckDB's dialect)."""
    props = os.path.join(work, "sql-log.properties")
    with open(props, "w", encoding="utf-8") as handle:
        handle.write("handlers=java.util.logging.ConsoleHandler\n"
                     "java.util.logging.ConsoleHandler.level=FINE\n"
                     "java.util.logging.SimpleFormatter.format=MLOPS-SQL<<%5$s>>MLOPS-SQL%n\n"
                     "io.jenkins.plugins.mlops.data.ScanEngine.level=FINE\n")
    env = dict(os.environ, MLOPS_JAVA_OPTS="-Djava.util.logging.config.file=" + props)
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run([mlops, "profile", "--data", data, "--out", os.path.join(out, "p.json"),
                              "--threads", str(threads)], env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"mlops profile failed ({run.returncode}): {run.stderr[-2000:]}")
    return [q[len("query: "):] for q in re.findall(r"MLOPS-SQL<<(.*?)>>MLOPS-SQL", run.stderr, re.S)]


def _segments(sql):
    """Splits SQL into (kind, text): 'code', 'string' ('...'), 'ident' ("...")."""
    out, i = [], 0
    while i < len(sql):
        quote = sql[i]
        if quote in "'\"":
            j = i + 1
            while True:
                j = sql.index(quote, j)
                if j + 1 < len(sql) and sql[j + 1] == quote:
                    j += 2  # a doubled quote inside
                    continue
                break
            out.append(("string" if quote == "'" else "ident", sql[i + 1:j].replace(quote * 2, quote)))
            i = j + 1
        else:
            j = i
            while j < len(sql) and sql[j] not in "'\"":
                j += 1
            out.append(("code", sql[i:j]))
            i = j
    return out


def _spark_string(text):
    # Spark's parser reads backslashes as escapes; a raw literal keeps a regex as DuckDB saw it.
    if "'" in text:
        raise ValueError(f"a quote inside a literal is not rendered: {text!r}")
    return ("r'" if "\\" in text else "'") + text + "'"


def to_spark(sql, relation):
    """DuckDB's query as Spark SQL; `relation` (e.g. parquet.`/dir`) replaces read_parquet([...])."""
    sql = re.sub(r"read_parquet\(\[[^\]]*\]\)", "\x00REL\x00", sql)
    # list_position([v, ...], x): the 1-based index of x, NULL when absent; Spark's array_position says 0.
    sql = re.sub(r"list_position\(\[([^\]]*)\], (\"[^\"]+\")\)", r"nullif(array_position(array(\1), \2), 0)", sql)
    # regexp_full_match(x, 'p'): the whole value matches; Spark's regexp() finds, so anchor it.
    sql = re.sub(r"regexp_full_match\((\"[^\"]+\"), '((?:[^']|'')*)'\)",
                 lambda m: f"regexp({m.group(1)}, '^(?:{m.group(2)})$')", sql)
    parts = []
    for kind, text in _segments(sql):
        if kind == "ident":
            parts.append("`" + text.replace("`", "``") + "`")
        elif kind == "string":
            parts.append(_spark_string(text))
        else:
            words = {w.lower() for w in re.findall(r"[A-Za-z_][A-Za-z_0-9]*(?=\s*\()", text)}
            unknown = words - KNOWN
            if unknown:
                raise ValueError(f"functions not rendered for Spark: {sorted(unknown)}")
            text = re.sub(r"\bAS VARCHAR\b", "AS STRING", text)
            parts.append(text)
    sql = "".join(parts)
    # isfinite(CAST(x AS DOUBLE)): Spark has none; NaN sorts above +Inf there, so one comparison does.
    sql = re.sub(r"isfinite\((CAST\(`[^`]+` AS DOUBLE\))\)", r"(abs(\1) < double('Infinity'))", sql)
    if "isfinite(" in sql:
        raise ValueError("an isfinite() argument not rendered for Spark")
    # Spark wants a name for a subquery in FROM.
    sql = re.sub(r"\) GROUP BY GROUPING SETS", ") AS t GROUP BY GROUPING SETS", sql)
    sql = re.sub(r"^DESCRIBE SELECT", "DESCRIBE QUERY SELECT", sql)
    return sql.replace("\x00REL\x00", relation)
