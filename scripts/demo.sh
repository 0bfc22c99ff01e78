#!/usr/bin/env bash
# The README's demo: a symmetric-IRB fabric (two tenant VRFs, routed
# networks, one exit node) driven by one routerd-evpn daemon per node.
# Installs what is missing, then runs scripts/demo-irb.sh where VRF devices
# work: on this host if its kernel has VRF, else in the qemu lab VM that
# `npm run lab -- run` boots (first use installs and caches qemu and a
# stock Debian kernel). The L2-only demo is scripts/demo-l2.sh.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
exec npm run --silent lab -- run bash scripts/demo-irb.sh
