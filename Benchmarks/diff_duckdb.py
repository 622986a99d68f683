#!/usr/bin/env python3
"""DuckDB reference for the diff benchmark: per object, NEW EXCEPT OLD (added or changed rows)
and OLD EXCEPT NEW (removed or changed rows), on 2 threads. Prints the counts.

Usage: diff_duckdb.py OLD_DIR NEW_DIR
"""
import os
import sys

import duckdb


def main():
    old, new = sys.argv[1], sys.argv[2]
    connection = duckdb.connect()
    connection.execute("SET threads=2")
    for name in sorted(n for n in os.listdir(old) if n.endswith(".csv")):
        a = os.path.join(old, name)
        b = os.path.join(new, name)
        read = "read_csv('{}', all_varchar=true, header=true)"
        newer = connection.execute(
            f"select count(*) from (select * from {read.format(b)} except select * from {read.format(a)})").fetchone()[0]
        older = connection.execute(
            f"select count(*) from (select * from {read.format(a)} except select * from {read.format(b)})").fetchone()[0]
        print(name, newer, older)


if __name__ == "__main__":
    main()
