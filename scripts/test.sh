#!/usr/bin/env bash
# Runs every check and test: type check, format and lint (Biome), the stage
# dependency rules (dependency-cruiser), then unit, golden and integration
# tests (real FRR in network namespaces, so run as root). Installs what is
# missing first. Any failing step fails the run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh >&2
echo "== type check (tsc)" >&2
npm run --silent typecheck
echo "== format and lint (biome check)" >&2
npm run --silent lint
echo "== stage dependency rules (dependency-cruiser)" >&2
npm run --silent depcheck
shopt -s nullglob
files=(test/unit/*.test.ts test/golden/*.test.ts test/conformance/*.test.ts test/integration/*.test.ts)
# One file at a time: integration tests each run a small fabric on 2 cores.
exec node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
