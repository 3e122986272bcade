#!/usr/bin/env bash
# The whole-site benchmark: steppe beside Hugo (and Zola where installed) on the generated
# multilingual corpus, alternating, several runs, medians.
#
#   benches/site.sh                 # N = 250 and 2,500 pages per language (1k and 10k pages)
#   benches/site.sh --big           # also N = 10,000 per language (40k pages), steppe only
#   benches/site.sh --pages 10000 --big --runs 1   # only the 40k size, steppe only
#   benches/site.sh --big --big-hugo   # ... and Hugo (and Zola) at 40k too (minutes per build)
#   benches/site.sh --pages 10 --runs 1 --edits 3   # only these sizes (repeatable); quick check
#   options: --runs R (default 3), --edits E (watch edits per tool and size, default 20),
#            --no-watch (skip watch latency), --no-drop (keep the page cache even as root),
#            --keep (keep the corpora and outputs), --work DIR (default: a temp folder)
#   env: STEPPE_BIN=path  measure this binary instead of building target/release/steppe
#
# For each size and tool, three cases, each timed with /usr/bin/time:
#   clean      the output folder moved aside first (not timed; see `set_aside` below)
#   unchanged  a rebuild into that output with nothing changed
#   one-page   a rebuild after one English page's body got a new sentence
# The clean and unchanged cases of every size and run come first, the one-page cases after
# them (see `set_aside`), so the sizes are measured in two rounds. To time 40k pages in a run
# of its own, start it once the disk is quiet (six minutes after a run that deleted files).
# Printed per case: median wall time and the range of the runs' wall times, CPU time (user +
# system), peak RSS, files and bytes written (counted from a listing of inode + mtime before
# and after, so a file rewritten in place counts and a hard-linked one does not), the search
# index's files and bytes, and the ratio of steppe's median wall time to Hugo's; and the CPU
# time other guests of the machine took during the timed builds (steal, from /proc/stat).
# Tools alternate within each run, so a noisy neighbour slows both. As root, the page cache is dropped before every timed build (said so
# in the header); otherwise runs start warm.
# Where the time goes: steppe runs with STEPPE_TIMINGS=1; the median of each stage and its
# `write counts:` line are printed per case.
# Watch latency (every size but the --big one): benches/watch_latency.py edits that English
# page E times under `steppe watch` and `hugo server --renderToDisk` (warm page cache) and
# prints save → HTML on disk (median, p90), the tool's own rebuild time and the peak RSS.
# At the end: steppe's scale over the sizes (the 40k target is ≤ 4.4 × 10k), its stages per
# size, and a Markdown table with the issue's targets checked, ready for the README.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
source "$repo/benches/guide_settings.sh"
sizes=() runs=3 drop=auto keep=0 work="" big=0 big_hugo=0 edits=20 watch=1
while [[ $# -gt 0 ]]; do
    case $1 in
        --pages) sizes+=("$2"); shift 2 ;;
        --big) big=1; shift ;;
        --big-hugo) big_hugo=1; shift ;;
        --edits) edits=$2; shift 2 ;;
        --no-watch) watch=0; shift ;;
        --runs) runs=$2; shift 2 ;;
        --no-drop) drop=no; shift ;;
        --keep) keep=1; shift ;;
        --work) work=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ ${#sizes[@]} -eq 0 ]] && sizes=(250 2500)
[[ $big -eq 1 ]] && sizes+=(10000)
# Each size once, in the order given (`--pages 10000 --big` measures only the 40k size).
mapfile -t sizes < <(printf '%s\n' "${sizes[@]}" | awk '!seen[$0]++')
[[ $drop == auto ]] && { [[ $(id -u) -eq 0 ]] && drop=yes || drop=no; }
[[ -x /usr/bin/time ]] || { echo "error: /usr/bin/time is needed (apt-get install time)" >&2; exit 1; }

if [[ -z ${STEPPE_BIN:-} ]]; then
    (cd "$repo" && cargo build --release -q)
    STEPPE_BIN=$repo/target/release/steppe
fi
STEPPE_BIN=$(realpath "$STEPPE_BIN")  # builds run inside the corpus folders
all_tools=(steppe)
HUGO=$(command -v hugo || true)
ZOLA=$(command -v zola || true)
[[ -n $HUGO ]] && all_tools+=(hugo)
[[ -n $ZOLA ]] && all_tools+=(zola)

if [[ -z $work ]]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/steppe-bench.XXXXXX")
    [[ $keep -eq 0 ]] && trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"

echo "steppe: $STEPPE_BIN ($("$STEPPE_BIN" --version 2>/dev/null || echo '?'))"
[[ -n $HUGO ]] && echo "hugo:   $("$HUGO" version | cut -d' ' -f1-2)" || echo "hugo:   not installed"
[[ -n $ZOLA ]] && echo "zola:   $("$ZOLA" --version)" || echo "zola:   not installed"
echo "machine: $(nproc) cores; $runs runs per case, tools alternating"
[[ $big -eq 1 && $big_hugo -eq 0 ]] && echo "40k pages (--big): steppe only (--big-hugo adds the others)"
[[ $watch -eq 1 ]] && echo "watch: $edits edits per tool and size (page cache warm)" || echo "watch: skipped (--no-watch)"
if [[ $drop == yes ]]; then
    echo "page cache: dropped before every timed build (running as root)"
else
    echo "page cache: NOT dropped (not root, or --no-drop): runs start warm"
fi

drop_cache() {
    [[ $drop == yes ]] || return 0
    sync
    echo 3 > /proc/sys/vm/drop_caches
}

# CPU time the hypervisor gave other guests so far (the `steal` column of /proc/stat, all
# cores), in clock ticks; `nan` where the kernel does not report it. On a shared virtual
# machine a build that loses CPU to its neighbours is slower for no fault of its own: each
# build's steal is recorded beside its times, and the report prints it.
steal_ticks() {
    awk '/^cpu / {print (NF >= 9 ? $9 : "nan"); found = 1; exit} END {if (!found) print "nan"}' \
        /proc/stat 2>/dev/null || echo nan
}

# The site folder, the output folder and the command of each tool.
site_of() { echo "$corpus/$([[ $1 == steppe ]] && echo neutral || echo "$1")"; }
out_of() { echo "$(site_of "$1")/public"; }
command_of() {
    case $1 in
        steppe) echo "env STEPPE_TIMINGS=1 $STEPPE_BIN build --out public" ;;
        hugo) echo "$HUGO --quiet" ;;
        zola) echo "$ZOLA build --force" ;;
    esac
}

# No timed build may pay for an earlier deletion: on ext4 without a journal (this machine's
# disk) the inode allocator steps over every inode deleted in the last minute, and in the last
# six minutes in an inode-table block that is dirty, which a build's own new inodes make it.
# Deleting 20,000 files right before a clean build cost that build 6-17 % of its CPU at 1k and
# up to a third of its wall time at 40k (`find_inode_bit`/`recently_deleted` in perf, 2 December
# 2026). So the clean case's old output is moved into $trash, emptied at the end, and all
# clean builds (every size, run and tool) come before the one-page rebuilds, in which steppe
# replaces the output and deletes the old tree's folders.
trash=$work/trash
set_aside() {
    [[ -e $1 ]] || return 0
    mkdir -p "$trash"
    mv "$1" "$trash/$(date +%s%N)"
}

# "inode mtime size" of every file under $1, one line each.
listing() { if [[ -d $1 ]]; then find "$1" -type f -printf '%i %T@ %s\n'; fi; }

# Search index files and bytes of a tool's output.
search_size() {
    local out=$1 files bytes
    case $2 in
        steppe) files=$(find "$out/search" -type f 2>/dev/null | wc -l)
                bytes=$(find "$out/search" -type f -printf '%s\n' 2>/dev/null | awk '{s+=$1} END {print s+0}') ;;
        *) files=$(find "$out" -type f -name 'search_index*' 2>/dev/null | wc -l)
           bytes=$(find "$out" -type f -name 'search_index*' -printf '%s\n' 2>/dev/null | awk '{s+=$1} END {print s+0}') ;;
    esac
    echo "$files $bytes"
}

# One timed build (run $3): appends "wall cpu rss_kb files bytes steal_s" to $results/<tool>.<case>
# and keeps its stderr in $results/stderr/<tool>.<case>.<run> (steppe's stage times).
measure() {
    local tool=$1 case=$2 site out before t files bytes wall user sys rss err steal
    site=$(site_of "$tool") out=$(out_of "$tool") err=$results/stderr/$1.$2.$3
    before=$work/before.list t=$work/time.out
    listing "$out" > "$before"
    drop_cache
    steal=$(steal_ticks)
    # shellcheck disable=SC2046 # the command is split into words on purpose
    if ! (cd "$site" && /usr/bin/time -f '%e %U %S %M' -o "$t" $(command_of "$tool") \
            >/dev/null 2>"$err"); then
        echo "error: $tool failed ($case):" >&2
        tail -5 "$err" >&2
        exit 1
    fi
    steal=$(awk -v a="$steal" -v b="$(steal_ticks)" -v hz="$(getconf CLK_TCK 2>/dev/null || echo 100)" \
        'BEGIN {if (a == "nan" || b == "nan") print "nan"; else printf "%.2f\n", (b - a) / hz}')
    # A file whose inode + mtime pair was not there before was written by this build.
    read -r files bytes < <(listing "$out" | awk -v before="$before" '
        BEGIN {while ((getline l < before) > 0) {split(l, f, " "); seen[f[1] " " f[2]] = 1}}
        !(($1 " " $2) in seen) {n++; s += $3} END {print n + 0, s + 0}')
    read -r wall user sys rss < "$t"
    echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}') $rss $files $bytes $steal" \
        >> "$results/$tool.$case"
}

# The English page every tool edits (same section and slug), relative to content/en/.
edited_page() {
    # sort | sed (not head): head closing the pipe early kills `sort` with SIGPIPE, which
    # pipefail turns into a failure of the whole script on big corpora.
    (cd "$corpus/neutral/content/en" && find . -name '*.md' ! -name '_index.md' | sort | sed -n '1s|^\./||p')
}

# Appends sentence $1 to the edited page in every tool's copy of the corpus.
edit_page() {
    local line="Edit $1: a new sentence about roaming."
    echo "$line" >> "$corpus/neutral/content/en/$page"
    echo "$line" >> "$corpus/hugo/content/${page%.md}.en.md"
    if [[ -f $corpus/zola/content/$page ]]; then echo "$line" >> "$corpus/zola/content/$page"; fi
}

# Watch latency of each tool that has a watch mode writing to disk (steppe, Hugo's server).
watch_latency() {
    local tool bin line
    for tool in "${tools[@]}"; do
        case $tool in
            steppe) bin=$STEPPE_BIN ;;
            hugo) bin=$HUGO ;;
            *) echo "watch, $tool: not measured (its server does not write to disk)"; continue ;;
        esac
        if ! line=$(python3 "$repo/benches/watch_latency.py" --tool "$tool" --bin "$bin" \
                --site "$(site_of "$tool")" --page "en/$page" --edits "$edits" \
                --label "$tool-$((n * 4))" 2>"$results/stderr/watch.$tool"); then
            echo "error: watch latency of $tool failed:" >&2
            tail -5 "$results/stderr/watch.$tool" >&2
            exit 1
        fi
        sed -n 's/^watch-result //p' <<< "$line" > "$results/watch.$tool"
    done
}

# The size $1's corpus, results folder, tools and edited page ($corpus, $results, $tools,
# $page, $is_big).
use_size() {
    corpus=$work/corpus-$1
    results=$work/results-$1
    # The --big size: steppe alone unless --big-hugo, and no watch (the issue asks 1k and 10k).
    is_big=0
    [[ $big -eq 1 && $1 -eq 10000 ]] && is_big=1
    tools=("${all_tools[@]}")
    [[ $is_big -eq 1 && $big_hugo -eq 0 ]] && tools=(steppe)
    page=$(edited_page)
}

results_dirs=()
# First, every size: clean builds and rebuilds with nothing changed (neither deletes a file).
for n in "${sizes[@]}"; do
    corpus=$work/corpus-$n
    if [[ ! -d $corpus/neutral ]]; then
        python3 "$repo/benches/gen_corpus.py" --pages "$n" --layout all --out "$corpus" >/dev/null
    fi
    # The issue's setup: the guide's settings in the neutral layout.
    guide_settings "$repo" "$corpus/neutral"
    use_size "$n"
    rm -rf "$results"
    mkdir -p "$results/stderr"
    echo "$n $runs $(nproc)" > "$results/meta"
    results_dirs+=("$results")
    for ((r = 1; r <= runs; r++)); do
        for tool in "${tools[@]}"; do
            set_aside "$(out_of "$tool")"
            measure "$tool" clean "$r"
            measure "$tool" unchanged "$r"
        done
    done
done
# Then, every size: rebuilds after one page changed, and watch latency.
for n in "${sizes[@]}"; do
    use_size "$n"
    for ((r = 1; r <= runs; r++)); do
        edit_page "$r"
        for tool in "${tools[@]}"; do
            measure "$tool" one-page "$r"
        done
    done
    for tool in "${tools[@]}"; do
        search_size "$(out_of "$tool")" "$tool" > "$results/search.$tool"
    done
    [[ $watch -eq 1 && $is_big -eq 0 ]] && watch_latency
    python3 "$repo/benches/report.py" size "$results"
done
python3 "$repo/benches/report.py" summary "${results_dirs[@]}"
rm -rf "$trash"
