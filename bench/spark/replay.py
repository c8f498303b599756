"""One profile's queries on a Spark Connect server, as one client process: connect, run each query,
collect its (small) result, print the per-query wall seconds as JSON on stdout.

    replay.py sc://127.0.0.1:PORT QUERIES.json   # a JSON list of Spark SQL strings, in order

What a profile through Spark costs the client is this process (GNU time around it); what it costs
Spark is the server's CPU, which bench.py reads from /proc around it.
"""
import json
import sys
import time
import warnings

warnings.simplefilter("ignore", FutureWarning)  # pandas 3 against pyspark-client 4.2's minimum check

from pyspark.sql import SparkSession  # noqa: E402


def main(remote, queries_file):
    with open(queries_file, encoding="utf-8") as handle:
        queries = json.load(handle)
    start = time.perf_counter()
    spark = SparkSession.builder.remote(remote).getOrCreate()
    timings = {"connect_s": time.perf_counter() - start, "queries": []}
    for sql in queries:
        began = time.perf_counter()
        rows = spark.sql(sql).collect()
        timings["queries"].append({"wall_s": time.perf_counter() - began, "rows": len(rows),
                                   "bytes": len(repr(rows))})
    spark.stop()
    print(json.dumps(timings))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
