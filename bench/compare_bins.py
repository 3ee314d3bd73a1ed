#!/usr/bin/env python3
"""Clean builds by two Dateline binaries (or of two sites), taking turns.

Measures whether a change made builds slower: each round builds the site
with binary A, then with B (the order alternating from round to round), into
fresh output folders, so a machine that drifts during the run favours
neither. Prints each binary's median and the ratio B/A.

    python3 bench/compare_bins.py --a /tmp/old/dateline --b target/release/dateline \\
        --site /dev/shm/corpus-10000/native --rounds 7

With `--site-b`, B builds that site instead (the same binary twice compares
two settings, say `compress` on and off); the output sizes are printed too.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def build(binary, site, out):
    """(wall seconds, CPU seconds) of one clean build."""
    shutil.rmtree(out, ignore_errors=True)
    start, cpu_start = time.perf_counter(), cpu()
    done = subprocess.run([binary, "build", "-q", "-s", site, "-o", out],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{binary} failed:\n{done.stderr}")
    return elapsed, cpu() - cpu_start


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--a", required=True, help="the baseline binary")
    ap.add_argument("--b", required=True, help="the binary to compare")
    ap.add_argument("--site", required=True, help="the site folder to build")
    ap.add_argument("--site-b", default=None, help="the site B builds (default: --site)")
    ap.add_argument("--rounds", type=int, default=7, help="measured rounds, after one warm-up each")
    ap.add_argument("--work", default=None, help="where outputs go (default: a folder in /dev/shm or /tmp)")
    args = ap.parse_args()
    base = args.work or ("/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir())
    work = tempfile.mkdtemp(prefix="dateline-compare-", dir=base)
    outs = {"a": os.path.join(work, "a"), "b": os.path.join(work, "b")}
    bins = {"a": args.a, "b": args.b}
    sites = {"a": args.site, "b": args.site_b or args.site}
    times = {"a": [], "b": []}
    try:
        for key in ("a", "b"):
            build(bins[key], sites[key], outs[key])  # warm-up: page cache, allocator
        for r in range(args.rounds):
            order = ("a", "b") if r % 2 == 0 else ("b", "a")
            for key in order:
                times[key].append(build(bins[key], sites[key], outs[key]))
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        med = {k: statistics.median(t for t, _ in v) for k, v in times.items()}
        med_cpu = {k: statistics.median(c for _, c in v) for k, v in times.items()}
        for k in ("a", "b"):
            size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(outs[k]) for f in fs)
            print(f"{k}: output {size / 1e6:.1f} MB in {sites[k]}")
        for k in ("a", "b"):
            runs = ", ".join(f"{t:.3f}" for t, _ in times[k])
            print(f"{k}: {bins[k]}\n   median {med[k]:.3f} s wall, {med_cpu[k]:.3f} s CPU  (wall runs: {runs})")
        print(f"ratio b/a: {med['b'] / med['a']:.3f} wall, {med_cpu['b'] / med_cpu['a']:.3f} CPU"
              f"  (load average at the end: {load:.2f})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
