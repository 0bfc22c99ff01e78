// Step 3 of validation: value ranges and cross-resource rules. Every rule
// pushes its problem and carries on, so a user sees all of them at once.
import { addressKey, addressProblem } from './address-rules.ts';
import { type Ip, parseIp } from './cidr.ts';
import { type Push, pusher, type ValidationIssue } from './error-codes.ts';
import {
  bridgeName,
  DEFAULT_UNDERLAY_MTU,
  ifnameProblem,
  isIpv6Underlay,
  MTU_MAX,
  MTU_MIN,
  networkNodes,
  overlayMtu,
  portProblem,
  RD_RT_PATTERN,
  RESOURCE_NAME_PATTERN,
  routeReflectorNodes,
  transitNodes,
  VNI_MAX,
  VNI_MIN,
  vxlanName,
  vxlanOverhead,
} from './names.ts';
import { checkPeers, checkSessionSettings } from './rules-peers.ts';
import type { Claimed, RoutingInput } from './rules-routing.ts';
import { checkRouteTargetsMatch } from './rules-rt.ts';
import { checkSingle, claimSingleDevices } from './rules-single.ts';
import { checkAsn, checkUnderlay } from './rules-underlay.ts';
import { checkRouting } from './rules-vrf.ts';
import {
  type FabricNode,
  type FabricResource,
  type FabricSpec,
  type KnownResource,
  type NetworkResource,
  type NetworkSpec,
  resourceId,
  type VrfResource,
} from './schema.ts';

type Transit = RoutingInput['transit'];

function checkRange(
  push: Push,
  path: string,
  value: number | undefined,
  min: number,
  max: number,
  code: ValidationIssue['code'],
  what: string,
): void {
  if (value !== undefined && (value < min || value > max))
    push(path, code, `${what} ${value} is outside ${min}..${max}`);
}

function checkFabric(fabric: FabricResource, push: Push): Set<string> {
  const s = fabric.spec;
  checkFabricRanges(s, push);
  checkFabricMtu(s, push);
  const dad = s.duplicateAddressDetection;
  checkRange(push, 'spec.duplicateAddressDetection.maxMoves', dad?.maxMoves, 2, 1000, 'FIELD_VALUE', 'maxMoves');
  checkRange(push, 'spec.duplicateAddressDetection.time', dad?.time, 2, 1800, 'FIELD_VALUE', 'time (seconds)');
  if (typeof dad?.freeze === 'number')
    checkRange(push, 'spec.duplicateAddressDetection.freeze', dad.freeze, 30, 3600, 'FIELD_VALUE', 'freeze (seconds)');
  checkSessionSettings(s, push);
  if (s.external)
    push(
      'spec.external',
      'FIELD_UNSUPPORTED',
      'use spec.routeReflectors.external for route reflectors outside the fabric',
    );
  const names = checkFabricNodes(s, push);
  checkPeers(s, push);
  checkRouteReflectors(s, names, push);
  return names;
}

function checkFabricRanges(s: FabricSpec, push: Push): void {
  checkAsn(push, 'spec.asn', s.asn);
  checkRange(push, 'spec.mtu', s.mtu, MTU_MIN, MTU_MAX, 'MTU_RANGE', 'overlay MTU');
  checkRange(push, 'spec.underlayMTU', s.underlayMTU, MTU_MIN, MTU_MAX, 'MTU_RANGE', 'underlay MTU');
  checkRange(push, 'spec.udpPort', s.udpPort, 1, 65535, 'PORT_RANGE', 'UDP port');
}

// The overlay MTU plus VXLAN encapsulation must fit the underlay MTU; only
// checked when both are in range (checkFabricRanges reports the others).
function checkFabricMtu(s: FabricSpec, push: Push): void {
  const underlay = s.underlayMTU ?? DEFAULT_UNDERLAY_MTU;
  const overhead = vxlanOverhead(isIpv6Underlay(s));
  const mtuInRange = (v: number | undefined) => v === undefined || (v >= MTU_MIN && v <= MTU_MAX);
  if (s.mtu !== undefined && mtuInRange(s.mtu) && mtuInRange(s.underlayMTU) && s.mtu + overhead > underlay)
    push(
      'spec.mtu',
      'MTU_EXCEEDS_UNDERLAY',
      `overlay MTU ${s.mtu} + ${overhead} bytes of VXLAN encapsulation exceeds underlay MTU ${underlay}`,
    );
  if (s.mtu === undefined && mtuInRange(s.underlayMTU) && underlay - overhead < MTU_MIN)
    push(
      'spec.underlayMTU',
      'MTU_RANGE',
      `underlay MTU ${underlay} leaves an overlay MTU of ${underlay - overhead}, below ${MTU_MIN}`,
    );
}

// What the fabric's nodes have used so far, for the duplicate checks.
interface NodesSeen {
  names: Set<string>;
  vteps: Map<string, { node: string; text: string }>; // by addressKey
}

// spec.nodes, one by one, then the underlay they form. Returns the names.
function checkFabricNodes(s: FabricSpec, push: Push): Set<string> {
  const seen: NodesSeen = { names: new Set(), vteps: new Map() };
  for (const [i, node] of s.nodes.entries()) checkFabricNode(node, `spec.nodes[${i}]`, s.asn, seen, push);
  checkUnderlay(s, push);
  return seen.names;
}

function checkFabricNode(
  node: FabricNode,
  p: string,
  fabricAsn: number | undefined,
  seen: NodesSeen,
  push: Push,
): void {
  if (!RESOURCE_NAME_PATTERN.test(node.name))
    push(`${p}.name`, 'NAME_INVALID', `node name "${node.name}" must match ${RESOURCE_NAME_PATTERN}`);
  if (seen.names.has(node.name)) push(`${p}.name`, 'NODE_DUPLICATE', `node "${node.name}" is listed more than once`);
  seen.names.add(node.name);
  const vtep =
    node.vtepAddress === undefined
      ? noVtep(node, p, push)
      : checkVtep({ ...node, vtepAddress: node.vtepAddress }, p, seen.vteps, push);
  const badId =
    node.routerID === undefined
      ? undefined
      : addressProblem(node.routerID, 'routerID', { family: 4, identifier: true });
  if (badId) push(`${p}.routerID`, badId.code, badId.message);
  // BGP needs a 32-bit router ID, which an IPv6 VTEP address cannot supply.
  if (node.routerID === undefined && vtep?.family === 6)
    push(
      `${p}.routerID`,
      'ROUTER_ID_REQUIRED',
      `node "${node.name}" has IPv6 vtepAddress ${node.vtepAddress}; set an IPv4 routerID`,
    );
  checkAsn(push, `${p}.asn`, node.asn);
  if ((node.asn ?? fabricAsn) === undefined)
    push(`${p}.asn`, 'ASN_MISSING', `node "${node.name}" has no AS number and spec.asn is not set`);
}

// Only a spine may go without a VTEP address (it carries no VNIs); BGP then
// needs its routerID.
function noVtep(node: FabricNode, p: string, push: Push): undefined {
  if (!(node.roles ?? []).includes('spine'))
    push(
      `${p}.vtepAddress`,
      'FIELD_REQUIRED',
      `node "${node.name}" needs a vtepAddress (only a spine may leave it out)`,
    );
  else if (node.routerID === undefined)
    push(
      `${p}.routerID`,
      'ROUTER_ID_REQUIRED',
      `spine "${node.name}" has no vtepAddress to stand in for its BGP router ID; set an IPv4 routerID`,
    );
  return undefined;
}

// A usable VTEP address no other node has (in any spelling). Returns it parsed.
function checkVtep(
  node: FabricNode & { vtepAddress: string },
  p: string,
  vteps: NodesSeen['vteps'],
  push: Push,
): Ip | undefined {
  const bad = addressProblem(node.vtepAddress, 'vtepAddress');
  if (bad) {
    push(`${p}.vtepAddress`, bad.code, bad.message);
    return undefined;
  }
  const vtep = parseIp(node.vtepAddress);
  if (!vtep) return undefined; // addressProblem has accepted it, so it parses
  const other = vteps.get(addressKey(vtep));
  if (other)
    push(
      `${p}.vtepAddress`,
      'VTEP_DUPLICATE',
      `vtepAddress ${node.vtepAddress} is already used by node "${other.node}"${other.text !== node.vtepAddress ? ` (written ${other.text}: the same address)` : ''}`,
    );
  else vteps.set(addressKey(vtep), { node: node.name, text: node.vtepAddress });
  return vtep;
}

// `names` are the fabric's node names.
function checkRouteReflectors(s: FabricSpec, names: Set<string>, push: Push): void {
  const rr = s.routeReflectors;
  rr?.nodes?.forEach((n, i) => {
    if (!names.has(n))
      push(`spec.routeReflectors.nodes[${i}]`, 'NODE_UNKNOWN', `route reflector "${n}" is not in spec.nodes`);
  });
  rr?.external?.forEach((a, i) => {
    const badRR = addressProblem(a, 'external route reflector');
    if (badRR) push(`spec.routeReflectors.external[${i}]`, badRR.code, badRR.message);
  });
  if (
    rr?.clusterID !== undefined &&
    !/^\d+$/.test(rr.clusterID) &&
    addressProblem(rr.clusterID, '', { family: 4, identifier: true })
  )
    push(
      'spec.routeReflectors.clusterID',
      'FIELD_VALUE',
      `clusterID "${rr.clusterID}" must be an IPv4 address (not 0.0.0.0, broadcast or multicast) or a number`,
    );
  const rrNodes = routeReflectorNodes(s);
  if (rrNodes.size > 0 && s.nodes.every((n) => rrNodes.has(n.name)))
    push('spec.routeReflectors.nodes', 'RR_NO_CLIENTS', 'every node is a route reflector, so no node would carry VNIs');
}

// `nodes` is undefined when no valid EVPNFabric lists them: node references
// are then not checked (a broken fabric must not make every port "unknown").
function checkNetwork(
  net: NetworkResource,
  nodes: Set<string> | undefined,
  transit: Transit,
  fabric: FabricResource | undefined,
  push: Push,
): void {
  const s = net.spec;
  checkRange(push, 'spec.vni', s.vni, VNI_MIN, VNI_MAX, 'VNI_RANGE', 'VNI');
  checkRange(push, 'spec.mtu', s.mtu, MTU_MIN, MTU_MAX, 'MTU_RANGE', 'MTU');
  if (s.mtu !== undefined && fabric && s.mtu >= MTU_MIN && s.mtu <= MTU_MAX && s.mtu > overlayMtu(fabric.spec)) {
    push(
      'spec.mtu',
      'MTU_EXCEEDS_UNDERLAY',
      `MTU ${s.mtu} exceeds the fabric's overlay MTU ${overlayMtu(fabric.spec)} (underlay MTU minus VXLAN encapsulation)`,
    );
  }
  const bridgeProblem = ifnameProblem(bridgeName(net));
  if (bridgeProblem)
    push(
      s.bridge !== undefined ? 'spec.bridge' : 'metadata.name',
      bridgeProblem.code,
      `${bridgeProblem.message}${s.bridge === undefined ? ' (the bridge is named after the resource; set spec.bridge)' : ''}`,
    );
  checkReplication(s, push);
  checkL2RdRt(s, push);
  if (fabric) checkRouteTargetsMatch(s.routeTargets, s.vni, fabric.spec, networkNodes(net, fabric.spec), push);
  if (nodes) checkNetworkNodes(s, nodes, transit, push);
}

// Only EVPN replication (type-3 routes) is implemented.
function checkReplication(s: NetworkSpec, push: Push): void {
  for (const field of ['flood', 'group'] as const) {
    if (s[field] !== undefined)
      push(`spec.${field}`, 'FIELD_UNSUPPORTED', `${field} is not implemented yet (replication is evpn only)`);
  }
  if (s.replication !== undefined && s.replication !== 'evpn')
    push('spec.replication', 'FIELD_UNSUPPORTED', `replication "${s.replication}" is not implemented yet; use evpn`);
}

function checkL2RdRt(s: NetworkSpec, push: Push): void {
  if (s.rd !== undefined && !RD_RT_PATTERN.test(s.rd))
    push('spec.rd', 'FIELD_VALUE', `rd "${s.rd}" must be ASN:NN or A.B.C.D:NN`);
  for (const dir of ['import', 'export'] as const) {
    s.routeTargets?.[dir]?.forEach((rt, i) => {
      if (!RD_RT_PATTERN.test(rt))
        push(
          `spec.routeTargets.${dir}[${i}]`,
          'FIELD_VALUE',
          `route target "${rt}" must be ASN:NN or A.B.C.D:NN (no wildcard on an L2VNI)`,
        );
    });
  }
}

// spec.nodes and each port's node are fabric nodes (`nodes`) that carry VNIs.
function checkNetworkNodes(s: NetworkSpec, nodes: Set<string>, transit: Transit, push: Push): void {
  s.nodes?.forEach((n, i) => {
    if (!nodes.has(n)) push(`spec.nodes[${i}]`, 'NODE_UNKNOWN', `node "${n}" is not in EVPNFabric spec.nodes`);
  });
  s.ports?.forEach((port, i) => {
    const role = transit.get(port.node);
    if (role) push(`spec.ports[${i}].node`, 'FIELD_VALUE', `node "${port.node}" is a ${role} and carries no VNIs`);
    else if (!nodes.has(port.node))
      push(`spec.ports[${i}].node`, 'NODE_UNKNOWN', `node "${port.node}" is not in EVPNFabric spec.nodes`);
    else if (s.nodes && !s.nodes.includes(port.node))
      push(`spec.ports[${i}].node`, 'NODE_UNKNOWN', `node "${port.node}" is not in this network's spec.nodes`);
  });
}

// After every device name is handed out: a port must be enslavable and not
// one of the daemon's own devices.
function checkPortNames(net: NetworkResource, devices: ReadonlyMap<string, string>, push: Push): void {
  net.spec.ports?.forEach((port, i) => {
    const p = portProblem(port.interface, devices, 'port interface');
    if (p) push(`spec.ports[${i}].interface`, p.code, p.message);
  });
}

// One network's VNI, bridge, VXLAN device and ports, each claimed once across
// the desired set.
function claimL2(net: NetworkResource, claimed: Claimed, push: Push): void {
  const { vnis, devices, ports } = claimed;
  const other = vnis.get(net.spec.vni);
  if (other) push('spec.vni', 'VNI_DUPLICATE', `VNI ${net.spec.vni} is already used by ${other}`);
  else vnis.set(net.spec.vni, resourceId(net));
  const bridge = bridgeName(net);
  const bridgeField = net.spec.bridge !== undefined ? 'spec.bridge' : 'metadata.name';
  const vxlan = vxlanName(net.spec.vni);
  // Bridges and VXLAN devices share one namespace of interface names.
  if (bridge === vxlan)
    push(bridgeField, 'BRIDGE_DUPLICATE', `bridge "${bridge}" has the name of this network's own VXLAN device`);
  const owner = devices.get(bridge);
  if (owner) push(bridgeField, 'BRIDGE_DUPLICATE', `device name "${bridge}" is already used by ${owner}`);
  else devices.set(bridge, `EVPNNetwork/${net.metadata.name} (bridge)`);
  const vxOwner = devices.get(vxlan);
  if (vxOwner && !vxOwner.endsWith('(VXLAN device)') && bridge !== vxlan)
    push('spec.vni', 'BRIDGE_DUPLICATE', `VXLAN device name "${vxlan}" is already used by ${vxOwner}`);
  else if (!vxOwner) devices.set(vxlan, `EVPNNetwork/${net.metadata.name} (VXLAN device)`);
  net.spec.ports?.forEach((port, i) => {
    const key = `${port.node}/${port.interface}`;
    const prev = ports.get(key);
    if (prev)
      push(
        `spec.ports[${i}]`,
        'PORT_DUPLICATE',
        `interface ${port.interface} on node ${port.node} is already a port of ${prev}`,
      );
    else ports.set(key, `EVPNNetwork/${net.metadata.name}`);
  });
}

// One EVPNFabric: a second is refused, and without one the first network and
// the first VRF report it (unless the fabric is there but failed its schema).
function checkFabricCount(
  fabrics: FabricResource[],
  others: (NetworkResource | VrfResource | undefined)[],
  failedKinds: ReadonlySet<string>,
  issues: ValidationIssue[],
): void {
  for (const f of fabrics.slice(1))
    pusher(issues, resourceId(f))(
      'metadata.name',
      'FABRIC_MULTIPLE',
      `only one EVPNFabric is allowed; "${fabrics[0].metadata.name}" is already given`,
    );
  for (const first of fabrics.length === 0 && !failedKinds.has('EVPNFabric') ? others : []) {
    if (first)
      pusher(issues, resourceId(first))(
        'spec',
        'FABRIC_MISSING',
        `${first.kind} resources need an EVPNFabric resource in the same desired set`,
      );
  }
}

export function checkRules(
  resources: KnownResource[],
  failedKinds: ReadonlySet<string> = new Set(),
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const r of resources) {
    const push = pusher(issues, resourceId(r));
    if (!RESOURCE_NAME_PATTERN.test(r.metadata.name))
      push('metadata.name', 'NAME_INVALID', `name "${r.metadata.name}" must match ${RESOURCE_NAME_PATTERN}`);
  }
  const fabrics = resources.filter((r): r is FabricResource => r.kind === 'EVPNFabric');
  const networks = resources.filter((r): r is NetworkResource => r.kind === 'EVPNNetwork');
  const vrfs = resources.filter((r): r is VrfResource => r.kind === 'EVPNVRF');
  checkFabricCount(fabrics, [networks[0], vrfs[0]], failedKinds, issues);
  const fabric = fabrics[0];
  const nodes = fabric ? checkFabric(fabric, pusher(issues, resourceId(fabric))) : undefined;
  const transit: Transit = fabric ? transitNodes(fabric.spec) : new Map();
  const claimed: Claimed = { vnis: new Map(), devices: new Map(), ports: new Map(), transfers: new Map() };
  claimSingleDevices(fabric, claimed);
  for (const net of networks) {
    const push = pusher(issues, resourceId(net));
    checkNetwork(net, nodes, transit, fabric, push);
    claimL2(net, claimed, push);
  }
  checkRouting({ fabric, nodes: nodes ?? new Set(), transit, vrfs, networks, failedKinds }, claimed, issues);
  checkSingle(fabric, networks, vrfs, issues);
  for (const net of networks) checkPortNames(net, claimed.devices, pusher(issues, resourceId(net)));
  return issues;
}
