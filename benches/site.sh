#!/usr/bin/env bash
# The whole-site benchmark: steppe beside Hugo (and Zola where installed) on the generated
# multilingual corpus, alternating, several runs, medians.
#
#   benches/site.sh                 # N = 250 and 2,500 pages per language (1k and 10k pages)
#   benches/site.sh --big           # also N = 10,000 per language (40k pages)
#   benches/site.sh --pages 50      # only these sizes (repeatable); quick while developing
#   options: --runs R (default 3), --no-drop (keep the page cache even as root),
#            --keep (keep the corpora and outputs), --work DIR (default: a temp folder)
#   env: STEPPE_BIN=path  measure this binary instead of building target/release/steppe
#
# For each size and tool, three cases, each timed with /usr/bin/time:
#   clean      the output folder removed first (not timed)
#   unchanged  a rebuild into that output with nothing changed
#   one-page   a rebuild after one English page's body got a new sentence
# Printed per case: median wall time, CPU time (user + system), peak RSS, files and bytes
# written (counted from a listing of inode + mtime before and after, so a file rewritten in
# place counts and a hard-linked one does not), the search index's files and bytes, and the
# ratio of steppe's median wall time to Hugo's. Tools alternate within each run, so a noisy
# neighbour slows both. As root, the page cache is dropped before every timed build (said so
# in the header); otherwise runs start warm.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
sizes=() runs=3 drop=auto keep=0 work="" big=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --pages) sizes+=("$2"); shift 2 ;;
        --big) big=1; shift ;;
        --runs) runs=$2; shift 2 ;;
        --no-drop) drop=no; shift ;;
        --keep) keep=1; shift ;;
        --work) work=$2; shift 2 ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ ${#sizes[@]} -eq 0 ]] && sizes=(250 2500)
[[ $big -eq 1 ]] && sizes+=(10000)
[[ $drop == auto ]] && { [[ $(id -u) -eq 0 ]] && drop=yes || drop=no; }
[[ -x /usr/bin/time ]] || { echo "error: /usr/bin/time is needed (apt-get install time)" >&2; exit 1; }

if [[ -z ${STEPPE_BIN:-} ]]; then
    (cd "$repo" && cargo build --release -q)
    STEPPE_BIN=$repo/target/release/steppe
fi
tools=(steppe)
HUGO=$(command -v hugo || true)
ZOLA=$(command -v zola || true)
[[ -n $HUGO ]] && tools+=(hugo)
[[ -n $ZOLA ]] && tools+=(zola)

if [[ -z $work ]]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/steppe-bench.XXXXXX")
    [[ $keep -eq 0 ]] && trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"

echo "steppe: $STEPPE_BIN ($("$STEPPE_BIN" --version 2>/dev/null || echo '?'))"
[[ -n $HUGO ]] && echo "hugo:   $("$HUGO" version | cut -d' ' -f1-2)" || echo "hugo:   not installed"
[[ -n $ZOLA ]] && echo "zola:   $("$ZOLA" --version)" || echo "zola:   not installed"
echo "machine: $(nproc) cores; $runs runs per case, tools alternating"
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

# The site folder, the output folder and the command of each tool.
site_of() { echo "$corpus/$([[ $1 == steppe ]] && echo neutral || echo "$1")"; }
out_of() { echo "$(site_of "$1")/public"; }
command_of() {
    case $1 in
        steppe) echo "$STEPPE_BIN build --out public" ;;
        hugo) echo "$HUGO --quiet" ;;
        zola) echo "$ZOLA build --force" ;;
    esac
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

# One timed build: appends "wall cpu rss_kb files bytes" to $results/<tool>.<case>.
measure() {
    local tool=$1 case=$2 site out before t files bytes wall user sys rss
    site=$(site_of "$tool") out=$(out_of "$tool")
    before=$work/before.list t=$work/time.out
    listing "$out" > "$before"
    drop_cache
    # shellcheck disable=SC2046 # the command is split into words on purpose
    if ! (cd "$site" && /usr/bin/time -f '%e %U %S %M' -o "$t" $(command_of "$tool") \
            >/dev/null 2>"$results/$tool.err"); then
        echo "error: $tool failed ($case):" >&2
        tail -5 "$results/$tool.err" >&2
        exit 1
    fi
    # A file whose inode + mtime pair was not there before was written by this build.
    read -r files bytes < <(listing "$out" | awk -v before="$before" '
        BEGIN {while ((getline l < before) > 0) {split(l, f, " "); seen[f[1] " " f[2]] = 1}}
        !(($1 " " $2) in seen) {n++; s += $3} END {print n + 0, s + 0}')
    read -r wall user sys rss < "$t"
    echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}') $rss $files $bytes" \
        >> "$results/$tool.$case"
}

# The median of column $2 of file $1.
median() { sort -g -k"$2","$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# One English page of the corpus, the same for every tool (same section and slug).
edit_page() {
    local n=$1 rel
    # sort | sed (not head): head closing the pipe early kills `sort` with SIGPIPE, which
    # pipefail turns into a failure of the whole script on big corpora.
    rel=$(cd "$corpus/neutral/content/en" && find . -name '*.md' ! -name '_index.md' | sort | sed -n 1p)
    rel=${rel#./}
    echo "Edit $n: a new sentence about roaming." >> "$corpus/neutral/content/en/$rel"
    echo "Edit $n: a new sentence about roaming." >> "$corpus/hugo/content/${rel%.md}.en.md"
    [[ -f $corpus/zola/content/$rel ]] && echo "Edit $n: a new sentence about roaming." >> "$corpus/zola/content/$rel"
    return 0
}

report() {
    local n=$1 case tool hugo_wall wall
    printf '\n## %s pages per language (%s pages), medians of %s\n' "$n" "$((n * 4))" "$runs"
    printf '%-10s %-7s %9s %9s %10s %8s %11s %8s\n' case tool "wall s" "cpu s" "RSS MiB" files "bytes MB" "÷ hugo"
    for case in clean unchanged one-page; do
        hugo_wall=""
        [[ -f $results/hugo.$case ]] && hugo_wall=$(median "$results/hugo.$case" 1)
        for tool in "${tools[@]}"; do
            local f=$results/$tool.$case
            wall=$(median "$f" 1)
            printf '%-10s %-7s %9.2f %9.2f %10.0f %8.0f %11.1f %8s\n' "$case" "$tool" "$wall" \
                "$(median "$f" 2)" "$(awk -v k="$(median "$f" 3)" 'BEGIN {print k/1024}')" \
                "$(median "$f" 4)" "$(awk -v b="$(median "$f" 5)" 'BEGIN {print b/1e6}')" \
                "$([[ -n $hugo_wall ]] && awk -v a="$wall" -v b="$hugo_wall" 'BEGIN {printf "%.2f", a/b}' || echo -)"
        done
    done
    for tool in "${tools[@]}"; do
        read -r sf sb < <(search_size "$(out_of "$tool")" "$tool")
        printf 'search index, %s: %s files, %.1f MB\n' "$tool" "$sf" "$(awk -v b="$sb" 'BEGIN {print b/1e6}')"
    done
    printf 'steppe stages (STEPPE_TIMINGS=1, one warm clean build):\n'
    rm -rf "$(out_of steppe)"
    (cd "$corpus/neutral" && STEPPE_TIMINGS=1 "$STEPPE_BIN" build --out public 2>&1 >/dev/null | grep -E " ms$|write counts" | sed "s/^/  /")
}

for n in "${sizes[@]}"; do
    corpus=$work/corpus-$n
    if [[ ! -d $corpus/neutral ]]; then
        python3 "$repo/benches/gen_corpus.py" --pages "$n" --layout all --out "$corpus" >/dev/null
        # The issue's setup: the guide's theme and site.yaml in the neutral layout.
        cp "$repo/site.yaml" "$corpus/neutral/site.yaml"
        cp -r "$repo/themes" "$corpus/neutral/themes"
        # The guide's collection items (pages say `about: operators/<id>`) and its UI strings.
        cp -r "$repo/data" "$corpus/neutral/data"
        cp -r "$repo/i18n" "$corpus/neutral/i18n"
    fi
    results=$work/results-$n
    rm -rf "$results"
    mkdir -p "$results"
    for ((r = 1; r <= runs; r++)); do
        for tool in "${tools[@]}"; do
            rm -rf "$(out_of "$tool")"
            measure "$tool" clean
            measure "$tool" unchanged
        done
        edit_page "$r"
        for tool in "${tools[@]}"; do
            measure "$tool" one-page
        done
    done
    report "$n"
done
