#!/usr/bin/env python3
"""Reference keyed diffs for Benchmarks/run diff, on the same CSVs as ExportGate:
Python csvdiff, daff, and DuckDB EXCEPT queries. Each tool gets a time limit; a tool that
exceeds it is reported as such rather than waited for.

Usage: diff_reference.py OLD_DIR NEW_DIR LIMIT_SECONDS
Prints `NAME median=S peak_rss=MB` (one run each: the slow tools take long).
"""
import os
import subprocess
import sys
import time


def timed(name, command, limit):
    start = time.perf_counter()
    try:
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "bash", "-c", command],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        print(f"{name} timeout>{limit}s")
        return
    elapsed = time.perf_counter() - start
    peak = int(done.stderr.strip().splitlines()[-1]) // 1024
    print(f"{name} median={elapsed:.3f}s peak_rss={peak}MB")


def main():
    old, new, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
    files = sorted(n for n in os.listdir(old) if n.endswith(".csv"))
    pairs = " ".join(f"{old}/{n}:{new}/{n}" for n in files)
    loop = f'for p in {pairs}; do a="${{p%%:*}}"; b="${{p#*:}}"; '
    timed("csvdiff", loop + 'csvdiff --style=summary Id "$a" "$b" > /dev/null || true; done', limit)
    timed("daff", loop + 'daff diff --id Id --output /dev/null "$a" "$b" || true; done', limit)
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "diff_duckdb.py")
    timed("duckdb-except", f"python3 {script} {old} {new}", limit)


if __name__ == "__main__":
    main()
