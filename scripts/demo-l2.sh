#!/usr/bin/env bash
# End-to-end demo of the shipped L2 lab: 3 leaves + route reflector, two L2VNIs.
# Brings the lab up, waits for EVPN to converge, shows the daemon's view, proves
# blue reaches blue across the fabric and blue cannot reach green, tears down.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TOPO=lab/l2-fabric.clab.yml
LAB=l2-fabric
CONVERGE_TIMEOUT=${CONVERGE_TIMEOUT:-120}

source scripts/demo-lib.sh

bash scripts/setup.sh

step "bringing up $TOPO"
lab up "$TOPO"

# Converged = every leaf sees both other leaves as remote VTEPs in VNI 100 and 200.
remote_vteps() {
  vtysh -N "clab-$LAB-$1" -c 'show evpn vni json' 2>/dev/null |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let j={};try{j=JSON.parse(s)}catch{}
      const n=(v)=>{const x=j[v]?.numRemoteVteps;return Array.isArray(x)?x.length:Number(x)||0};
      console.log(`${n("100")} ${n("200")}`)})'
}

step "waiting for EVPN convergence (up to ${CONVERGE_TIMEOUT}s)"
deadline=$((SECONDS + CONVERGE_TIMEOUT))
while :; do
  state=""
  converged=1
  for leaf in leaf1 leaf2 leaf3; do
    counts=$(remote_vteps "$leaf" || true)
    state="$state $leaf:[${counts:-none}]"
    [ "$counts" = "2 2" ] || converged=0
  done
  if [ "$converged" = 1 ]; then
    echo "converged:$state (remote VTEPs for VNI 100, 200)"
    break
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "not converged after ${CONVERGE_TIMEOUT}s:$state (want [2 2] everywhere)" >&2
    vtysh -N "clab-$LAB-leaf1" -c 'show bgp l2vpn evpn summary' >&2 || true
    exit 1
  fi
  sleep 2
done

step "evpnctl describe EVPNFabric/lab (on leaf1)"
lab exec "$TOPO" leaf1 -- evpnctl describe EVPNFabric/lab

step "evpnctl describe EVPNNetwork/blue (on leaf1)"
lab exec "$TOPO" leaf1 -- evpnctl describe EVPNNetwork/blue

step "blue h11 (leaf1) -> blue h31 (leaf3) 192.168.100.31: must succeed"
lab exec "$TOPO" h11 -- ping -c 3 -W 2 192.168.100.31
echo "OK: blue reaches blue across the fabric"

step "blue h11 (leaf1) -> green h32 (leaf3) 192.168.100.32: must fail"
if lab exec "$TOPO" h11 -- ping -c 2 -W 1 192.168.100.32; then
  echo "FAIL: blue reached green" >&2
  exit 1
fi
echo "OK: blue cannot reach green (different VNI)"

step "blue h11 (leaf1) -> green h12 (same leaf) 192.168.100.12: must fail"
if lab exec "$TOPO" h11 -- ping -c 2 -W 1 192.168.100.12; then
  echo "FAIL: blue reached green on the same leaf" >&2
  exit 1
fi
echo "OK: VNIs are separate on the same leaf too"

step "demo passed"
