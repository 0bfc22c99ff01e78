#!/usr/bin/env bash
# Runs every test: unit, golden and integration (real FRR in network
# namespaces, so run as root). Installs what is missing first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh >&2
shopt -s nullglob
files=(test/unit/*.test.ts test/golden/*.test.ts test/integration/*.test.ts)
# One file at a time: integration tests each run a small fabric on 2 cores.
exec node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
