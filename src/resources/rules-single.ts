// Step 3 for the single VXLAN device (EVPNFabric spec.vxlanDevice: single, or
// a node's own vxlanDevice): VLAN ranges, one VLAN per network and L3VNI on
// each node that uses the single device, and the fixed device names
// (br-evpn, vxlan-evpn, the SVIs vlan<V>) kept free.
import { type Push, pusher, type ValidationIssue } from './error-codes.ts';
import {
  networkNodes,
  networkVlan,
  SINGLE_BRIDGE,
  SINGLE_VXLAN_DEVICE,
  singleNodes,
  sviName,
  transitNodes,
  VLAN_MAX,
  VLAN_MIN,
  VNI_MAX,
  VNI_MIN,
  vrfNodes,
  vrfVlan,
} from './names.ts';
import { type Claimed, list } from './rules-routing.ts';
import { type FabricResource, type NetworkResource, resourceId, type VrfResource } from './schema.ts';

// The bridge and VXLAN device names are taken as soon as one node uses them.
export function claimSingleDevices(fabric: FabricResource | undefined, claimed: Claimed): void {
  if (!fabric || singleNodes(fabric.spec).length === 0) return;
  const id = resourceId(fabric);
  claimed.devices.set(SINGLE_BRIDGE, `${id} (single VXLAN device's bridge)`);
  claimed.devices.set(SINGLE_VXLAN_DEVICE, `${id} (single VXLAN device)`);
}

// One VLAN user on a node: a network, or a VRF's L3VNI.
interface VlanUser {
  id: string;
  vlan: number;
  path: string; // spec.vlan when given, else the VNI field it is derived from
  how: string; // "set as spec.vlan" or "derived from VNI N"
  svi: boolean; // routed network or L3VNI: a vlan<V> device on the node
  nodes: string[];
  push: Push;
}

function networkUser(net: NetworkResource, nodes: string[], push: Push): VlanUser | undefined {
  const s = net.spec;
  if (s.vni < VNI_MIN || s.vni > VNI_MAX) return undefined;
  const given = s.vlan !== undefined;
  return {
    id: resourceId(net),
    vlan: networkVlan(net),
    path: given ? 'spec.vlan' : 'spec.vni',
    how: given ? 'set as spec.vlan' : `derived from VNI ${s.vni}`,
    svi: s.vrf !== undefined,
    nodes,
    push,
  };
}

function vrfUser(vrf: VrfResource, nodes: string[], push: Push): VlanUser | undefined {
  const l3 = vrf.spec.l3vni;
  const vlan = vrfVlan(vrf);
  if (l3 === undefined || vlan === undefined || l3 < VNI_MIN || l3 > VNI_MAX) return undefined;
  const given = vrf.spec.vlan !== undefined;
  return {
    id: resourceId(vrf),
    vlan,
    path: given ? 'spec.vlan' : 'spec.l3vni',
    how: given ? 'set as spec.vlan' : `derived from L3VNI ${l3}`,
    svi: true,
    nodes,
    push,
  };
}

function checkVlanRange(push: Push, vlan: number | undefined): void {
  if (vlan !== undefined && (vlan < VLAN_MIN || vlan > VLAN_MAX))
    push('spec.vlan', 'VLAN_RANGE', `VLAN ${vlan} is outside ${VLAN_MIN}..${VLAN_MAX}`);
}

// Two users that share a VLAN on at least one single-device node: reported
// once per pair, on the later one, naming both and every node where they meet.
function checkClashes(users: VlanUser[], single: Set<string>): void {
  for (const [i, user] of users.entries()) {
    for (const other of users.slice(0, i)) {
      if (other.vlan !== user.vlan) continue;
      const where = user.nodes.filter((n) => single.has(n) && other.nodes.includes(n));
      if (where.length === 0) continue;
      user.push(
        user.path,
        'VLAN_DUPLICATE',
        `VLAN ${user.vlan} (${user.how}) is already the VLAN of ${other.id} (${other.how}) on node(s) ${list(where)}, which use a single VXLAN device where each VNI needs its own VLAN; set spec.vlan on one of them to a VLAN (${VLAN_MIN}..${VLAN_MAX}) nothing else on those nodes uses`,
      );
    }
  }
}

// An SVI vlan<V> is a device of its own on the node: no port and no VRF may
// carry its name there.
function checkSviNames(
  users: VlanUser[],
  single: Set<string>,
  networks: NetworkResource[],
  vrfs: VrfResource[],
  issues: ValidationIssue[],
): void {
  const svis = new Map<string, VlanUser[]>(); // name -> users with that SVI
  for (const u of users.filter((x) => x.svi && x.vlan >= VLAN_MIN && x.vlan <= VLAN_MAX)) {
    svis.set(sviName(u.vlan), [...(svis.get(sviName(u.vlan)) ?? []), u]);
  }
  const onSingle = (u: VlanUser, node: string) => single.has(node) && u.nodes.includes(node);
  for (const net of networks) {
    net.spec.ports?.forEach((port, i) => {
      const owner = svis.get(port.interface)?.find((u) => onSingle(u, port.node));
      if (owner)
        pusher(issues, resourceId(net))(
          `spec.ports[${i}].interface`,
          'PORT_INVALID',
          `port interface "${port.interface}" is the SVI of VLAN ${owner.vlan} (${owner.id}) that the daemon creates on node ${port.node}, which uses a single VXLAN device; name the interface of a host, VM or uplink instead`,
        );
    });
  }
  for (const vrf of vrfs) {
    const owner = svis
      .get(vrf.metadata.name)
      ?.find((u) => u.id !== resourceId(vrf) && u.nodes.some((n) => single.has(n)));
    if (owner)
      pusher(issues, resourceId(vrf))(
        'metadata.name',
        'DEVICE_NAME_DUPLICATE',
        `interface name "${vrf.metadata.name}" of the VRF device is the SVI of VLAN ${owner.vlan} (${owner.id}) on a node that uses a single VXLAN device; rename the EVPNVRF or set spec.vlan of ${owner.id}`,
      );
  }
}

export function checkSingle(
  fabric: FabricResource | undefined,
  networks: NetworkResource[],
  vrfs: VrfResource[],
  issues: ValidationIssue[],
): void {
  for (const net of networks) checkVlanRange(pusher(issues, resourceId(net)), net.spec.vlan);
  for (const vrf of vrfs) checkVlanRange(pusher(issues, resourceId(vrf)), vrf.spec.vlan);
  if (!fabric) return;
  const single = new Set(singleNodes(fabric.spec));
  for (const n of transitNodes(fabric.spec).keys()) single.delete(n);
  if (single.size === 0) return;
  const symmetric = (fabric.spec.irb ?? 'symmetric') === 'symmetric';
  const users = [
    ...networks.map((n) => networkUser(n, networkNodes(n, fabric.spec), pusher(issues, resourceId(n)))),
    ...(symmetric ? vrfs : []).map((v) => vrfUser(v, vrfNodes(v, fabric.spec), pusher(issues, resourceId(v)))),
  ].filter((u): u is VlanUser => u !== undefined);
  checkClashes(users, single);
  checkSviNames(users, single, networks, vrfs, issues);
}
