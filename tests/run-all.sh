#!/usr/bin/env bash
# The single test command: every Rust test (unit, behaviour, real content), then the Node and
# browser tests once they exist. A missing tool is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --all-targets

# Search (issue 4): the engine in Node on the real site and on the benchmark corpus, and the
# search box in Chromium. Each missing tool is an error, never a skip.
command -v node >/dev/null || { echo "error: node is missing (apt-get install nodejs npm)" >&2; exit 1; }
[ -d tests/js/node_modules/playwright-core ] || { echo "error: npm packages missing: npm ci --prefix tests/js" >&2; exit 1; }
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "error: chromium is missing (apt-get install chromium)" >&2; exit 1; }
search_tmp="$(mktemp -d)"
trap 'rm -rf "$search_tmp"' EXIT
cargo run --release --quiet -- build --out "$search_tmp/site" >/dev/null
STEPPE_TEST_SITE="$search_tmp/site" node --test tests/js/

# The theme in a real browser (phone viewport, axe, links, sub-path and file://).
[ -d tests/browser/node_modules/playwright-core ] || { echo "error: npm packages missing: npm ci --prefix tests/browser" >&2; exit 1; }
STEPPE_BIN=target/release/steppe node --test tests/browser/site.test.js
STEPPE_BIN=target/release/steppe node --test tests/browser/review-notice.test.js
