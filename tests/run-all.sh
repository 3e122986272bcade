#!/usr/bin/env bash
# The single test command, also on a fresh machine: it installs what the tests need where it is
# missing (npm packages always; Chromium and a CJK font through apt-get when running as root,
# otherwise one error naming the command to run), then runs every Rust test, the search engine
# in Node and the site in headless Chromium. A missing tool is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${CHROMIUM:-/usr/bin/chromium}"

missing_error() {
  echo "error: $1 is missing; install it with:" >&2
  echo "  $2" >&2
  exit 1
}

# Debian packages: Chromium for the browser tests, a CJK font so Chinese renders in them, Python 3
# for benches/gen_corpus.py (the search budget test) and the browser tests' static server, Node.
apt_packages=()
[ -x "$chromium" ] || apt_packages+=(chromium)
{ dpkg -s fonts-noto-cjk || fc-list | grep -qi "Noto Sans CJK"; } >/dev/null 2>&1 || apt_packages+=(fonts-noto-cjk)
command -v python3 >/dev/null || apt_packages+=(python3)
# A machine may carry its own Node build (with npm); Debian's npm would conflict with it.
command -v npm >/dev/null || apt_packages+=(nodejs npm)
if [ ${#apt_packages[@]} -gt 0 ]; then
  install="apt-get update && apt-get install -y --no-install-recommends ${apt_packages[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    missing_error "${apt_packages[*]}" "sudo sh -c '$install'"
  fi
  echo "installing ${apt_packages[*]} (apt-get)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi
[ -x "$chromium" ] || missing_error chromium "apt-get install -y chromium (or set CHROMIUM=/path/to/chromium)"

# npm packages of the Node and browser tests, from their lock files.
for dir in tests/js tests/browser; do
  if [ ! -d "$dir/node_modules/playwright-core" ]; then
    echo "installing npm packages in $dir (npm ci)" >&2
    npm ci --prefix "$dir" --no-audit --no-fund --silent
  fi
done

cargo test --all-targets

# Search (issue 4): the engine in Node on the real site and on the benchmark corpus, and the
# search box in Chromium.
search_tmp="$(mktemp -d)"
trap 'rm -rf "$search_tmp"' EXIT
cargo run --release --quiet -- build --quiet --out "$search_tmp/site"
STEPPE_TEST_SITE="$search_tmp/site" node --test tests/js/

# The theme in a real browser (phone viewport, axe, links, sub-path and file://).
# Every `*.test.js` file under tests/browser/ (node skips node_modules).
STEPPE_BIN=target/release/steppe node --test tests/browser/
