#!/usr/bin/env python3
"""Soak test of `dateline serve`: many edits with readers hammering it.

    python3 tests/soak/soak.py [--bin target/release/dateline] [--edits 1000]
        [--interval 0.15] [--readers 4] [--site DIR]

Copies the site (default: the repository's example site) to a temporary
folder, starts `dateline serve --port 0` on 127.0.0.1 and then, at once:

  * one editor makes --edits saves, one every --interval seconds, cycling
    through the ways editors save (plain write, write-to-temp-and-rename,
    vim's rename-away-and-rewrite) over a dozen articles; every 50th save
    adds or deletes an article and every 100th rewrites site.toml;
  * --readers threads GET pages as fast as the server answers (home,
    section fronts, the edited articles, feeds), loopback only, one
    connection at a time each;
  * the server's resident memory is sampled every second from /proc.

It passes when the server never crashed, no reader got a connection error
or a 5xx, every edited article serves its last edit within 5 s of the end
(no stale page), and memory is flat: the median of the last fifth of the
samples is under 1.25 times the median of the second fifth (the first is
warm-up). Prints a summary and exits 1 on failure. Standard library only.
"""

import argparse
import http.client
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "dateline"))
    ap.add_argument("--site", default=str(ROOT), help="site to copy (default: the example site)")
    ap.add_argument("--edits", type=int, default=1000)
    ap.add_argument("--interval", type=float, default=0.15, help="seconds between saves")
    ap.add_argument("--readers", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    return ap.parse_args()


def copy_site(src, dst):
    for name in ["site.toml", "authors.yaml", "content", "static", "templates", "themes"]:
        path = Path(src) / name
        if path.is_dir():
            shutil.copytree(path, dst / name)
        elif path.is_file():
            shutil.copy2(path, dst / name)


def rss_kib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.errors = []
        self.statuses = {}

    def record(self, status=None, error=None):
        with self.lock:
            self.requests += 1
            if error:
                self.errors.append(error)
            else:
                self.statuses[status] = self.statuses.get(status, 0) + 1


def get(port, path, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def reader(port, paths, stats, stop, rng):
    while not stop.is_set():
        path = rng.choice(paths())
        try:
            status, _ = get(port, path)
            stats.record(status=status)
            if status >= 500:
                stats.record(error=f"{status} for {path}")
        except OSError as e:
            stats.record(error=f"{path}: {e}")
            time.sleep(0.05)


def save(path, text, how):
    """Writes `text` to `path` the way an editor would."""
    if how == "plain":
        path.write_text(text)
    elif how == "rename":
        tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
        tmp.write_text(text)
        os.replace(tmp, path)
    else:  # vim: swap file, move the original away, write anew, clean up
        swap = path.with_name(f".{path.name}.swp")
        backup = path.with_name(path.name + "~")
        swap.write_text("swap")
        os.replace(path, backup)
        path.write_text(text)
        backup.unlink()
        swap.unlink()


def url_of(site, md):
    """The article's URL: its folder and file name, unless its front matter
    names a `section` or `slug` (read from simple `key: value` lines)."""
    rel = md.relative_to(site / "content").with_suffix("")
    section, slug = rel.parent.as_posix(), rel.name
    text = md.read_text() if md.exists() else ""
    front = text.split("\n---", 1)[0]
    for key, value in re.findall(r"^(section|slug):\s*(.+?)\s*$", front, re.M):
        value = value.strip("\"'")
        if key == "section":
            section = value
        else:
            slug = value
    return f"/{section}/{slug}/"


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="dateline-soak-"))
    site = work / "site"
    site.mkdir()
    copy_site(args.site, site)
    articles = sorted(p for p in (site / "content").rglob("*.md")
                      if "draft: true" not in p.read_text())[:12]
    originals = {p: p.read_text() for p in articles}
    server = subprocess.Popen([args.bin, "serve", "--port", "0"], cwd=site,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = None
    for line in server.stdout:
        m = re.search(r"Serving at http://127\.0\.0\.1:(\d+)/", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        sys.exit("soak: the server did not start")
    threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()

    added = []
    paths_lock = threading.Lock()
    urls = {p: url_of(site, p) for p in articles}
    base_paths = ["/", "/atom.xml", "/tags/"] + list(urls.values())

    def paths():
        with paths_lock:
            return base_paths + [url_of(site, p) for p in added]

    stats, stop = Stats(), threading.Event()
    readers = [threading.Thread(target=reader, args=(port, paths, stats, stop, random.Random(i)),
                                daemon=True) for i in range(args.readers)]
    for t in readers:
        t.start()
    samples = []

    def sampler():
        while not stop.is_set():
            samples.append(rss_kib(server.pid))
            time.sleep(1)

    threading.Thread(target=sampler, daemon=True).start()

    last_edit = {}
    config = (site / "site.toml").read_text()
    start = time.monotonic()
    for i in range(1, args.edits + 1):
        if server.poll() is not None:
            break
        if i % 100 == 0:
            save(site / "site.toml", config + f"\n# soak {i}\n", "rename")
        elif i % 50 == 0:
            if added and i % 100 != 50:
                gone = added.pop(0)
                with paths_lock:
                    gone.unlink()
            else:
                new = site / "content" / "news" / f"soak-{i}.md"
                new.parent.mkdir(parents=True, exist_ok=True)
                new.write_text(f"---\nheadline: Soak story {i}\ndate: 2026-01-01T00:00:00Z\n---\nBody {i}.\n")
                with paths_lock:
                    added.append(new)
        else:
            path = articles[i % len(articles)]
            marker = f"Soak edit number {i}."
            save(path, originals[path] + f"\n{marker}\n", ("plain", "rename", "vim")[i % 3])
            last_edit[path] = marker
        time.sleep(args.interval)
    edit_seconds = time.monotonic() - start

    # Every edited article must show its last edit.
    stale = []
    for path, marker in last_edit.items():
        deadline = time.monotonic() + 5
        while True:
            try:
                status, body = get(port, urls[path])
            except OSError:
                status, body = 0, ""
            if status == 200 and marker in body:
                break
            if time.monotonic() > deadline:
                stale.append(urls[path])
                break
            time.sleep(0.05)
    stop.set()
    for t in readers:
        t.join(timeout=15)
    alive = server.poll() is None
    server.terminate()
    server.wait(timeout=10)
    shutil.rmtree(work, ignore_errors=True)

    rss = [s for s in samples if s]
    fifth = max(1, len(rss) // 5)
    early = statistics.median(rss[fifth:2 * fifth]) if len(rss) >= 2 * fifth else None
    late = statistics.median(rss[-fifth:]) if rss else None
    growth = late / early if early and late else None
    print(f"edits: {args.edits} in {edit_seconds:.0f} s; requests: {stats.requests} "
          f"by {args.readers} readers; statuses: {dict(sorted(stats.statuses.items()))}")
    print(f"server alive at the end: {alive}; stale pages: {stale or 'none'}; "
          f"reader errors: {len(stats.errors)} {stats.errors[:3]}")
    if early and late:
        print(f"RSS: {len(rss)} samples, min {min(rss) / 1024:.1f} MiB, max {max(rss) / 1024:.1f} MiB, "
              f"median of 2nd fifth {early / 1024:.1f} MiB, of last fifth {late / 1024:.1f} MiB "
              f"(x{growth:.2f})")
    ok = alive and not stale and not stats.errors and growth is not None and growth < 1.25
    print("soak: PASS" if ok else "soak: FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
