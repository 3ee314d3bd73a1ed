#!/usr/bin/env python3
"""Publish latency: Dateline's rebuilds after newsroom changes, against its
clean build and Hugo's, on one corpus in one run.

    python3 bench/incremental.py --corpus /dev/shm/c10k [--runs 5] [--hugo]
        [--bin target/release/dateline] [--work DIR] [--json FILE]
        [--in-place] [--no-warmup] [--floor [--floor-by-folder]]

--corpus DIR is a corpus written by ../shared/bench/gen_corpus.py (the
Dateline site in DIR/native/, Hugo's in DIR/hugo/; write it with
`--format native,hugo`). The Dateline site is copied to the work folder
(default: beside the corpus, `DIR/work/`), never changed in place.

Each round, in this order (medians over --runs rounds after one warm-up):

  clean          output and cache deleted, then `dateline build`
  hugo clean     (with --hugo) Hugo's output deleted, then `hugo --quiet`:
                 taking turns with Dateline's clean build, round by round
  no change      `dateline build` again (the quick check of
                 docs/incremental.md: the inputs as the last build found them)
  first edit     one article's body gets a new sentence: the first build
                 that changes a page after a clean one also makes the
                 standby copy of the site (see docs/incremental.md)
  one edit       another article's body gets a new sentence (different
                 articles each round)
  new story      a new article in the busiest section with the busiest tag,
                 by the busiest author, newest of all (it shifts every page
                 of those lists and of the home front, and enters related
                 boxes)
  correction     a correction added to an article (its page, its feeds)
  delete         the new story deleted again

With --floor, each round also times `cp -r` of the clean build's output
to a fresh folder beside it (`copy floor`): the kernel's cost of creating
that many files and folders, which no generator can go below.

For the 1,000,000-article corpus (7 GB on disk), `--in-place` builds the
corpus's own `native/` folder instead of a copy (every edit is undone at
the end of its round) and `--no-warmup --runs 1` measures one round:

    python3 bench/incremental.py --corpus /var/tmp/corpus-1m --in-place \
        --no-warmup --runs 1 --floor --floor-by-folder

Its output is about 40 GB: `--floor-by-folder` copies it one top-level
entry at a time, each copy deleted before the next, so the disk needs
room for the largest one only; the floor is the sum of the copies.

Each measured build is timed around the process; the peak resident memory
is that of the child (os.wait4). Prints a markdown table and writes every
number as JSON (default WORK/incremental-<time>.json).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_BIN = HERE.parent / "target" / "release" / "dateline"


def run(cmd, cwd):
    """Runs `cmd`; returns (wall seconds, peak RSS in MiB). Fails loudly."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed in {cwd}:\n{err}")
    return wall, usage.ru_maxrss / 1024


def copy_floor(out, copy, by_folder):
    """The time `cp -r` takes to copy `out` to `copy`: whole, or one
    top-level entry at a time, each copy deleted (untimed) before the next.
    Returns (seconds, peak MiB of the largest cp)."""
    shutil.rmtree(copy, ignore_errors=True)
    if not by_folder:
        timed = run(["cp", "-r", str(out), str(copy)], out.parent)
        shutil.rmtree(copy, ignore_errors=True)
        return timed
    copy.mkdir(parents=True)
    total, peak = 0.0, 0.0
    for entry in sorted(out.iterdir()):
        wall, rss = run(["cp", "-r", str(entry), str(copy / entry.name)], out.parent)
        total, peak = total + wall, max(peak, rss)
        target = copy / entry.name
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    shutil.rmtree(copy, ignore_errors=True)
    return total, peak


def front_matter(text):
    """The front matter's lines and the body, split at the closing fence."""
    head, _, body = text.partition("\n---\n")
    return head.splitlines(), body


def busiest(site):
    """The section, tag and author with the most articles."""
    sections, tags, authors = Counter(), Counter(), Counter()
    for path in sorted((site / "content").rglob("*.md")):
        lines, _ = front_matter(path.read_text())
        for line in lines:
            if line.startswith("section:"):
                sections[line.split(":", 1)[1].strip().strip('"')] += 1
            elif line.startswith("tags:"):
                for t in json.loads(line.split(":", 1)[1]):
                    tags[t] += 1
            elif line.startswith("authors:"):
                for a in json.loads(line.split(":", 1)[1]):
                    authors[a] += 1
    return tuple(c.most_common(1)[0][0] for c in (sections, tags, authors))


def new_story(section, tag, author, n):
    return (
        "---\n"
        f'headline: "Harbor authority names a new chief, update {n}"\n'
        'dek: "The appointment ends a six-month search."\n'
        "date: 2030-01-01T09:00:00Z\n"
        f'section: "{section}"\n'
        f'tags: ["{tag}"]\n'
        f'authors: ["{author}"]\n'
        "---\n\n"
        "The harbor authority named its new chief on Tuesday. " * 20 + "\n"
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", required=True, help="folder written by gen_corpus.py")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--bin", default=str(DEFAULT_BIN))
    ap.add_argument("--hugo", action="store_true", help="also time Hugo's clean build")
    ap.add_argument("--work", help="work folder (default CORPUS/work)")
    ap.add_argument("--json", help="where to write the numbers")
    ap.add_argument("--in-place", action="store_true",
                    help="build CORPUS/native itself, not a copy (edits are undone)")
    ap.add_argument("--no-warmup", action="store_true", help="measure every round")
    ap.add_argument("--floor", action="store_true",
                    help="also time `cp -r` of the clean output: the file-creation floor")
    ap.add_argument("--floor-by-folder", action="store_true",
                    help="copy the output one top-level entry at a time, each copy deleted "
                         "before the next (the sum is the floor): for a disk without room "
                         "for a second copy")
    args = ap.parse_args()

    corpus = Path(args.corpus).resolve()
    work = Path(args.work).resolve() if args.work else corpus / "work"
    binary = str(Path(args.bin).resolve())
    if work.exists():
        shutil.rmtree(work)
    if args.in_place:
        site = corpus / "native"
        work.mkdir(parents=True)
    else:
        site = work / "site"
        shutil.copytree(corpus / "native", site)
    hugo_site = corpus / "hugo"
    if args.hugo and not hugo_site.is_dir():
        sys.exit(f"--hugo: no Hugo site in {hugo_site}")
    out, cache, hugo_out = work / "public", work / "cache", work / "hugo-public"
    build = [binary, "build", "-q", "--output", str(out), "--cache", str(cache),
             "--now", "2031-01-01T00:00:00Z"]
    section, tag, author = busiest(site)
    articles = sorted((site / "content").rglob("*.md"))
    print(f"{len(articles)} articles; busiest section {section!r}, tag {tag!r}, author {author!r}",
          file=sys.stderr)

    cases = ["clean"] + (["copy floor"] if args.floor else []) + (
        ["hugo clean"] if args.hugo else []) + [
        "no change", "first edit", "one edit", "new story", "correction", "delete"]
    times = {c: [] for c in cases}
    memory = {c: [] for c in cases}
    for round_ in range(1 if args.no_warmup else 0, args.runs + 1):
        measured = {}
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        measured["clean"] = run(build, site)
        print(f"round {round_}: clean {measured['clean'][0]:.2f}s, "
              f"{measured['clean'][1]:.0f} MiB", file=sys.stderr)
        if args.floor:
            measured["copy floor"] = copy_floor(out, work / "floor-copy", args.floor_by_folder)
            print(f"round {round_}: copy floor {measured['copy floor'][0]:.2f}s", file=sys.stderr)
        if args.hugo:
            shutil.rmtree(hugo_out, ignore_errors=True)
            measured["hugo clean"] = run(["hugo", "--quiet", "-d", str(hugo_out)], hugo_site)
        measured["no change"] = run(build, site)
        primed = articles[(round_ * 7919 + 1) % len(articles)]
        primed_text = primed.read_text()
        primed.write_text(primed_text.rstrip("\n") + f"\n\nThe first edit, round {round_}.\n")
        measured["first edit"] = run(build, site)
        edited = articles[(round_ * 7919) % len(articles)]
        original = edited.read_text()
        edited.write_text(original.rstrip("\n") + f"\n\nThe council will meet again, round {round_}.\n")
        measured["one edit"] = run(build, site)
        story = site / "content" / section / f"bench-new-story-{round_}.md"
        story.write_text(new_story(section, tag, author, round_))
        measured["new story"] = run(build, site)
        lines, body = front_matter(edited.read_text())
        lines.append("corrections:")
        lines.append('  - date: 2030-02-01T10:00:00Z\n    text: "An earlier version misstated the date."')
        edited.write_text("\n".join(lines) + "\n---\n" + body)
        measured["correction"] = run(build, site)
        story.unlink()
        measured["delete"] = run(build, site)
        edited.write_text(original)
        primed.write_text(primed_text)
        # A file saved within two seconds of a build is read again by the
        # next one (see the quick check in docs/incremental.md); a newsroom's
        # next build is minutes away, so the next round waits that long.
        time.sleep(2.1)
        if round_ == 0:
            continue  # the warm-up
        for case, (wall, rss) in measured.items():
            times[case].append(wall)
            memory[case].append(rss)
        print(f"round {round_}: " + ", ".join(f"{c} {w:.2f}s" for c, (w, _) in measured.items()),
              file=sys.stderr)

    clean = statistics.median(times["clean"])
    print(f"\n{len(articles)} articles, medians of {args.runs} (load {os.getloadavg()[0]:.2f}):\n")
    print("| build | median | range | of the clean build | peak memory |")
    print("| --- | --- | --- | --- | --- |")
    for case in cases:
        t = times[case]
        print(f"| {case} | {statistics.median(t):.2f} s | {min(t):.2f}–{max(t):.2f} s "
              f"| {statistics.median(t) / clean:.0%} | {statistics.median(memory[case]):.0f} MiB |")
    if args.hugo:
        print(f"\nHugo / Dateline, clean: {statistics.median(times['hugo clean']) / clean:.1f}×")
    record = {
        "when": datetime.now(timezone.utc).isoformat(),
        "corpus": str(corpus), "articles": len(articles), "bin": binary,
        "runs": args.runs, "seconds": times, "peak_mib": memory,
        "load": os.getloadavg(),
    }
    target = Path(args.json) if args.json else work / f"incremental-{int(time.time())}.json"
    target.write_text(json.dumps(record, indent=1))
    print(f"\nnumbers: {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
