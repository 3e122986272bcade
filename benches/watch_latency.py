#!/usr/bin/env python3
"""How long a saved page takes to reach the disk under `steppe watch` (or `hugo server`),
debounce included, and how much memory the watching process holds (stdlib only).

  benches/watch_latency.py --bin target/release/steppe
      steppe on the 1,000-page corpus (gen_corpus.py --pages 250) and on the real guide
  benches/watch_latency.py --tool steppe|hugo --bin PATH --site DIR --page en/S/P.md
      [--edits N] [--label TEXT]        one site (what benches/site.sh runs at each size)

`--page` names a page of gen_corpus.py's neutral layout (content/en/S/P.md); for Hugo it is
mapped to the corpus's Hugo layout (content/S/P.en.md). The tool writes into <site>/watch-out
(removed before and after). steppe runs `watch --no-serve`; Hugo `server --renderToDisk`
(fast render mode, its default). One edit is made and awaited first and not counted (the first
build is done and the watcher settled); then each of N edits rewrites the page with a new word
appended and times until that word is in the page's HTML, and lets the tool report its rebuild
before the next edit. Printed: one human line and one `watch-result key=value ...` line with the
latency median, p90 and max, the tool's own rebuild times ("rebuilt in N ms" / "Total in N ms"),
the first build's time, and the peak (VmHWM) and final (VmRSS) memory of the process.
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

OUT = "watch-out"
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def files(tool, site, page):
    """The Markdown file edited and the HTML file awaited."""
    stem = page[:-3] if page.endswith(".md") else page
    html = os.path.join(site, OUT, stem, "index.html")
    if tool == "steppe":
        return os.path.join(site, "content", page), html
    lang, rest = stem.split("/", 1)
    return os.path.join(site, "content", f"{rest}.{lang}.md"), html


def command(tool, binary):
    if tool == "steppe":
        return [binary, "watch", "--no-serve", "--out", OUT]
    with socket.socket() as s:  # a port nothing listens on now
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return [binary, "server", "--renderToDisk", "--disableLiveReload", "--bind", "127.0.0.1",
            "--port", str(port), "-d", OUT]


class Lines:
    """The lines a child prints on one stream, collected by a thread."""

    def __init__(self, stream):
        self.lines = []
        threading.Thread(target=self._follow, args=(stream,), daemon=True).start()

    def _follow(self, stream):
        for line in iter(stream.readline, ""):
            self.lines.append(line.rstrip("\n"))


def rebuild_ms(line):
    """steppe's "rebuilt in 12 ms (...)" or Hugo's "Total in 12 ms"."""
    for prefix in ("rebuilt in ", "Total in "):
        if line.startswith(prefix):
            try:
                return float(line[len(prefix):].split()[0])
            except (IndexError, ValueError):
                return None
    return None


def rebuilds(lines):
    return [ms for ms in map(rebuild_ms, lines) if ms is not None]


def memory_kib(pid):
    """VmHWM (peak) and VmRSS (now) of a process, in KiB."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.split()[0] if value.split() else "0"
    return int(fields.get("VmHWM", 0)), int(fields.get("VmRSS", 0))


def edit(md, html, original, token, limit):
    """Rewrites the page with `token` appended; seconds until its HTML contains it."""
    t0 = time.perf_counter()
    with open(md, "w") as f:
        f.write(f"{original}\n{token}\n")
    while True:
        try:
            with open(html, encoding="utf-8", errors="replace") as f:
                if token in f.read():
                    return time.perf_counter() - t0
        except FileNotFoundError:
            pass
        if time.perf_counter() - t0 > limit:
            sys.exit(f"error: {token} never reached {html} in {limit} s")
        time.sleep(0.0002)


def wait_ready(child, out, err):
    """Seconds until the tool says it is watching (both print "Ctrl+C" then)."""
    t0 = time.perf_counter()
    while not any("Ctrl+C" in line for line in out.lines):
        if child.poll() is not None:
            sys.exit(f"error: the watcher exited ({child.returncode}):\n" + "\n".join(err.lines))
        if time.perf_counter() - t0 > 1800:
            sys.exit("error: no first build in 30 minutes")
        time.sleep(0.02)
    return time.perf_counter() - t0


def measure(tool, binary, site, page, edits):
    shutil.rmtree(os.path.join(site, OUT), ignore_errors=True)
    md, html = files(tool, site, page)
    with open(md) as f:
        original = f.read()
    child = subprocess.Popen(command(tool, binary), cwd=site, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = Lines(child.stdout), Lines(child.stderr)
        startup = wait_ready(child, out, err)
        settle = max(startup, 2.0)  # the longest wait for a rebuild to report itself
        edit(md, html, original, "latencywarmupx", 600)
        time.sleep(settle)
        before = len(out.lines)
        samples = []
        for i in range(edits):
            seen = len(rebuilds(out.lines))
            samples.append(edit(md, html, original, f"latencyprobe{i}x", 120))
            # Let the rest of the rebuild (search index, other pages) finish before the next save.
            t0 = time.perf_counter()
            while len(rebuilds(out.lines)) == seen and time.perf_counter() - t0 < settle:
                time.sleep(0.005)
            time.sleep(0.1)
        peak, now = memory_kib(child.pid)
    finally:
        child.kill()
        child.wait()
        with open(md, "w") as f:
            f.write(original)
        shutil.rmtree(os.path.join(site, OUT), ignore_errors=True)
    return {"startup": startup, "samples": sorted(samples), "peak": peak, "rss": now,
            "rebuilds": sorted(rebuilds(out.lines[before:]))}


def report(label, o):
    lat = [s * 1000 for s in o["samples"]]
    p90 = lat[max(0, -(-len(lat) * 9 // 10) - 1)]
    rebuild = statistics.median(o["rebuilds"]) if o["rebuilds"] else float("nan")
    print(f"{label}: save → HTML on disk: median {statistics.median(lat):.1f} ms, p90 {p90:.1f} ms, "
          f"max {lat[-1]:.1f} ms ({len(lat)} edits); rebuild as reported {rebuild:.1f} ms; "
          f"first build {o['startup']:.2f} s; peak RSS {o['peak'] // 1024} MiB")
    print(f"watch-result label={label.replace(' ', '_')} edits={len(lat)} "
          f"median_ms={statistics.median(lat):.2f} p90_ms={p90:.2f} max_ms={lat[-1]:.2f} "
          f"rebuild_ms={rebuild:.2f} startup_s={o['startup']:.3f} "
          f"peak_rss_kib={o['peak']} rss_kib={o['rss']}", flush=True)


def prepare(site):
    """The guide's site.yaml, theme, collection data and UI strings, as benches/site.sh does."""
    shutil.copy(os.path.join(REPO, "site.yaml"), os.path.join(site, "site.yaml"))
    for d in ("data", "themes", "i18n"):
        if os.path.isdir(os.path.join(REPO, d)):
            shutil.copytree(os.path.join(REPO, d), os.path.join(site, d))


def default_runs(binary, edits):
    """The 1,000-page corpus and the real guide."""
    with tempfile.TemporaryDirectory(prefix="steppe-watch-") as tmp:
        corpus = os.path.join(tmp, "corpus")
        subprocess.run([sys.executable, os.path.join(REPO, "benches", "gen_corpus.py"),
                        "--pages", "250", "--layout", "neutral", "--out", corpus],
                       check=True, stdout=subprocess.DEVNULL)
        guide = os.path.join(tmp, "guide")
        shutil.copytree(os.path.join(REPO, "content"), os.path.join(guide, "content"))
        for label, site, page in (("1,000-page corpus", os.path.join(corpus, "neutral"),
                                   "en/billing/billing-00005.md"),
                                  ("real guide", guide, "en/faq.md")):
            prepare(site)
            report(label, measure("steppe", binary, site, page, edits))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tool", choices=["steppe", "hugo"], default="steppe")
    p.add_argument("--bin", help="the tool's binary (default: target/release/steppe, or hugo)")
    p.add_argument("--site", help="the site folder (default: the 1k corpus and the guide)")
    p.add_argument("--page", help="the page edited, neutral layout: en/SECTION/PAGE.md")
    p.add_argument("--edits", type=int, default=None, help="timed edits (20; 40 by default runs)")
    p.add_argument("--label", help="the name printed (default: the site folder)")
    a = p.parse_args()
    binary = a.bin or ("hugo" if a.tool == "hugo" else os.path.join(REPO, "target/release/steppe"))
    if "/" in binary:
        binary = os.path.abspath(binary)
    if a.site is None:
        default_runs(binary, a.edits or 40)
        return
    if a.page is None:
        p.error("--site needs --page")
    site = os.path.abspath(a.site)
    report(a.label or site, measure(a.tool, binary, site, a.page, a.edits or 20))


if __name__ == "__main__":
    main()
