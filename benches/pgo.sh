#!/usr/bin/env bash
# A profile-guided release build of steppe: target/pgo/release/steppe.
#
#   benches/pgo.sh            # about twice as long as one `cargo build --release`
#
# 1. builds steppe instrumented (`-Cprofile-generate`, into target/pgo-generate/);
# 2. trains it: builds the guide (this repository) and a tiny generated site (84 pages,
#    `gen_corpus.py --pages 3`, with the guide's theme and settings), rebuilds that site with
#    nothing changed and after one page changed, and builds both again with `--drafts`;
# 3. merges the profiles (llvm-profdata, from rustup's `llvm-tools` component, added if
#    missing) into target/pgo.profdata;
# 4. builds steppe again with them (`-Cprofile-use`, into target/pgo/).
#
# The training sites are not the benchmark's corpus: the profile records which branches and
# calls are hot, and one recorded on the corpus being measured would flatter the benchmark
# (README, Performance). Output is byte-identical to `cargo build --release`'s, only faster.
# Needs: cargo, rustup (for llvm-tools), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
source benches/guide_settings.sh

case ${1:-} in
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    "") ;;
    *) echo "error: unknown option '$1' (benches/pgo.sh takes none; --help)" >&2; exit 2 ;;
esac

host=$(rustc -vV | sed -n 's/^host: //p')
profdata=$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata
if [[ ! -x $profdata ]]; then
    echo "llvm-profdata missing: rustup component add llvm-tools" >&2
    rustup component add llvm-tools >&2
fi
[[ -x $profdata ]] || { echo "error: no llvm-profdata at $profdata" >&2; exit 1; }

data=$repo/target/pgo-data
echo "1/4 instrumented build (target/pgo-generate/)" >&2
RUSTFLAGS="-Cprofile-generate=$data" cargo build --release --quiet --target-dir target/pgo-generate
# Build scripts were instrumented too and wrote their profiles while compiling: only steppe's
# own runs below count.
rm -rf "$data"
steppe=$repo/target/pgo-generate/release/steppe

echo "2/4 training on the guide and a tiny generated site" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 benches/gen_corpus.py --pages 3 --layout neutral --out "$work/corpus" >/dev/null
site=$work/corpus/neutral
guide_settings "$repo" "$site"
# A failed run stops the script with its output; warnings (the generated site has some) are not shown.
train() {
    local log
    if ! log=$("$steppe" build --quiet "$@" 2>&1); then
        echo "$log" >&2
        exit 1
    fi
}
train --root "$repo" --out "$work/guide"
train --root "$repo" --out "$work/guide-drafts" --drafts
train --root "$site" --out "$work/site"
train --root "$site" --out "$work/site"   # nothing changed
page=$(find "$site/content/en" -name '*.md' ! -name '_index.md' | sort | head -1)
echo "A sentence added for the one-page rebuild." >> "$page"
train --root "$site" --out "$work/site"
train --root "$site" --out "$work/site-drafts" --drafts

echo "3/4 merging the profiles into target/pgo.profdata" >&2
"$profdata" merge -o "$repo/target/pgo.profdata" "$data"

echo "4/4 optimised build (target/pgo/)" >&2
RUSTFLAGS="-Cprofile-use=$repo/target/pgo.profdata" cargo build --release --quiet --target-dir target/pgo
echo "$repo/target/pgo/release/steppe"
