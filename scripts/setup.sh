#!/usr/bin/env bash
# Installs what the lab needs on Debian 12 (as root), and only what is missing:
# FRR 8.4 + frr-reload.py, iproute2 (ip, bridge), nftables (SNAT), ping and the npm dependencies
# (Node >= 20 must be present). Safe to run again: every step checks first.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DEBIAN_FRONTEND=noninteractive

say() { printf 'setup: %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  say "must run as root (namespaces, FRR)"; exit 1
fi

missing=()
for f in /usr/lib/frr/zebra /usr/lib/frr/bgpd /usr/lib/frr/frr-reload.py; do
  [ -x "$f" ] || [ -f "$f" ] || missing+=("$f")
done
for c in ip bridge nft ping vtysh gobgpd gobgp; do
  command -v "$c" >/dev/null 2>&1 || missing+=("$c")
done

policy_created=0
cleanup() { if [ "$policy_created" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT

if [ "${#missing[@]}" -gt 0 ]; then
  say "missing: ${missing[*]}; installing packages"
  # Keep the package's init script from starting the global FRR instance:
  # the lab runs its own FRR instances, one per namespace.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    policy_created=1
  fi
  apt-get update
  # gobgpd: the external route reflector of the interop test (not the daemon's)
  apt-get install -y --no-install-recommends frr frr-pythontools iproute2 nftables iputils-ping gobgpd
else
  say "FRR, iproute2, nftables, ping and GoBGP are present"
fi

# The Debian frr service must not be enabled for the lab; a running global
# instance is left alone (it may belong to someone else), only reported.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  for unit in frr gobgpd; do
    if systemctl is-enabled --quiet "$unit" 2>/dev/null; then
      systemctl disable "$unit" >/dev/null 2>&1 && say "disabled the $unit.service unit (not stopped)"
    fi
  done
elif command -v update-rc.d >/dev/null 2>&1 && [ -e /etc/init.d/frr ]; then
  update-rc.d frr disable >/dev/null 2>&1 || true
fi
global_pids=""
for pid in $(pgrep -x zebra 2>/dev/null || true) $(pgrep -x bgpd 2>/dev/null || true); do
  if ! tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- ' -N '; then
    global_pids="$global_pids $pid"
  fi
done
if [ -n "$global_pids" ]; then
  say "note: a global FRR instance (from /etc/frr/daemons) is running (pids:$global_pids); the lab does not use it and leaves it running"
fi

# Node >= 20 is required (the machine image provides it; Debian 12's own
# nodejs package is 18). Nothing is downloaded from outside the package registries.
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 20 ]; then
  say "Node >= 20 is required (found: $(node --version 2>/dev/null || echo none)); install Node 20 or newer and run again"
  exit 1
fi

# npm dependencies: install when absent or older than the lockfile.
if [ -f package-lock.json ]; then
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund
  else
    say "npm dependencies are up to date"
  fi
elif [ ! -d node_modules ]; then
  say "installing npm dependencies (npm install)"
  npm install --no-audit --no-fund
fi

# The daemon and CLI run compiled (bin/ loads dist/); incremental, so a
# build with nothing changed takes seconds.
say "building dist/ (tsc)"
npm run --silent build

say "ready"
