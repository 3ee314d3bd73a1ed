#!/usr/bin/env python3
"""Measure the photo pipeline on a site of camera photos.

    python3 bench/gen_photos.py --n 100 --out /var/tmp/photos-100
    python3 bench/images_bench.py --site /var/tmp/photos-100/site [--runs 3] [--bin PATH]

Three kinds of build, each measured --runs times (wall time and peak
resident memory, from /usr/bin/time -v when present, else os.wait4):

  cold      output and cache folders deleted: every derivative encoded
  warm      output deleted, cache kept (a clean build after `rm -rf public`)
  no-change `dateline build` again over the existing output

Then the bytes a phone downloads for the home page, the whole page
scrolled: for every <img> the candidate a browser picks from its
`srcset`/`sizes` (the WebP <source> when there is one) at a 375 CSS px
viewport and a device pixel ratio of 3, against what Dateline published
before the pipeline — the camera file itself, for every card. (The browser
tests check in Chromium that it really picks a small derivative.)

Prints a markdown table and writes every number as JSON (--json FILE).
"""

import argparse
import html.parser
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_BIN = HERE.parent / "target" / "release" / "dateline"
GNU_TIME = "/usr/bin/time"
VIEWPORT, DPR, REM = 375, 3, 16


def run(cmd):
    """Runs cmd; returns (wall s, peak RSS MiB, stderr text)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        timed = [GNU_TIME, "-v", "-o", report.name] + cmd if os.path.exists(GNU_TIME) else cmd
        start = time.perf_counter()
        done = subprocess.run(timed, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"exit {done.returncode}: {' '.join(cmd)}\n{done.stderr[-3000:]}")
        text = Path(report.name).read_text()
    m = re.search(r"Maximum resident set size \(kbytes\):\s*(\d+)", text)
    return wall, (int(m.group(1)) / 1024 if m else None), done.stderr + done.stdout


def images_line(output):
    m = re.search(r"^.*photos?.*$", output, re.M | re.I)
    return m.group(0).strip() if m else ""


class Images(html.parser.HTMLParser):
    """Collects each <img> with the srcset/sizes the browser would use."""

    def __init__(self):
        super().__init__()
        self.found, self.source = [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "source" and a.get("type") == "image/webp":
            self.source = a
        elif tag == "img":
            chosen = self.source or a
            self.found.append({"src": a.get("src"), "srcset": chosen.get("srcset"), "sizes": chosen.get("sizes")})
            self.source = None

    def handle_endtag(self, tag):
        if tag == "picture":
            self.source = None


def length(text):
    """CSS length in px at the phone viewport: px, rem, vw, calc(a - b)."""
    text = text.strip()
    m = re.fullmatch(r"calc\((.+?)\s+-\s+(.+)\)", text)
    if m:
        return length(m.group(1)) - length(m.group(2))
    m = re.fullmatch(r"([\d.]+)(px|rem|vw)", text)
    if not m:
        raise ValueError(f"cannot evaluate CSS length {text!r}")
    value, unit = float(m.group(1)), m.group(2)
    return value * {"px": 1, "rem": REM, "vw": VIEWPORT / 100}[unit]


def slot(sizes):
    for part in (sizes or "100vw").split(","):
        part = part.strip()
        m = re.fullmatch(r"\(min-width:\s*([\d.]+)(px|rem)\)\s+(.+)", part)
        if m:
            if VIEWPORT >= float(m.group(1)) * (REM if m.group(2) == "rem" else 1):
                return length(m.group(3))
            continue
        return length(part)
    return VIEWPORT


def pick(img):
    """The URL a browser takes: the narrowest candidate with at least DPR
    device pixels per CSS pixel of the slot, else the widest."""
    if not img["srcset"]:
        return img["src"]
    candidates = []
    for c in img["srcset"].split(","):
        url, width = c.strip().rsplit(" ", 1)
        candidates.append((int(width.rstrip("w")), url))
    candidates.sort()
    need = slot(img["sizes"]) * DPR
    for width, url in candidates:
        if width >= need:
            return url
    return candidates[-1][1]


def local(out, url):
    path = re.sub(r"^https?://[^/]+", "", url).split("?")[0].lstrip("/")
    return out / path


def phone_bytes(site, out):
    parser = Images()
    parser.feed((out / "index.html").read_text())
    before = after = 0
    for img in parser.found:
        chosen = local(out, pick(img))
        after += chosen.stat().st_size
        # The derivative is named after its source: img/<hash>/<stem>-<w>.<ext>.
        stem = re.sub(r"-(\d+|16x9|4x3|1x1)(-\d+-\d+)?$", "", chosen.stem)
        originals = list((site / "static").rglob(stem + ".*"))
        before += originals[0].stat().st_size if originals else chosen.stat().st_size
    return len(parser.found), before, after


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", required=True, type=Path)
    ap.add_argument("--bin", default=str(DEFAULT_BIN))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json")
    args = ap.parse_args()
    site = args.site.resolve()
    out, cache = site / "public", site / ".dateline-cache"
    build = [args.bin, "build", "-v", "--source", str(site)]

    results = {"cold": [], "warm": [], "no-change": []}
    lines = {}
    for _ in range(args.runs):
        for kind in results:
            if kind in ("cold", "warm"):
                shutil.rmtree(out, ignore_errors=True)
            if kind == "cold":
                shutil.rmtree(cache, ignore_errors=True)
            wall, rss, text = run(build)
            results[kind].append({"wall_s": round(wall, 3), "peak_rss_mib": rss and round(rss, 1)})
            lines[kind] = images_line(text)
            print(f"{kind:9} {wall:7.2f} s  {rss or 0:7.1f} MiB  {lines[kind]}", file=sys.stderr)

    photos = sorted((site / "static").rglob("*.jpg"))
    count, before, after = phone_bytes(site, out)
    summary = {
        "photos": len(photos),
        "photo_bytes": sum(p.stat().st_size for p in photos),
        "cache_bytes": sum(p.stat().st_size for p in cache.rglob("*") if p.is_file()),
        "cores": os.cpu_count(),
        "home_images": count,
        "phone_home_bytes_before": before,
        "phone_home_bytes_after": after,
        "phone": f"{VIEWPORT} CSS px, DPR {DPR}",
        "runs": results,
        "verbose": lines,
    }
    print(f"\n{len(photos)} photos, {summary['photo_bytes'] / 1e6:.0f} MB; cache {summary['cache_bytes'] / 1e6:.1f} MB\n")
    print("| build | median wall | peak RSS |")
    print("| --- | --- | --- |")
    for kind, runs in results.items():
        wall = statistics.median(r["wall_s"] for r in runs)
        rss = max(r["peak_rss_mib"] or 0 for r in runs)
        print(f"| {kind} | {wall:.2f} s | {rss:.0f} MiB |")
    print(f"\nhome page on a phone ({summary['phone']}), {count} images: "
          f"{before / 1e6:.1f} MB before, {after / 1e6:.2f} MB after ({before / max(after, 1):.0f}x less)")
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
