#!/usr/bin/env bash
# End-to-end demo of the shipped Clos lab: 2 spines, 4 leaves, eBGP with an AS
# per leaf, BGP unnumbered on every link, VTEP addresses on the loopbacks, BFD.
# Brings the lab up, waits until every leaf is Ready, shows a leaf's sessions
# and the two paths to a remote VTEP, proves hosts reach each other across
# leaves, takes spine1's links down (traffic keeps flowing over spine2 and
# describe shows BFD down), brings them back, tears down. Runs on this host:
# no VRF devices needed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TOPO=lab/clos-fabric.clab.yml
LAB=clos-fabric
CONVERGE_TIMEOUT=${CONVERGE_TIMEOUT:-120}

source scripts/demo-lib.sh

bash scripts/setup.sh

step "bringing up $TOPO"
lab up "$TOPO"

phase() { lab exec "$TOPO" "$1" -- evpnctl describe EVPNFabric/clos -o json | node -e '
  let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{
  console.log(JSON.parse(s).resource.status.phase)}catch{console.log("unknown")}})'; }

step "waiting until every leaf is Ready (up to ${CONVERGE_TIMEOUT}s)"
deadline=$((SECONDS + CONVERGE_TIMEOUT))
while :; do
  state="" ready=1
  for leaf in leaf1 leaf2 leaf3 leaf4; do
    p=$(phase "$leaf" || echo unknown)
    state="$state $leaf:$p"
    [ "$p" = Ready ] || ready=0
  done
  if [ "$ready" = 1 ]; then echo "ready:$state"; break; fi
  if [ "$SECONDS" -ge "$deadline" ]; then echo "not ready after ${CONVERGE_TIMEOUT}s:$state" >&2; exit 1; fi
  sleep 2
done

step "evpnctl describe EVPNFabric/clos (on leaf1): a session per uplink, BFD up"
lab exec "$TOPO" leaf1 -- evpnctl describe EVPNFabric/clos

step "leaf1's route to leaf4's VTEP 10.1.1.4: one path over each spine"
lab exec "$TOPO" leaf1 -- ip route show 10.1.1.4/32

step "blue h11 (leaf1) -> blue h41 (leaf4) 192.168.200.41: must succeed"
lab exec "$TOPO" h11 -- ping -c 3 -W 2 192.168.200.41
echo "OK: blue reaches blue across the Clos fabric"

step "blue h11 (leaf1) -> green h22 (leaf2) 192.168.200.22: must fail"
if lab exec "$TOPO" h11 -- ping -c 2 -W 1 192.168.200.22; then
  echo "FAIL: blue reached green" >&2
  exit 1
fi
echo "OK: blue cannot reach green (different VNI)"

step "taking spine1's links down"
for dev in eth1 eth2 eth3 eth4; do lab exec "$TOPO" spine1 -- ip link set "$dev" down; done
sleep 3
lab exec "$TOPO" leaf1 -- ip route show 10.1.1.4/32
lab exec "$TOPO" h11 -- ping -c 3 -W 2 192.168.200.41
echo "OK: traffic flows over spine2 alone"
lab exec "$TOPO" leaf1 -- evpnctl describe EVPNFabric/clos | grep -E 'BFDUp|SessionsEstablished|^  eth'

step "bringing spine1's links back"
for dev in eth1 eth2 eth3 eth4; do lab exec "$TOPO" spine1 -- ip link set "$dev" up; done

step "demo passed"
