#!/usr/bin/env python3
"""Prints verify's scaling table: measured --jobs 1 and 2, and more workers simulated.

Usage: scaling.py PART_TIMES_FILE JOBS1_SECONDS JOBS2_SECONDS
PART_TIMES_FILE holds one line per part (in reading order): that part verified alone, --jobs 1.

Model: a serial remainder (what no worker can share: the in-order merge of the parts' results,
the checks that need every part, process start) plus the parts handed out in order to the
first free worker, as verify does. The serial remainder is fitted on the two measured points
(Amdahl: T2 = S + (T1 - S) / 2, so S = 2 T2 - T1); the part times are scaled so that they sum
to T1 - S. On two cores S also absorbs what the cores share (memory bandwidth, the disk), so
the simulated rows are an estimate, not a promise.
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
    jobs1, jobs2 = float(sys.argv[2]), float(sys.argv[3])
    serial = min(max(2 * jobs2 - jobs1, 0.0), jobs1)
    scale = (jobs1 - serial) / sum(times)
    parallel = [t * scale for t in times]
    print(f"parts={len(times)} serial remainder={serial:.2f}s largest part={max(parallel):.2f}s")
    print("workers  time     speedup  source")
    print(f"1        {jobs1:6.2f}s  1.00x    measured")
    print(f"2        {jobs2:6.2f}s  {jobs1 / jobs2:.2f}x    measured (this machine has 2 cores)")
    for workers in (4, 8, 16, 24, 32):
        span = serial + makespan(parallel, workers)
        print(f"{workers:<8} {span:6.2f}s  {jobs1 / span:.2f}x    simulated")
    floor = serial + max(parallel)
    print(f"floor: serial remainder + largest part = {floor:.2f}s ({jobs1 / floor:.1f}x at most)")


if __name__ == "__main__":
    main()
