#!/usr/bin/env python3
"""Inflates a gzip file with zlib (as libarchive does: streaming, CRC-32 checked by zlib),
1 MiB at a time, discarding the output. The zlib baseline of `Benchmarks/run inflate`; GNU
gzip has an inflate and CRC of its own and is no measure of zlib."""
import sys
import zlib

decompressor = zlib.decompressobj(wbits=31)
with open(sys.argv[1], "rb") as source:
    while True:
        chunk = source.read(1 << 20)
        if not chunk:
            break
        while chunk:
            decompressor.decompress(chunk, 1 << 20)
            chunk = decompressor.unconsumed_tail
decompressor.flush()
