#!/usr/bin/env bash
# The bench matrix (issue 8, item 6): apply and no-op figures, and until when
# zebra and bgpd know all VNIs, for FRR 8.4 and 10.3, per-VNI devices and the
# single VXLAN device, at 1000 and 4000 VNIs. Runs as root, one bench at a time,
# on an otherwise idle machine:
#
#   host (this kernel): {8.4, 10.3} x perVni x SIZES, --reps HOST_REPS (3)
#   lab VM (Debian 6.1, VLAN-aware bridges, qemu TCG):
#        {8.4 perVni, 10.3 perVni, 10.3 single} x SIZES, --reps VM_REPS (1) --no-floor
#
# so per-VNI and single are compared on the same substrate (the VM), and the
# host runs show the two FRR versions at native speed. Every run's output is
# kept in OUT (a fresh dir under $TMPDIR, or BENCH_MATRIX_OUT); its
# `bench-row:` line goes into OUT/table.md, which is printed at the end. A run
# that fails gets a row saying so, and the matrix goes on.
#
#   bash scripts/bench-matrix.sh                 # everything (about 2-3 h on 2 cores)
#   bash scripts/bench-matrix.sh --host          # only the host part
#   bash scripts/bench-matrix.sh --vm            # only the VM part
#   bash scripts/bench-matrix.sh --sizes "1000"  # other sizes
#   bash scripts/bench-matrix.sh --dry-run       # print the commands only
#   HOST_REPS=1 VM_REPS=1 VM_MEMORY=4096 bash scripts/bench-matrix.sh
#
# Exit code: 0 when every run exited 0, else 1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

host=1 vm=1 dry=0 sizes="1000 4000"
while [ $# -gt 0 ]; do
  case "$1" in
    --host) vm=0 ;;
    --vm) host=0 ;;
    --sizes) sizes="$2"; shift ;;
    --dry-run) dry=1 ;;
    *) echo "usage: bash scripts/bench-matrix.sh [--host|--vm] [--sizes \"1000 4000\"] [--dry-run]" >&2; exit 2 ;;
  esac
  shift
done
HOST_REPS=${HOST_REPS:-3}
VM_REPS=${VM_REPS:-1}
VM_MEMORY=${VM_MEMORY:-4096}

# `lab run --timeout` for one bench in the VM: generous (about 1 s per VNI per
# bulk delete of per-VNI devices, plus FRR taking the VNIs in, plus 20 min).
vm_timeout() { # device vnis
  local deletes=0
  [ "$1" = perVni ] && deletes=$VM_REPS
  echo $(((1200 + $2 * (deletes + 1) + 599) / 600 * 600))
}

runs=() # "substrate frr device vnis"
if [ $host = 1 ]; then
  for frr in 8.4 10.3; do for n in $sizes; do runs+=("host $frr perVni $n"); done; done
fi
if [ $vm = 1 ]; then
  for combo in "8.4 perVni" "10.3 perVni" "10.3 single"; do
    for n in $sizes; do runs+=("vm $combo $n"); done
  done
fi

command_of() { # substrate frr device vnis
  local bench="node --import tsx scripts/bench.ts --frr $2 --vxlan-device $3 --vnis $4"
  if [ "$1" = host ]; then
    echo "$bench --reps $HOST_REPS"
  else
    echo "npm run -s lab -- run --vm --memory $VM_MEMORY --timeout $(vm_timeout "$3" "$4") -- $bench --reps $VM_REPS --no-floor"
  fi
}

if [ $dry = 1 ]; then
  echo "npm run -s build"
  for r in "${runs[@]}"; do
    # shellcheck disable=SC2086
    command_of $r
  done
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "bench-matrix: run as root (namespaces, FRR, the lab VM)" >&2
  exit 2
fi
OUT=${BENCH_MATRIX_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/routerd-evpn-bench-matrix-XXXXXX")}
mkdir -p "$OUT"
echo "bench-matrix: ${#runs[@]} runs, logs and table in $OUT" >&2
npm run -s build # dist/: the daemon the bench composes, also in the VM

header='| substrate | FRR | device | VNIs | reps | first reconcile ms | kernel apply ms | zebra all VNIs ms | bgpd all VNIs ms | no-op ms | no-op FRR cmds | no-op kernel writes |'
rows=() failed=0 i=0
for r in "${runs[@]}"; do
  i=$((i + 1))
  # shellcheck disable=SC2086
  set -- $r
  log="$OUT/$i-$1-$2-$3-$4.log"
  cmd=$(command_of "$@")
  echo "bench-matrix: [$i/${#runs[@]}] $cmd" >&2
  started=$SECONDS
  rc=0
  # shellcheck disable=SC2086
  $cmd >"$log" 2>&1 || rc=$?
  echo "bench-matrix: [$i/${#runs[@]}] exit $rc after $((SECONDS - started)) s, log $log" >&2
  h=$(sed -n 's/^bench-header: //p' "$log" | tail -n 1)
  [ -n "$h" ] && header=$h
  row=$(sed -n 's/^bench-row: //p' "$log" | tail -n 1)
  if [ "$rc" != 0 ]; then
    failed=1
    [ -n "$row" ] || row="| $1 | $2 | $3 | $4 | failed (exit $rc), see $(basename "$log") |"
  fi
  rows+=("$row")
  # The table so far, so an interrupted matrix still leaves one.
  {
    echo "$header"
    echo "$header" | sed 's/[^|]*|/---|/g; s/^---|/|/'
    printf '%s\n' "${rows[@]}"
  } >"$OUT/table.md"
done
echo
cat "$OUT/table.md"
echo
echo "bench-matrix: logs in $OUT" >&2
exit $failed
