#!/usr/bin/env python3
"""Makes the NEW side of the diff benchmark from OLD's CSVs: about 1% of records removed,
2% changed (one or two fields), 1% added, deterministically (by Id).

Usage: diff_data.py OLD_DIR NEW_DIR
"""
import csv
import hashlib
import os
import sys


def bucket(record_id):
    return int(hashlib.md5(record_id.encode()).hexdigest()[:8], 16) % 100


def main():
    old_dir, new_dir = sys.argv[1], sys.argv[2]
    os.makedirs(new_dir, exist_ok=True)
    for name in sorted(os.listdir(old_dir)):
        if not name.endswith(".csv"):
            continue
        with open(os.path.join(old_dir, name), newline="", encoding="utf-8") as source, \
                open(os.path.join(new_dir, name), "w", newline="", encoding="utf-8") as target:
            reader = csv.reader(source)
            writer = csv.writer(target, quoting=csv.QUOTE_ALL, lineterminator="\n")
            header = next(reader)
            writer.writerow(header)
            added = []
            for row in reader:
                b = bucket(row[0])
                if b == 0:
                    continue  # removed
                if b in (1, 2):  # changed
                    row[-1] = row[-1] + " (edited)"
                    if b == 2 and len(row) > 3:
                        row[2] = row[2] + "!"
                if b == 3:  # a new record alongside: same values, a fresh Id
                    fresh = list(row)
                    fresh[0] = row[0][:3] + "Zz" + row[0][5:]
                    added.append(fresh)
                writer.writerow(row)
            writer.writerows(added)


if __name__ == "__main__":
    main()
