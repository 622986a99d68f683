#!/usr/bin/env python3
"""Runs commands several times and prints the median wall time, CPU time and peak RSS of each.

Usage: measure.py RUNS NAME -- CMD ... [;; NAME -- CMD ...]
The commands take turns (one run of each, RUNS times over). Each runs through `bash -c`, so
loops over parts work; peak RSS is the largest resident set among the processes the command
started, as GNU time reports it. When the
environment names MEASURE_BEFORE, that command runs (untimed) before every run: the cold-cache
figures evict the parts from the page cache with it.
"""
import os
import statistics
import subprocess
import sys
import time


def run(command):
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M %U %S", "bash", "-c", command],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    # GNU time prints the peak RSS (KB) of the command and the children it waited for, and
    # their user and system CPU seconds (a run on several threads spends more than its wall time).
    peak, user, system = done.stderr.strip().splitlines()[-1].split()
    return elapsed, int(peak), float(user) + float(system)


def main():
    runs = int(sys.argv[1])
    specs = [spec.strip().split(" -- ", 1) for spec in " ".join(sys.argv[2:]).split(";;")]
    times = {name: [] for name, _ in specs}
    peaks = {name: [] for name, _ in specs}
    cpus = {name: [] for name, _ in specs}
    # Round robin (A B C, A B C, ...) rather than A A A, B B B: on a shared machine the load
    # drifts over minutes, and interleaving spreads the drift over every command alike.
    for _ in range(runs):
        for name, command in specs:
            if os.environ.get("MEASURE_BEFORE"):
                subprocess.run(["bash", "-c", os.environ["MEASURE_BEFORE"]], check=True)
            elapsed, peak, cpu = run(command)
            times[name].append(elapsed)
            cpus[name].append(cpu)
            if peak:
                peaks[name].append(peak)
    for name, _ in specs:
        peak_text = f"{max(peaks[name]) / 1024:.0f}MB" if peaks[name] else "n/a"
        print(
            f"{name} median={statistics.median(times[name]):.3f}s min={min(times[name]):.3f}s "
            f"peak_rss={peak_text} cpu={statistics.median(cpus[name]):.3f}s")


if __name__ == "__main__":
    main()
