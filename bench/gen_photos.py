#!/usr/bin/env python3
"""Write a Dateline site whose articles carry camera-sized photos.

    python3 bench/gen_photos.py --n 100 --out /var/tmp/photos-100 [--seed 1]

Makes N JPEGs of 4000x3000 pixels (every fifth one stored sideways with
EXIF orientation 6, as a phone shooting portrait writes it), each with a
GPS position, camera make and model and a copyright notice in its EXIF,
from the photographs Debian ships in plasma-workspace-wallpapers (cropped
and shifted differently per file, with sensor-like grain, so no two files
share bytes or pixels and each is 3-8 MB like a camera's). Then N articles
in OUT/site/content/news/, each with one of them as its lead image, and a
site.toml. The same N and seed give the same files.

Needs ImageMagick (`convert`) and exiftool:

    apt-get install imagemagick libimage-exiftool-perl plasma-workspace-wallpapers
"""

import argparse
import concurrent.futures
import glob
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

WALLPAPERS = "/usr/share/wallpapers/*/contents/images/*.jpg"
WIDTH, HEIGHT = 4000, 3000


def sources():
    files = sorted(glob.glob(WALLPAPERS))
    if not files:
        sys.exit(f"no photographs at {WALLPAPERS}: apt-get install plasma-workspace-wallpapers")
    return files


def make_photo(src, dest, rng_seed, index):
    rng = random.Random(rng_seed)
    # A crop of a random part of the source, scaled up to camera size.
    shift_x, shift_y = rng.randint(0, 20), rng.randint(0, 20)
    portrait = index % 5 == 4
    cmd = [
        "convert", src,
        "-gravity", "northwest", "-crop", f"{100 - shift_x}%x{100 - shift_y}%+{shift_x * 8}+{shift_y * 8}", "+repage",
        "-resize", f"{WIDTH}x{HEIGHT}^", "-gravity", "center", "-extent", f"{WIDTH}x{HEIGHT}",
        "-seed", str(rng_seed), "-attenuate", "0.6", "+noise", "Gaussian",
    ]
    if portrait:
        # Stored sideways, as the sensor saw it; orientation 6 turns it upright.
        cmd += ["-rotate", "-90"]
    cmd += ["-sampling-factor", "4:2:0", "-quality", "94", str(dest)]
    subprocess.run(cmd, check=True)
    lat = 30 + rng.random() * 20
    lon = -120 + rng.random() * 50
    subprocess.run(
        [
            "exiftool", "-q", "-overwrite_original",
            "-Make=Dateline Camera", "-Model=Bench One",
            f"-GPSLatitude={lat:.6f}", "-GPSLatitudeRef=N",
            f"-GPSLongitude={abs(lon):.6f}", "-GPSLongitudeRef=W",
            "-Copyright=Bench photographer",
            f"-Orientation#={6 if portrait else 1}",
            "-DateTimeOriginal=2026:11:01 12:00:00",
            str(dest),
        ],
        check=True,
    )


ARTICLE = """---
headline: "Photo story {i}: the harbor at dawn, frame {i}"
date: 2026-11-{day:02}T{hour:02}:{minute:02}:00Z
section: news
tags: [photos, harbor]
dek: "A generated article carrying a camera-sized lead photo."
image:
  src: /images/photo-{i:03}.jpg
  alt: "Frame {i} of the harbor series"
  credit: "Bench photographer"
---

The boats left before sunrise, as they have every morning this season.

Frame {i} was shot at the end of the pier, where the light comes in low.
"""

SITE = """title = "Photo bench"
base_url = "https://photos.example.com"
language = "en"
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    for tool in ("convert", "exiftool"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found: apt-get install imagemagick libimage-exiftool-perl")

    out = Path(args.out)
    site = out / "site"
    images = site / "static" / "images"
    news = site / "content" / "news"
    images.mkdir(parents=True, exist_ok=True)
    news.mkdir(parents=True, exist_ok=True)
    (site / "site.toml").write_text(SITE)

    files = sources()
    rng = random.Random(args.seed)
    jobs = []
    for i in range(args.n):
        dest = images / f"photo-{i:03}.jpg"
        jobs.append((files[rng.randrange(len(files))], dest, rng.randrange(1 << 30), i))
        minutes = i * 7
        (news / f"photo-story-{i:03}.md").write_text(
            ARTICLE.format(i=i, day=1 + (minutes // 1440) % 28, hour=(minutes // 60) % 24, minute=minutes % 60)
        )
    todo = [j for j in jobs if not j[1].exists()]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for done, _ in enumerate(pool.map(lambda j: make_photo(*j), todo), 1):
            if done % 10 == 0:
                print(f"{done}/{len(todo)} photos", file=sys.stderr)
    total = sum(p.stat().st_size for p in images.glob("*.jpg"))
    print(f"{args.n} articles, {args.n} photos, {total / 1e6:.0f} MB in {images}")


if __name__ == "__main__":
    main()
