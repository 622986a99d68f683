#!/usr/bin/env python3
"""Reference CSV parsers for Benchmarks/run: Python's csv module and polars, on the same files.

Prints one line per tool: `NAME median=S throughput=GB/s records=N`.
"""
import glob
import os
import statistics
import sys
import time


def timed(runs, body):
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = body()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def python_csv(files):
    import csv

    records = 0
    for path in files:
        with open(path, newline="", encoding="utf-8") as handle:
            for _ in csv.reader(handle):
                records += 1
    return records


def polars_csv(files):
    import polars as pl

    records = 0
    for path in files:
        records += pl.read_csv(path, infer_schema=False).height + 1
    return records


def main():
    directory = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    files = sorted(glob.glob(os.path.join(directory, "*.csv")))
    total = sum(os.path.getsize(path) for path in files)
    for path in files:  # warm the page cache
        with open(path, "rb") as handle:
            while handle.read(1 << 24):
                pass
    tools = [("python-csv", python_csv)]
    try:
        import polars  # noqa: F401

        tools.append(("polars", polars_csv))
    except ImportError:
        print("polars not installed (pip install polars): skipped", file=sys.stderr)
    for name, body in tools:
        median, records = timed(runs, lambda: body(files))
        print(f"{name} median={median:.3f}s throughput={total / median / 1e9:.2f}GB/s records={records}")


if __name__ == "__main__":
    main()
