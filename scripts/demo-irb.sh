#!/usr/bin/env bash
# The symmetric-IRB demo, run where VRF devices work (scripts/demo.sh starts
# it through `npm run lab -- run`): brings up lab/irb-fabric.clab.yml, waits
# for EVPN, shows the daemon's view of a tenant VRF, proves routed pings
# across leaves, tenant isolation and the exit to the outside, tears down.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TOPO=lab/irb-fabric.clab.yml
LAB=irb-fabric
CONVERGE_TIMEOUT=${CONVERGE_TIMEOUT:-300}
# Under qemu TCG (LAB_SUBSTRATE=vm) a describe, which reads FRR and the kernel, is slow.
EVPNCTL_TIMEOUT=${EVPNCTL_TIMEOUT:-180}

source scripts/demo-lib.sh


step "bringing up $TOPO"
lab up "$TOPO"

# Converged = the L3VNI is up on every leaf and border1's default route has
# reached both leaves' tenant-a table.
l3vni_state() {
  vtysh -N "clab-$LAB-$1" -c 'show vrf vni json' 2>/dev/null |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let j={};try{j=JSON.parse(s)}catch{}
      const v=(j.vrfs||[]).find(x=>x.vrf==="tenant-a");console.log(v?v.state:"none")})'
}
has_default() { ip -n "clab-$LAB-$1" route show vrf tenant-a default 2>/dev/null | grep -q via; }

step "waiting for EVPN convergence (up to ${CONVERGE_TIMEOUT}s)"
deadline=$((SECONDS + CONVERGE_TIMEOUT))
while :; do
  state=""
  converged=1
  for node in leaf1 leaf2 border1; do
    s=$(l3vni_state "$node" || true)
    state="$state $node:L3VNI=$s"
    [ "$s" = "Up" ] || converged=0
  done
  for leaf in leaf1 leaf2; do
    if has_default "$leaf"; then state="$state $leaf:default"; else converged=0; fi
  done
  if [ "$converged" = 1 ]; then echo "converged:$state"; break; fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "not converged after ${CONVERGE_TIMEOUT}s:$state" >&2
    vtysh -N "clab-$LAB-leaf1" -c 'show bgp l2vpn evpn summary' >&2 || true
    exit 1
  fi
  sleep 2
done

step "evpnctl describe EVPNVRF/tenant-a (on leaf1)"
lab exec "$TOPO" leaf1 -- evpnctl --timeout "$EVPNCTL_TIMEOUT" describe EVPNVRF/tenant-a

step "evpnctl describe EVPNNetwork/web (on leaf1)"
lab exec "$TOPO" leaf1 -- evpnctl --timeout "$EVPNCTL_TIMEOUT" describe EVPNNetwork/web

must() { local what=$1; shift; if "$@"; then echo "OK: $what"; else echo "FAIL: $what" >&2; exit 1; fi; }
mustnt() { local what=$1; shift; if "$@"; then echo "FAIL: $what" >&2; exit 1; else echo "OK: $what"; fi; }
ping_from() { lab exec "$TOPO" "$1" -- ping -c "${3:-3}" -W 2 -i 0.3 "$2"; }

step "routed: web1 (web, leaf1) -> app1 (app, leaf2) 10.10.2.21 across the L3VNI"
must "web1 reaches app1 in another subnet on another leaf" ping_from web1 10.10.2.21

step "bridged: web1 (leaf1) -> web2 (leaf2) 10.10.1.12 in the same subnet"
must "web1 reaches web2" ping_from web1 10.10.1.12

step "isolation: b1 (tenant-b, 10.10.1.31) -> app1 (tenant-a) must fail"
mustnt "tenant-b cannot reach tenant-a" ping_from b1 10.10.2.21 2
must "b1 reaches its own anycast gateway 10.10.1.1" ping_from b1 10.10.1.1 2

step "exit: app1 -> 198.18.0.1 (behind border1, via the type-5 default route)"
must "app1 reaches the outside through border1" ping_from app1 198.18.0.1
ip -n "clab-$LAB-leaf2" route show vrf tenant-a default

step "demo passed"
