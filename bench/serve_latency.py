#!/usr/bin/env python3
"""Measure edit-to-visible latency of a preview server (Dateline or Hugo).

    python3 bench/serve_latency.py --tool dateline --site DIR/dateline --edits 20
    python3 bench/serve_latency.py --tool hugo --site DIR/hugo --edits 20

Starts the tool's preview server on 127.0.0.1 (a free port), fetches one
article page, then EDITS times appends a unique sentence to that article's
markdown file and polls the page over HTTP (about every 5 ms) until the
sentence is in it. The time from just before the write to the first response
containing the sentence is the latency of that edit. The next edit starts
INTERVAL seconds after the edit became visible, and not before the server has
printed its rebuild report (whose own timing is recorded too).

The article is the first file (by name) under content/news/us/, or --article.
The file is restored byte for byte (and its modification time) at the end,
also after Ctrl-C or an error, and the server is stopped (SIGINT, then kill).

Output: a JSON summary on stdout (also to --json FILE) and one human-readable
line on stderr.
"""

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

DEFAULT_DATELINE = Path(__file__).resolve().parent.parent / "target" / "release" / "dateline"
MAX_EDITS = 1000
POLL_S = 0.005
REPORT_WAIT_S = 5.0

READY = {
    "dateline": re.compile(r"Serving at http://"),
    "hugo": re.compile(r"Web Server is available at"),
}
# What each server prints after a rebuild, with the time it took.
REBUILT = {
    "dateline": re.compile(r"Rebuilt in ([\d.]+) ms"),
    "hugo": re.compile(r"Total in ([\d.]+) ?ms"),
}

# Never use a proxy: every request goes to 127.0.0.1.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Server:
    """A preview server child process whose output is collected by a thread."""

    def __init__(self, cmd, cwd=None):
        self.cmd = cmd
        self.lines = []            # (seconds since start, text)
        self.changed = threading.Condition()
        self.started = time.perf_counter()
        # A session of its own: Ctrl-C reaches only this script, which then
        # stops the server in an orderly way.
        self.proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, errors="replace", bufsize=1,
                                     start_new_session=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        """Collects output lines until the process closes its output."""
        for line in self.proc.stdout:
            with self.changed:
                self.lines.append((time.perf_counter() - self.started, line.rstrip("\n")))
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def wait_for(self, pattern, timeout, since=0):
        """Waits for an output line matching `pattern` (from line `since`).

        Returns (line index, match), or None on timeout or if the process ended.
        """
        deadline = time.perf_counter() + timeout
        with self.changed:
            while True:
                for i in range(since, len(self.lines)):
                    m = pattern.search(self.lines[i][1])
                    if m:
                        return i, m
                since = len(self.lines)
                left = deadline - time.perf_counter()
                if left <= 0 or self.proc.poll() is not None and not self.reader.is_alive():
                    return None
                self.changed.wait(min(left, 0.5))

    def line_count(self):
        """How many output lines have been read so far."""
        with self.changed:
            return len(self.lines)

    def output_tail(self, n=20):
        """The last `n` output lines, for error messages."""
        with self.changed:
            return "\n".join(text for _, text in self.lines[-n:])

    def peak_rss_mib(self):
        """The process's peak resident set size (VmHWM) in MiB, if readable."""
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return None
        m = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        return round(int(m.group(1)) / 1024, 1) if m else None

    def stop(self):
        """SIGINT, then SIGKILL after 5 s; always reaps the process."""
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGINT)
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.reader.join(timeout=2)


def free_port():
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def front_matter(text):
    """Top-level `key: value` scalars of a YAML front matter block (enough to
    read `section`, `slug` and `url`; quotes are stripped)."""
    keys = {}
    if not text.startswith("---"):
        return keys
    for line in text.split("\n")[1:]:
        if line.strip() == "---":
            break
        m = re.match(r"^([A-Za-z_]+):\s*(.*?)\s*$", line)
        if m and m.group(2):
            keys[m.group(1)] = m.group(2).strip("\"'")
    return keys


def pick_article(site, tool, article=None):
    """Returns (file path, URL path) of the article to edit.

    Default: the first .md file by name in content/news/us/ (not _index.md).
    Dateline's URL is /{section}/{slug}/ (front matter, else folder and file
    name); Hugo's is its `url`, else /{folder}/{slug or file name}/.
    """
    content = site / "content"
    if article:
        path = site / article
    else:
        folder = content / "news" / "us"
        files = sorted(p for p in folder.glob("*.md") if p.name != "_index.md")
        if not files:
            sys.exit(f"serve_latency.py: no article in {folder}")
        path = files[0]
    keys = front_matter(path.read_text(encoding="utf-8"))
    folder = path.parent.relative_to(content).as_posix()
    if tool == "hugo" and keys.get("url"):
        return path, "/" + keys["url"].strip("/") + "/"
    section = keys.get("section", folder) if tool == "dateline" else folder
    slug = keys.get("slug", path.stem.lower() if tool == "dateline" else path.stem)
    return path, f"/{section}/{slug}/"


def fetch(url, timeout=5.0):
    """GET `url`; returns the body as text, or None on any error or non-200."""
    try:
        with OPENER.open(url, timeout=timeout) as response:
            if response.status != 200:
                return None
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, ValueError):
        return None


def poll_until(url, needle, timeout, server):
    """Fetches `url` every POLL_S until the body contains `needle`.

    Returns the perf_counter time of the first response that did, or None on
    timeout or if the server exited.
    """
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        body = fetch(url)
        seen = time.perf_counter()
        if body is not None and needle in body:
            return seen
        if server.proc.poll() is not None:
            return None
        time.sleep(POLL_S)
    return None


def server_command(tool, binary, site, port, extra):
    """The command line that starts the preview server."""
    if tool == "dateline":
        return [binary, "serve", "--source", str(site), "--bind", "127.0.0.1",
                "--port", str(port)] + extra
    return [binary, "server", "--source", str(site), "--bind", "127.0.0.1", "--port", str(port),
            "--baseURL", f"http://127.0.0.1:{port}/", "--appendPort=false",
            "--disableLiveReload"] + extra


def tool_version(binary, tool):
    """The tool's version line, or None."""
    args = [binary, "--version"] if tool == "dateline" else [binary, "version"]
    try:
        out = subprocess.run(args, capture_output=True, text=True, timeout=10).stdout
        return out.strip().splitlines()[0] if out.strip() else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def wait_ready(args, server):
    """Waits until the server says it is ready; returns the seconds it took.

    Exits with the server's output if it does not become ready in time.
    """
    if server.wait_for(READY[args.tool], args.startup_timeout) is None:
        sys.exit(f"serve_latency.py: the server did not become ready within "
                 f"{args.startup_timeout:.0f} s:\n$ {' '.join(server.cmd)}\n{server.output_tail()}")
    return time.perf_counter() - server.started


def run_edits(args, server, path, url):
    """Makes the edits; returns a list of per-edit records."""
    run_id = f"{os.getpid()}{int(time.time()) % 100000}"
    records = []
    for i in range(1, args.edits + 1):
        token = f"probe{run_id}n{i}"
        sentence = f"\nLatency check number {i} adds the marker {token} to this story.\n"
        first_line = server.line_count()
        start = time.perf_counter()
        with open(path, "a", encoding="utf-8") as f:
            f.write(sentence)
        seen = poll_until(url, token, args.timeout, server)
        latency = None if seen is None else round((seen - start) * 1000, 2)
        # The server may report its rebuild after the page already changed
        # (Hugo prints its total at the very end); wait for it, bounded.
        reported = server.wait_for(REBUILT[args.tool], REPORT_WAIT_S if seen else 0, since=first_line)
        records.append({
            "edit": i,
            "latency_ms": latency,
            "server_reported_ms": float(reported[1].group(1)) if reported else None,
        })
        if seen is None and server.proc.poll() is not None:
            break
        time.sleep(max(0.0, args.interval - (time.perf_counter() - (seen or start))))
    return records


def summarize(args, site, path, url, port, startup, first_page, records, rss):
    """The JSON summary."""
    ok = [r["latency_ms"] for r in records if r["latency_ms"] is not None]
    reported = [r["server_reported_ms"] for r in records if r["server_reported_ms"] is not None]
    return {
        "tool": args.tool,
        "binary": args.bin,
        "version": tool_version(args.bin, args.tool),
        "site": str(site),
        "article": str(path.relative_to(site)),
        "url": url,
        "port": port,
        "edits": len(records),
        "failed": len(records) - len(ok),
        "interval_s": args.interval,
        "startup_s": round(startup, 3),
        "first_page_s": round(first_page, 3),
        "latency_ms": [r["latency_ms"] for r in records],
        "median_ms": round(statistics.median(ok), 2) if ok else None,
        "min_ms": min(ok) if ok else None,
        "max_ms": max(ok) if ok else None,
        "mean_ms": round(statistics.fmean(ok), 2) if ok else None,
        "server_reported_ms": [r["server_reported_ms"] for r in records],
        "server_reported_median_ms": round(statistics.median(reported), 2) if reported else None,
        "peak_rss_mib": rss,
        "load_average": list(os.getloadavg()),
    }


def human_line(s):
    """One-line summary of the JSON summary."""
    if s["median_ms"] is None:
        return f"{s['tool']}: no edit became visible ({s['failed']} failed)"
    failed = f", {s['failed']} failed" if s["failed"] else ""
    return (f"{s['tool']}: {s['edits']} edits, write-to-visible median {s['median_ms']:.1f} ms "
            f"(min {s['min_ms']:.1f}, max {s['max_ms']:.1f}{failed}); startup {s['startup_s']:.2f} s; "
            f"peak RSS {s['peak_rss_mib']} MiB")


def parse_args(argv):
    """Command-line options."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Arguments after `--` are passed to the server.")
    ap.add_argument("--tool", choices=["dateline", "hugo"], required=True)
    ap.add_argument("--site", required=True, help="the site folder (DIR/dateline or DIR/hugo)")
    ap.add_argument("--edits", type=int, default=20, help=f"number of edits (1-{MAX_EDITS}, default 20)")
    ap.add_argument("--bin", help="the tool's binary (default: target/release/dateline, or hugo)")
    ap.add_argument("--interval", type=float, default=0.5, help="seconds between edits (default 0.5)")
    ap.add_argument("--article", help="file to edit, relative to --site (default: first in content/news/us/)")
    ap.add_argument("--timeout", type=float, default=30, help="seconds to wait for one edit (default 30)")
    ap.add_argument("--startup-timeout", type=float, default=600,
                    help="seconds to wait for the server to start (default 600)")
    ap.add_argument("--json", help="also write the JSON summary to this file")
    ap.add_argument("--log", help="write the server's output, with timestamps, to this file")
    ap.add_argument("extra", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if not 1 <= args.edits <= MAX_EDITS:
        ap.error(f"--edits must be between 1 and {MAX_EDITS}")
    if args.interval < 0 or args.timeout <= 0:
        ap.error("--interval must be >= 0 and --timeout > 0")
    args.bin = args.bin or (str(DEFAULT_DATELINE) if args.tool == "dateline" else "hugo")
    return args


def on_sigterm(signum, frame):
    """Turns SIGTERM into KeyboardInterrupt so clean-up runs."""
    raise KeyboardInterrupt


def main(argv=None):
    """Runs the measurement; always restores the article and stops the server."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, on_sigterm)
    # Even when started in the background (where SIGINT may be ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    site = Path(args.site).resolve()
    path, url_path = pick_article(site, args.tool, args.article)
    original = path.read_bytes()
    stat = path.stat()
    port = free_port()
    url = f"http://127.0.0.1:{port}{url_path}"
    server = None
    try:
        server = Server(server_command(args.tool, args.bin, site, port, args.extra))
        startup = wait_ready(args, server)
        if poll_until(url, "</html>", args.timeout, server) is None:
            sys.exit(f"serve_latency.py: could not fetch {url}\n{server.output_tail()}")
        first_page = time.perf_counter() - server.started
        records = run_edits(args, server, path, url)
        rss = server.peak_rss_mib()
    except KeyboardInterrupt:
        sys.exit("serve_latency.py: interrupted; article restored, server stopped")
    finally:
        if server:
            server.stop()
            if args.log:
                Path(args.log).write_text("".join(f"{t:10.3f}  {line}\n" for t, line in server.lines))
        if path.read_bytes() != original:
            path.write_bytes(original)
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    summary = summarize(args, site, path, url_path, port, startup, first_page, records, rss)
    text = json.dumps(summary, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")
    print(human_line(summary), file=sys.stderr)


if __name__ == "__main__":
    main()
