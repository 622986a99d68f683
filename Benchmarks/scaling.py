#!/usr/bin/env python3
"""Prints verify's scaling table: measured on this machine's cores, more cores simulated.

Usage: scaling.py PART_CPU_FILE JOBS1_SECONDS JOBS1_CPU_SECONDS JOBS2_SECONDS
PART_CPU_FILE holds one line per part (in reading order): the CPU seconds (user + system) of
that part verified alone.

Each part is one task: its reader and, beside it, the thread hashing the bytes it reads. So
`--jobs 1` already uses more than one core, and core counts, not workers, are what scale: the
table's first row is the CPU time of `--jobs 1`, the work one core would do.

Model: a serial remainder (what no core can share: the directory audits' merge, the in-order
merge of the parts' results, the checks that need every part, process start) plus the parts'
CPU times handed out in order to the first free core, as verify hands parts to workers. The
remainder is fitted on the measured two-core time (S = T2 - makespan(parts, 2)). On two cores
S also absorbs what the cores share (memory bandwidth, the disk), so the simulated rows are an
estimate, not a promise.
"""
import heapq
import sys


def makespan(times, workers):
    free = [0.0] * workers
    heapq.heapify(free)
    end = 0.0
    for duration in times:
        start = heapq.heappop(free)
        heapq.heappush(free, start + duration)
        end = max(end, start + duration)
    return end


def main():
    times = [float(line) for line in open(sys.argv[1]) if line.strip()]
    jobs1, jobs1_cpu, jobs2 = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
    # Parts verified alone each pay process start and the final checks: scale them so that
    # they add up to the work of the whole run.
    serial = max(jobs2 - makespan(times, 2) * jobs1_cpu / sum(times), 0.0)
    scale = max(jobs1_cpu - serial, 0.0) / sum(times)
    parallel = [t * scale for t in times]
    print(f"parts={len(times)} serial remainder={serial:.2f}s largest part={max(parallel):.2f}s of CPU")
    print("cores    time     speedup  source")
    print(f"1        {jobs1_cpu:6.2f}s  1.00x    CPU time of --jobs 1 (its wall time: {jobs1:.2f}s)")
    print(f"2        {jobs2:6.2f}s  {jobs1_cpu / jobs2:.2f}x    measured (this machine has 2 cores)")
    for workers in (4, 8, 16, 24, 32):
        span = serial + makespan(parallel, workers)
        print(f"{workers:<8} {span:6.2f}s  {jobs1_cpu / span:.2f}x    simulated")
    floor = serial + max(parallel)
    print(f"floor: serial remainder + largest part = {floor:.2f}s ({jobs1_cpu / floor:.1f}x at most)")


if __name__ == "__main__":
    main()
