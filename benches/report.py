#!/usr/bin/env python3
"""The tables of benches/site.sh, from the raw results it writes (stdlib only).

  report.py size DIR          one corpus size: every tool and case, search index, steppe's
                              stages and write counts, watch latency
  report.py summary DIR...    all sizes: scale (1k/10k/40k), where the time goes, and a
                              Markdown table with the issue's targets checked

DIR is one size's results folder, as site.sh writes it:
  meta                 "<pages per language> <runs> [<cores>]"
  <tool>.<case>        one line per run: wall_s cpu_s rss_kib files_written bytes_written
                       [steal_s: other guests' CPU time during the build, or nan]
  stderr/steppe.<case>.<run>   steppe's stderr with STEPPE_TIMINGS=1 (stage lines, write counts)
  search.<tool>        "<files> <bytes>" of the search index
  watch.<tool>         "key=value ..." from benches/watch_latency.py
Cases: clean, unchanged, one-page. Every figure is the median over the runs.
"""
import math
import os
import re
import statistics
import sys

CASES = ["clean", "unchanged", "one-page"]
CASE_NAMES = {"clean": "clean", "unchanged": "nothing changed", "one-page": "one page changed"}
STAGE = re.compile(r"^\s*(.+?):\s+([0-9.]+) ms(?:\s+\((?:cpu ([0-9.]+) ms)?(?:, )?(?:resident (\d+) MiB)?\))?$")
COUNTS = re.compile(r"^\s*write counts: (.*)$")
MIB = 1024


def read(path):
    with open(path) as f:
        return f.read()


def key_values(text):
    return {k: v for k, _, v in (w.partition("=") for w in text.split()) if _}


class Size:
    """One size's results, reduced to medians."""

    def __init__(self, folder):
        self.folder = folder
        meta = read(os.path.join(folder, "meta")).split()
        self.per_lang, self.runs = int(meta[0]), int(meta[1])
        self.cores = int(meta[2]) if len(meta) > 2 else None
        self.pages = 4 * self.per_lang
        self.tools = [t for t in ("steppe", "hugo", "zola") if self.has(f"{t}.clean")]

    def has(self, name):
        return os.path.isfile(os.path.join(self.folder, name))

    def rows(self, tool, case):
        """Each run's figures as written, [] if not measured."""
        if not self.has(f"{tool}.{case}"):
            return []
        return [list(map(float, line.split())) for line in
                read(os.path.join(self.folder, f"{tool}.{case}")).splitlines() if line.strip()]

    def builds(self, tool, case):
        """Medians of (wall s, cpu s, rss KiB, files, bytes), or None if not measured."""
        rows = [r[:5] for r in self.rows(tool, case)]
        return [statistics.median(col) for col in zip(*rows)] if rows else None

    def wall_range(self, tool, case):
        walls = [r[0] for r in self.rows(tool, case)]
        return (min(walls), max(walls)) if walls else None

    def steals(self):
        """(steal s, wall s, tool, case, run) of every timed build that recorded its steal."""
        return [(r[5], r[0], tool, case, run)
                for tool in self.tools for case in CASES
                for run, r in enumerate(self.rows(tool, case), 1)
                if len(r) > 5 and not math.isnan(r[5])]

    def search(self, tool):
        if not self.has(f"search.{tool}"):
            return None
        files, size = read(os.path.join(self.folder, f"search.{tool}")).split()
        return int(files), int(size)

    def watch(self, tool):
        if not self.has(f"watch.{tool}"):
            return None
        return key_values(read(os.path.join(self.folder, f"watch.{tool}")))

    def stages(self, case):
        """{stage: median ms} in the order printed, {counter: median} of `write counts`,
        {stage: median resident MiB at the stage's end} and {stage: median CPU ms of all threads}."""
        times, counts, resident, cpu = {}, {}, {}, {}
        folder = os.path.join(self.folder, "stderr")
        prefix = f"steppe.{case}."
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            if not name.startswith(prefix):
                continue
            for line in read(os.path.join(folder, name)).splitlines():
                if m := COUNTS.match(line):
                    for k, v in key_values(m.group(1)).items():
                        counts.setdefault(k, []).append(float(v))
                elif m := STAGE.match(line):
                    times.setdefault(m.group(1), []).append(float(m.group(2)))
                    if m.group(3):
                        cpu.setdefault(m.group(1), []).append(float(m.group(3)))
                    if m.group(4):
                        resident.setdefault(m.group(1), []).append(float(m.group(4)))
        med = lambda d: {k: statistics.median(v) for k, v in d.items()}
        return med(times), med(counts), med(resident), med(cpu)


def steal_line(sizes):
    """Other guests' CPU time during the timed builds of `sizes`: in all, and the build that
    lost the most (its share of the cores' time), or that it was not measured."""
    steals = [(s, *rest, size) for size in sizes for (s, *rest) in size.steals()]
    if not steals:
        return "steal (other guests' CPU time during the timed builds): not measured"
    total = sum(s[0] for s in steals)
    steal, wall, tool, case, run, size = max(steals, key=lambda s: s[0])
    # site.sh writes the core count with every result that has steal.
    share = (f": {100 * steal / (wall * size.cores):.0f} % of {size.cores} cores"
             if wall > 0 and size.cores else "")
    return (f"steal (other guests' CPU time during the timed builds): {total:.1f} s in "
            f"{len(steals)} builds; at most {steal:.1f} s in one ({size_name(size.pages)} "
            f"{tool} {case}, run {run}{share} over its {wall:.2f} s)")


def size_name(pages):
    return f"{pages // 1000}k" if pages % 1000 == 0 else f"{pages:,}"


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "–"


def print_size(size):
    print(f"\n## {size.per_lang:,} pages per language ({size.pages:,} pages), medians of {size.runs}")
    print(f"{'case':<10} {'tool':<7} {'wall s':>9} {'runs s':>13} {'cpu s':>9} {'RSS MiB':>9} "
          f"{'files':>8} {'bytes MB':>9} {'÷ hugo':>7}")
    for case in CASES:
        hugo = size.builds("hugo", case)
        for tool in size.tools:
            b = size.builds(tool, case)
            if b is None:
                continue
            wall, cpu, rss, files, written = b
            low, high = size.wall_range(tool, case)
            print(f"{case:<10} {tool:<7} {wall:9.2f} {f'{low:.2f}–{high:.2f}':>13} {cpu:9.2f} "
                  f"{rss / MIB:9.0f} {files:8.0f} {written / 1e6:9.1f} "
                  f"{ratio(wall, hugo and hugo[0]):>7}")
    print(steal_line([size]))
    for tool in size.tools:
        if s := size.search(tool):
            print(f"search index, {tool}: {s[0]:,} files, {s[1] / 1e6:.1f} MB")
    print_stages(size)
    for tool in size.tools:
        if w := size.watch(tool):
            print(f"watch, {tool}: save → HTML on disk median {float(w['median_ms']):.1f} ms, "
                  f"p90 {float(w['p90_ms']):.1f} ms ({w['edits']} edits); rebuild as reported "
                  f"{float(w['rebuild_ms']):.1f} ms; first build {float(w['startup_s']):.2f} s; "
                  f"peak RSS {int(w['peak_rss_kib']) / MIB:.0f} MiB")


def print_stages(size):
    per_case = {case: size.stages(case) for case in CASES}
    names = list(dict.fromkeys(n for case in CASES for n in per_case[case][0]))
    if not names:
        return
    print("steppe's stages (STEPPE_TIMINGS=1), median ms:")
    print(f"  {'stage':<22}" + "".join(f"{c:>11}" for c in CASES))
    for name in names:
        cells = [per_case[c][0].get(name) for c in CASES]
        print(f"  {name:<22}" + "".join("         –" if v is None else f"{v:11.1f}" for v in cells))
    resident = per_case["clean"][2]
    if resident:
        print("  resident memory at each stage's end, clean build (MiB): "
              + ", ".join(f"{k} {v:.0f}" for k, v in resident.items()))
    for case in CASES:
        counts = per_case[case][1]
        if counts:
            print(f"  write counts, {case}: " + " ".join(f"{k}={v:.0f}" for k, v in counts.items()))


# --- the summary -----------------------------------------------------------------------------

def check(value, limit):
    if value is None or limit is None:
        return "n/a"
    return "yes" if value <= limit else "**no**"


def fmt_s(v):
    return "–" if v is None else f"{v:.2f} s"


def fmt_mib(kib):
    return "–" if kib is None else f"{kib / MIB:,.0f} MiB"


def fmt_files(b):
    return "–" if b is None else f"{b[3]:,.0f} ({b[4] / 1e6:.1f} MB)"


def fmt_ms(v):
    return "–" if v is None else f"{v:.1f} ms"


def col(b, i):
    return None if b is None else b[i]


def build_rows(size, sizes):
    """(case, measure, steppe, hugo, ratio, target, met) for every build case of one size."""
    rows, p = [], size.pages
    ten_k = next((s for s in sizes if s.pages == 10000), None)
    for case in CASES:
        s, h = size.builds("steppe", case), size.builds("hugo", case)
        if s is None:
            continue
        name = CASE_NAMES[case]

        def scale_target(field):
            """The 40k clean build's target on column `field`: within 4.4 × the 10k figure."""
            base = ten_k and ten_k.builds("steppe", "clean")
            if p != 40000 or case != "clean" or not base:
                return None
            return f"≤ 4.4 × 10k ({s[field] / base[field]:.2f} ×)", check(s[field], 4.4 * base[field])

        target, met = "–", "–"
        if p == 10000 and case == "clean":
            target, met = "≤ 0.25 × Hugo", check(s[0], h and 0.25 * h[0])
        elif p == 10000 and case == "unchanged":
            target, met = "≤ 0.1 × Hugo", check(s[0], h and 0.1 * h[0])
        elif p == 1000 and case == "clean":
            target, met = "≤ 0.25 s", check(s[0], 0.25)
        elif scaled := scale_target(0):
            target, met = scaled
        rows.append((name, "wall time", fmt_s(s[0]), fmt_s(col(h, 0)), ratio(s[0], col(h, 0)),
                     target, met))
        target, met = "–", "–"
        if p == 10000 and case == "clean":
            target, met = "≤ 400 MiB", check(s[2], 400 * MIB)
        elif scaled := scale_target(2):
            target, met = scaled
        rows.append((name, "peak RSS", fmt_mib(s[2]), fmt_mib(col(h, 2)), ratio(s[2], col(h, 2)),
                     target, met))
        target, met = "–", "–"
        if p == 10000 and case == "unchanged":
            target, met = "0", check(s[3], 0)
        elif p == 10000 and case == "one-page":
            target, met = "≤ 20", check(s[3], 20)
        rows.append((name, "files written", fmt_files(s), fmt_files(h), "–", target, met))
    return rows


def other_rows(size):
    """Watch latency and search index rows of one size."""
    rows, p = [], size.pages
    w, hw = size.watch("steppe"), size.watch("hugo")

    def get(d, k):  # None when not measured (no such tool, or no rebuild line: nan)
        v = None if d is None or k not in d else float(d[k])
        return None if v is None or v != v else v
    if w:
        med, hmed = get(w, "median_ms"), get(hw, "median_ms")
        limit = {1000: 30.0, 10000: 100.0}.get(p)
        rows.append(("watch", "save → HTML, median", fmt_ms(med), fmt_ms(hmed), ratio(med, hmed),
                     f"≤ {limit:.0f} ms" if limit else "–", check(med, limit) if limit else "–"))
        p90, hp90 = get(w, "p90_ms"), get(hw, "p90_ms")
        rows.append(("watch", "save → HTML, p90", fmt_ms(p90), fmt_ms(hp90), ratio(p90, hp90),
                     "–", "–"))
        reb, hreb = get(w, "rebuild_ms"), get(hw, "rebuild_ms")
        rows.append(("watch", "whole rebuild, as reported", fmt_ms(reb), fmt_ms(hreb),
                     ratio(reb, hreb), "–", "–"))
        rss, hrss = get(w, "peak_rss_kib"), get(hw, "peak_rss_kib")
        rows.append(("watch", "peak RSS", fmt_mib(rss), fmt_mib(hrss), ratio(rss, hrss),
                     "≤ 600 MiB" if p == 10000 else "–",
                     check(rss, 600 * MIB) if p == 10000 else "–"))
    if s := size.search("steppe"):
        h = size.search("hugo")
        files = f"{s[0]:,} ({s[1] / 1e6:.1f} MB)"
        limit = p / 8
        hugo = "–" if h is None else f"{h[0]:,}" if h[0] else "none"
        rows.append(("search index", "files", files, hugo, "–",
                     f"≤ pages/8 = {limit:,.0f}" if p == 10000 else "–",
                     check(s[0], limit) if p == 10000 else "–"))
    stages = size.stages("clean")[0]
    # The index's own line (`search index`) where steppe prints it, else the stage holding it.
    search = stages.get("search index",
                        next((v for k, v in stages.items() if "search" in k), None))
    if search is not None:
        rows.append(("search index", "stage time, clean", fmt_ms(search), "–", "–",
                     "≤ 400 ms" if p == 10000 else "–",
                     check(search, 400.0) if p == 10000 else "–"))
    return rows


def print_summary(sizes):
    sizes = sorted(sizes, key=lambda s: s.pages)
    print("\n## Scale: steppe, clean build")
    print(f"{'pages':>8} {'wall s':>9} {'cpu s':>9} {'RSS MiB':>9} {'wall ×':>8} {'RSS ×':>8}")
    prev = None
    for size in sizes:
        b = size.builds("steppe", "clean")
        if b is None:
            continue
        grow = lambda i: f"{b[i] / prev[i]:.2f}" if prev and prev[i] else "–"
        print(f"{size.pages:>8,} {b[0]:9.2f} {b[1]:9.2f} {b[2] / MIB:9.0f} {grow(0):>8} {grow(2):>8}")
        prev = b
    print("(× is the ratio to the size above; the 40k target is ≤ 4.4 × 10k)")

    print("\n## Where the time goes: steppe's stages in a clean build, median ms of wall time "
          "(of CPU time, all threads: twice the wall time when both cores are busy)\n")
    print("| stage | " + " | ".join(size_name(s.pages) for s in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    per = [s.stages("clean") for s in sizes]
    for name in dict.fromkeys(k for st in per for k in st[0]):
        def cell(st):
            if name not in st[0]:
                return "–"
            cpu = st[3].get(name)
            return f"{st[0][name]:,.0f}" + ("" if cpu is None else f" ({cpu:,.0f})")
        print(f"| {name} | " + " | ".join(cell(st) for st in per) + " |")

    print("\n## Summary (Markdown, for the README)\n")
    print("| pages | case | measure | steppe | Hugo | ÷ Hugo | target | met |")
    print("|---|---|---|---|---|---|---|---|")
    for size in sizes:
        for row in build_rows(size, sizes) + other_rows(size):
            print(f"| {size_name(size.pages)} | " + " | ".join(row) + " |")
    print("\nFiles written are counted on disk (a new inode or mtime); steppe's own count "
          "(`write counts:`, the site's files without its output marker and manifest):")
    for size in sizes:
        counts = [(c, size.stages(c)[1]) for c in CASES]
        print(f"- {size_name(size.pages)}: " + "; ".join(
            f"{CASE_NAMES[c]} " + " ".join(f"{k}={v:,.0f}" for k, v in n.items())
            for c, n in counts if n))
    print("\n" + steal_line(sizes))
    met = [r[-1] for s in sizes for r in build_rows(s, sizes) + other_rows(s)]
    print(f"\nTargets checked: {sum(m == 'yes' for m in met)} met, "
          f"{sum(m == '**no**' for m in met)} not met, {sum(m == 'n/a' for m in met)} not "
          f"measurable (no Hugo or no figure); targets apply at 1k, 10k and 40k pages only.")


def main(argv):
    if len(argv) >= 3 and argv[1] == "size":
        print_size(Size(argv[2]))
    elif len(argv) >= 3 and argv[1] == "summary":
        print_summary([Size(d) for d in argv[2:]])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
