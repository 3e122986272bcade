#!/usr/bin/env bash
# The single test command: every Rust test (unit, behaviour, real content), then the Node and
# browser tests once they exist. A missing tool is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --all-targets
