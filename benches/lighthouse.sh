#!/usr/bin/env bash
# Lighthouse (mobile) on the guide as readers get it: the real site built with the release
# binary, served under /guide/ from 127.0.0.1, audited in Debian's Chromium. Prints one line per
# page with the four category scores (performance, accessibility, best practices, SEO).
#
#   benches/lighthouse.sh                        # zh and ru: home, a guide page, an operator page
#   benches/lighthouse.sh en kk                  # other languages
#   env: STEPPE_BIN=path    audit this binary's build instead of building target/release/steppe
#        LIGHTHOUSE=path    a lighthouse CLI; else `npm i lighthouse@12` into target/lighthouse/
#        CHROMIUM=path      default /usr/bin/chromium
#        KEEP=dir           also keep each page's JSON report there
#
# ~11 s per page: a documented command, not part of the test run. Lighthouse throttles to a
# slow 4G phone by default (its "mobile" preset), which is the reader this guide is written for.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
langs=("$@")
[[ ${#langs[@]} -gt 0 ]] || langs=(zh ru)
pages=("" "steps/online/" "operators/kcell/")
chromium=${CHROMIUM:-/usr/bin/chromium}
[[ -x $chromium ]] || { echo "error: Chromium not found at $chromium (apt-get install chromium)" >&2; exit 1; }

lighthouse=${LIGHTHOUSE:-}
if [[ -z $lighthouse ]]; then
    lighthouse=$repo/target/lighthouse/node_modules/.bin/lighthouse
    if [[ ! -x $lighthouse ]]; then
        echo "installing lighthouse@12 into target/lighthouse (npm, ~185 MB)" >&2
        mkdir -p "$repo/target/lighthouse"
        npm i --prefix "$repo/target/lighthouse" --no-audit --no-fund --silent lighthouse@12 >&2
    fi
fi

bin=${STEPPE_BIN:-}
if [[ -z $bin ]]; then
    (cd "$repo" && cargo build --release --quiet)
    bin=$repo/target/release/steppe
fi

work=$(mktemp -d)
server=""
cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port/guide/"
(cd "$repo" && "$bin" build --quiet --out "$work/guide" --base-url "$base")
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "$base" >/dev/null && break; sleep 0.1; done

flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage"
printf '%-28s %5s %5s %5s %5s\n' page perf a11y best seo
for lang in "${langs[@]}"; do
    for page in "${pages[@]}"; do
        report=$work/report.json
        CHROME_PATH=$chromium "$lighthouse" "$base$lang/$page" --quiet --output=json --output-path="$report" \
            --chrome-flags="$flags" --only-categories=performance,accessibility,best-practices,seo >/dev/null
        [[ -n ${KEEP:-} ]] && mkdir -p "$KEEP" && cp "$report" "$KEEP/${lang}-${page//\//_}.json"
        python3 - "$report" "$lang/$page" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["categories"]
score = lambda k: "-" if c[k]["score"] is None else str(round(c[k]["score"] * 100))
print(f'{sys.argv[2] or "/":<28} ' + " ".join(f"{score(k):>5}" for k in ("performance", "accessibility", "best-practices", "seo")))
EOF
    done
done
