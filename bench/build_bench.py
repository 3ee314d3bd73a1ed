#!/usr/bin/env python3
"""Benchmark full builds of Dateline (and optionally Hugo) on generated corpora.

    python3 bench/build_bench.py --sizes 1000,10000 --runs 3 [--hugo]
        [--bin PATH] [--work DIR | --disk DIR] [--seed 1] [--json FILE]
        [--corpus DIR]... [--floor]

For each size the corpus is generated with bench/corpus.py, or reused from the
work folder if one with the same size, seed and generator is there. Then,
each measured --runs times after one unrecorded warm-up (the clean builds of
the tools, and the floor, take turns round by round, so a machine whose
speed drifts favours neither side of a ratio):

  dateline clean     output folder deleted, then `dateline build -q`
  dateline rebuild   `dateline build -q` again over the existing output
  hugo clean         (with --hugo) output folder deleted, then `hugo --quiet`
  copy floor         (with --floor) `cp -r` of Dateline's output to a fresh
                     folder: the kernel's cost of creating that many files and
                     folders, which no generator can go below

--corpus DIR measures an existing corpus instead of generating one: DIR holds
the Dateline site in `dateline/` or `native/` and the Hugo site in `hugo/`, as
written by ../shared/bench/gen_corpus.py (the shared reference corpus).

Each run records wall time (measured here around the process) and the peak
resident set size of the tool (from `/usr/bin/time -v` when present, else from
os.wait4, which reports the rusage of exactly that child).

The work folder (corpus and outputs) is /dev/shm/dateline-bench when /dev/shm
exists, else /tmp/dateline-bench; --disk DIR puts both on DIR instead, to
include real file-system writes. Prints a markdown table of medians and writes
every number as JSON (default WORK/results/build-<time>.json).
"""

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402  (bench/corpus.py, beside this file)

DEFAULT_BIN = HERE.parent / "target" / "release" / "dateline"
GNU_TIME = "/usr/bin/time"


class BuildFailed(Exception):
    """A measured command exited with a non-zero status."""


# --------------------------------------------------------------------------
# Running and measuring one command
# --------------------------------------------------------------------------

def run_with_gnu_time(cmd, log):
    """Runs `cmd` under `/usr/bin/time -v`; returns (exit code, wall s, rusage dict)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.perf_counter()
        code = subprocess.call([GNU_TIME, "-v", "-o", report.name] + cmd,
                               stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        text = Path(report.name).read_text()

    def field(label):
        m = re.search(re.escape(label) + r":\s*([\d.]+)", text)
        return float(m.group(1)) if m else None

    return code, wall, {
        "peak_rss_kib": field("Maximum resident set size (kbytes)"),
        "user_s": field("User time (seconds)"),
        "sys_s": field("System time (seconds)"),
    }


def run_with_wait4(cmd, log):
    """Runs `cmd` and reaps it with os.wait4; returns (exit code, wall s, rusage dict).

    RUSAGE_CHILDREN's ru_maxrss is a high-water mark over every child ever
    reaped, so differences of it cannot show a smaller later run; wait4
    returns the usage of this one child. Caveat: Linux carries the high-water
    mark across exec, so the figure is at least the RSS of this Python
    process at spawn time (recorded as spawner_rss_mib); /usr/bin/time, a
    small C program, does not have that floor.
    """
    start = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, os.environ, file_actions=[
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_DUP2, log.fileno(), 1),
        (os.POSIX_SPAWN_DUP2, log.fileno(), 2),
    ])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    return os.waitstatus_to_exitcode(status), wall, {
        "peak_rss_kib": float(usage.ru_maxrss),
        "user_s": usage.ru_utime,
        "sys_s": usage.ru_stime,
        "spawner_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def measure(cmd, method):
    """Runs `cmd` once; returns {wall_s, peak_rss_mib, user_s, sys_s}.

    Raises BuildFailed with the command's output if it fails.
    """
    with tempfile.TemporaryFile("w+") as log:
        runner = run_with_gnu_time if method == "time" else run_with_wait4
        code, wall, usage = runner(cmd, log)
        if code != 0:
            log.seek(0)
            raise BuildFailed(f"exit {code}: {' '.join(cmd)}\n{log.read()[-3000:]}")
    rss = usage.pop("peak_rss_kib")
    return {
        "wall_s": round(wall, 4),
        "peak_rss_mib": round(rss / 1024, 1) if rss is not None else None,
        **usage,
    }


def repeat(label, cmd, runs, method, before=None):
    """One warm-up and `runs` measured runs of `cmd`; `before()` runs first
    each time (outside the timing). Returns the list of measurements."""
    return interleave([(label, cmd, before)], runs, method)[label]


def interleave(cases, runs, method):
    """One warm-up round and `runs` measured rounds, each running every case
    of `cases` ((label, cmd, before) triples) once, in order. Alternating
    the tools, rather than running one tool's runs then the other's, keeps
    a machine whose speed drifts over minutes (shared virtual machines do)
    from favouring either side of a ratio. Returns {label: measurements}."""
    results = {label: [] for label, _, _ in cases}
    for i in range(runs + 1):
        tag = "warm-up" if i == 0 else f"run {i}/{runs}"
        for label, cmd, before in cases:
            if before:
                before()
            result = measure(cmd, method)
            if i > 0:
                results[label].append(result)
            print(f"  {label:<18} {tag:<9} {result['wall_s']:8.3f} s  {result['peak_rss_mib']} MiB",
                  file=sys.stderr)
    return results


# --------------------------------------------------------------------------
# Corpus, outputs and environment
# --------------------------------------------------------------------------

def ensure_corpus(work, n, seed):
    """The corpus folder for (n, seed), generated unless a matching one is cached."""
    folder = work / f"corpus-{n}-seed{seed}"
    stats_file = folder / "stats.json"
    if stats_file.exists():
        stats = json.loads(stats_file.read_text())
        if (stats.get("n"), stats.get("seed"), stats.get("generator_sha256")) == \
                (n, seed, corpus.source_digest()) and \
                set(stats.get("formats", [])) >= {"dateline", "hugo"}:
            print(f"corpus {n}: cached in {folder}", file=sys.stderr)
            return folder, stats
    print(f"corpus {n}: generating in {folder} ...", file=sys.stderr)
    start = time.perf_counter()
    stats = corpus.write_corpus(n, seed, folder, ("dateline", "hugo"), force=False)
    print(f"corpus {n}: generated in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return folder, stats


def remove(path):
    """Deletes a folder if it exists."""
    if path.exists():
        shutil.rmtree(path)


def count_pages(out):
    """HTML pages under `out`, not counting Hugo's small redirect pages."""
    pages = 0
    for root, _, files in os.walk(out):
        for name in files:
            if not name.endswith(".html"):
                continue
            path = os.path.join(root, name)
            if os.path.getsize(path) < 1024 and 'http-equiv="refresh"' in Path(path).read_text(errors="replace"):
                continue
            pages += 1
    return pages


def fs_type(path):
    """The file-system type (`tmpfs`, `ext4`...) holding `path`, from /proc/mounts."""
    best, kind = "", "unknown"
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return kind
    target = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3:
            mount = parts[1]
            if (target == mount or target.startswith(mount.rstrip("/") + "/")) and len(mount) >= len(best):
                best, kind = mount, parts[2]
    return kind


def running_hugo_servers():
    """PIDs of `hugo server` processes (another measurement may be running)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if len(argv) > 1 and argv[0].endswith(b"hugo") and argv[1] == b"server":
                pids.append(int(entry.name))
    return pids


def version(cmd):
    """First line of a version command's output, or None."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip()
        return out.splitlines()[0] if out else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def binary_identity(path):
    """(size, mtime) of a binary, to notice it being rebuilt mid-benchmark."""
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


# --------------------------------------------------------------------------
# Benchmark and report
# --------------------------------------------------------------------------

def given_corpus(path):
    """(folder, Dateline site, n, expected pages) of a corpus made elsewhere."""
    folder = Path(path).resolve()
    site = next((folder / d for d in ("dateline", "native") if (folder / d / "site.toml").exists()), None)
    if site is None or not (folder / "hugo").is_dir():
        sys.exit(f"build_bench.py: {folder} holds no dateline/ (or native/) and hugo/ sites")
    stats = json.loads((folder / "stats.json").read_text()) if (folder / "stats.json").exists() else {}
    n = stats.get("articles") or stats.get("n") or sum(1 for _ in (site / "content").rglob("*.md"))
    return folder, site, n, stats.get("expected_pages") or stats.get("expected_html_pages")


def bench_size(n, args, work, given=None):
    """All measurements for one corpus size; returns a JSON-ready dict."""
    if given:
        folder, site, n, expected = given_corpus(given)
    else:
        folder, stats = ensure_corpus(work, n, args.seed)
        site, expected = folder / "dateline", stats["expected_pages"]
    result = {"n": n, "corpus": str(folder), "expected_pages": expected}
    out = work / f"out-dateline-{n}"
    build = [args.bin, "build", "-s", str(site), "-o", str(out), "-q"]
    identity = binary_identity(args.bin)
    copy = work / f"out-floor-{n}"
    hsite, hout = folder / "hugo", work / f"out-hugo-{n}"
    hugo = args.hugo_bin and (args.hugo_max is None or n <= args.hugo_max)
    # Clean builds of each tool (and the copy floor, which copies the output
    # Dateline just wrote) take turns, round after round.
    cases = [("dateline clean", build, lambda: remove(out))]
    if args.floor:
        cases.append(("copy floor", ["cp", "-r", str(out), str(copy)], lambda: remove(copy)))
    if hugo:
        hugo_cmd = [args.hugo_bin, "--quiet", "-s", str(hsite), "-d", str(hout)]
        cases.append(("hugo clean", hugo_cmd, lambda: remove(hout)))
    clean = interleave(cases, args.runs, args.rss)
    remove(copy)
    result["dateline"] = {
        "clean": clean["dateline clean"],
        "rebuild": repeat("dateline rebuild", build, args.runs, args.rss),
        "pages": count_pages(out),
    }
    if binary_identity(args.bin) != identity:
        result["dateline"]["warning"] = "the binary changed during these runs"
        print(f"warning: {args.bin} changed during the runs for {n}", file=sys.stderr)
    if args.floor:
        result["floor"] = {"clean": clean["copy floor"]}
    remove(out)
    if hugo:
        result["hugo"] = {"clean": clean["hugo clean"], "pages": count_pages(hout)}
        remove(hout)
    return result


def median(runs, key):
    """Median of one field over a list of runs (None if missing)."""
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=2):
    """A table cell: a number, or a dash."""
    return "–" if value is None else f"{value:.{digits}f}"


def ratio(a, b):
    """a / b as a table cell."""
    return "–" if a is None or not b else f"{a / b:.2f}"


def markdown_table(results):
    """The markdown table of medians, one row per size."""
    head = ["articles", "Dateline pages", "Dateline clean (s)", "Dateline rebuild (s)",
            "Dateline RSS clean/rebuild (MiB)", "Hugo pages", "Hugo clean (s)", "Hugo RSS (MiB)",
            "Hugo/Dateline time", "RSS Dateline/Hugo", "copy floor (s)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        d, h = r["dateline"], r.get("hugo")
        d_clean, d_re = median(d["clean"], "wall_s"), median(d["rebuild"], "wall_s")
        d_rss, d_rss_re = median(d["clean"], "peak_rss_mib"), median(d["rebuild"], "peak_rss_mib")
        h_clean = median(h["clean"], "wall_s") if h else None
        h_rss = median(h["clean"], "peak_rss_mib") if h else None
        floor = median(r["floor"]["clean"], "wall_s") if r.get("floor") else None
        lines.append("| " + " | ".join([
            f"{r['n']:,}", f"{d['pages']:,}", fmt(d_clean, 3), fmt(d_re, 3),
            f"{fmt(d_rss, 0)} / {fmt(d_rss_re, 0)}",
            f"{h['pages']:,}" if h else "–", fmt(h_clean, 3), fmt(h_rss, 0),
            ratio(h_clean, d_clean), ratio(d_rss, h_rss), fmt(floor, 3),
        ]) + " |")
    return "\n".join(lines)


def parse_args(argv):
    """Command-line options, checked."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="comma list of article counts (default 1000,10000)")
    ap.add_argument("--runs", type=int, default=3, help="measured runs per case, after one warm-up (default 3)")
    ap.add_argument("--bin", default=str(DEFAULT_BIN), help="the dateline binary (default target/release/dateline)")
    ap.add_argument("--hugo", action="store_true", help="also measure Hugo's clean build")
    ap.add_argument("--hugo-bin", dest="hugo_path", default="hugo", help="the hugo binary (default: hugo on PATH)")
    ap.add_argument("--hugo-max", type=int, default=None,
                    help="measure Hugo only on corpora of at most this many articles")
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--work", help="work folder for corpora and outputs (default /dev/shm/dateline-bench)")
    where.add_argument("--disk", help="put corpora and outputs in this folder (e.g. on a real disk)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--corpus", action="append", default=[],
                    help="measure this existing corpus (dateline/ or native/, and hugo/) instead of --sizes")
    ap.add_argument("--floor", action="store_true",
                    help="also time `cp -r` of the output: the file-creation floor")
    ap.add_argument("--json", help="where to write the raw numbers (default WORK/results/build-<time>.json)")
    args = ap.parse_args(argv)
    try:
        args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        ap.error("--sizes must be a comma list of integers")
    if not args.sizes or min(args.sizes) < 1 or args.runs < 1:
        ap.error("--sizes must be positive and --runs at least 1")
    if not os.access(args.bin, os.X_OK):
        ap.error(f"no executable dateline binary at {args.bin} (use --bin)")
    args.hugo_bin = shutil.which(args.hugo_path) if args.hugo else None
    if args.hugo and not args.hugo_bin:
        print("note: hugo not found; measuring Dateline only", file=sys.stderr)
    args.rss = "time" if os.access(GNU_TIME, os.X_OK) else "wait4"
    return args


def work_folder(args):
    """The work folder chosen by --work / --disk, created."""
    if args.disk:
        work = Path(args.disk)
    elif args.work:
        work = Path(args.work)
    else:
        work = Path("/dev/shm/dateline-bench" if Path("/dev/shm").is_dir() else "/tmp/dateline-bench")
    work.mkdir(parents=True, exist_ok=True)
    return work.resolve()


def main(argv=None):
    """Runs every size and prints the table."""
    args = parse_args(argv)
    work = work_folder(args)
    if args.disk and fs_type(work) == "tmpfs":
        print(f"note: {work} is on tmpfs, not a disk", file=sys.stderr)
    if args.hugo_bin and running_hugo_servers():
        print(f"warning: hugo server is running (pids {running_hugo_servers()}); "
              "it competes for CPU", file=sys.stderr)
    meta = {
        "started": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "work": str(work), "filesystem": fs_type(work), "cpus": os.cpu_count(),
        "load_average_start": list(os.getloadavg()), "runs": args.runs, "seed": args.seed,
        "rss_method": "/usr/bin/time -v" if args.rss == "time" else "os.wait4 (floor: spawner_rss_mib)",
        "dateline": {"bin": args.bin, "version": version([args.bin, "--version"])},
        "hugo": {"bin": args.hugo_bin, "version": version([args.hugo_bin, "version"])} if args.hugo_bin else None,
    }
    results = []
    try:
        if args.corpus:
            for folder in args.corpus:
                results.append(bench_size(None, args, work, given=folder))
        else:
            for n in args.sizes:
                results.append(bench_size(n, args, work))
    except BuildFailed as e:
        sys.exit(f"build_bench.py: a build failed: {e}")
    meta["load_average_end"] = list(os.getloadavg())
    out = Path(args.json) if args.json else \
        work / "results" / f"build-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    print(markdown_table(results))
    print(f"\nMedians of {args.runs} run(s) after a warm-up; work folder {work} ({meta['filesystem']}); "
          f"{meta['cpus']} CPUs, load {meta['load_average_start'][0]:.2f} at start.\nRaw numbers: {out}")


if __name__ == "__main__":
    main()
