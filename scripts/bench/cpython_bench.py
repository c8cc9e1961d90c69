#!/usr/bin/env python3
"""Time CPython's ast.parse over its own standard library.

Writes the list of stdlib .py files this interpreter's ast.parse accepts
(site-packages and __pycache__ skipped, sorted) to --list, then parses them
all in a loop with the sources pre-read into memory, best of --runs, and
prints one JSON object like scripts/bench/parsebench does:
{"engine": "CPython 3.11.7 ast.parse", "files": N, "bytes": B, "errors": 0,
 "runs": [...], "seconds": S, "mbps": X}
With --use-list the given list is read instead of being written."""
import argparse, ast, gc, json, os, platform, sys, sysconfig, time, warnings


def stdlib_files():
    root = sysconfig.get_paths()["stdlib"]
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("site-packages", "__pycache__"))
        out.extend(os.path.join(dirpath, f) for f in filenames if f.endswith(".py"))
    return sorted(out)


def accepted(paths):
    keep = []
    for p in paths:
        with open(p, "rb") as f:
            src = f.read()
        try:
            ast.parse(src, p)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            continue
        keep.append(p)
    return keep


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--list", required=True, help="file list to write (or read with --use-list)")
    ap.add_argument("--use-list", action="store_true")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    warnings.simplefilter("ignore")  # invalid-escape warnings etc.

    if args.use_list:
        with open(args.list) as f:
            paths = [l.strip() for l in f if l.strip()]
    else:
        paths = accepted(stdlib_files())
        with open(args.list, "w") as f:
            f.write("".join(p + "\n" for p in paths))

    srcs = []
    for p in paths:
        with open(p, "rb") as f:
            srcs.append((p, f.read()))
    total = sum(len(s) for _, s in srcs)

    runs = []
    for _ in range(args.runs):
        gc.collect()
        start = time.perf_counter()
        for p, s in srcs:
            ast.parse(s, p)
        runs.append(time.perf_counter() - start)
    best = min(runs)
    json.dump({"engine": "CPython %s ast.parse" % platform.python_version(), "files": len(srcs),
               "bytes": total, "errors": 0, "runs": runs, "seconds": best,
               "mbps": total / 1e6 / best}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
