#!/usr/bin/env python3
"""Render scripts/bench/run.sh's results as a markdown table.
Usage: table.py CPYTHON.json NATIVE.json WASM.json STATS.txt WASM_BYTES"""
import json, platform, sys


def load(path):
    with open(path) as f:
        return json.loads(f.read())


def main(argv):
    cpython, native, wasm = (load(p) for p in argv[1:4])
    with open(argv[4]) as f:
        stats = dict(kv.split("=", 1) for kv in f.read().split())
    wasm_bytes = int(argv[5])
    base = cpython["mbps"]
    rows = [
        (cpython["engine"], cpython["seconds"], cpython["mbps"], cpython["errors"]),
        ("pyast native (%s)" % native["engine"].split()[-1], native["seconds"], native["mbps"], native["errors"]),
        ("pyast js/wasm in Node", wasm["seconds"], wasm["mbps"], wasm["errors"]),
        ("`preflight ast --stats` (native CLI)", float(stats["seconds"]), float(stats["MBps"]), int(stats["errors"])),
    ]
    print("Corpus: %d files of the CPython %s standard library that its ast.parse accepts, %.2f MB; "
          "best of %d runs, sources pre-read (the CLI row: one run, parse time only). Machine: %s, %s."
          % (cpython["files"], cpython["engine"].split()[1], cpython["bytes"] / 1e6, len(cpython["runs"]),
             platform.machine(), platform.platform(terse=True)))
    print()
    print("| engine | seconds | MB/s | × CPython | files with errors |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, sec, mbps, errors in rows:
        print("| %s | %.2f | %.2f | %.2f× | %d |" % (name, sec, mbps, mbps / base if base else 0, errors))
    print()
    print("js/wasm binary (parsebench, -ldflags=-s): %.2f MB." % (wasm_bytes / 1e6))
    if native["bytes"] != cpython["bytes"] or wasm["bytes"] != cpython["bytes"]:
        print("\nWARNING: engines read different byte counts: %d / %d / %d"
              % (cpython["bytes"], native["bytes"], wasm["bytes"]))


if __name__ == "__main__":
    main(sys.argv)
