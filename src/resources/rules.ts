// Step 3 of validation: value ranges and cross-resource rules. Every rule
// pushes its problem and carries on, so a user sees all of them at once.
import { addressKey, addressProblem } from './address-rules.ts';
import { parseIp } from './cidr.ts';
import { pusher, type Push, type ValidationIssue } from './error-codes.ts';
import {
  bridgeName, ifnameProblem, isIpv6Underlay, portProblem, MTU_MAX, MTU_MIN, overlayMtu, RD_RT_PATTERN, RESOURCE_NAME_PATTERN,
  VNI_MAX, VNI_MIN, vxlanName, vxlanOverhead, DEFAULT_UNDERLAY_MTU, routeReflectorNodes,
} from './names.ts';
import { checkRouting, type Claimed } from './rules-vrf.ts';
import { resourceId, type FabricResource, type KnownResource, type NetworkResource, type VrfResource } from './schema.ts';

function checkRange(push: Push, path: string, value: number | undefined, min: number, max: number, code: ValidationIssue['code'], what: string): void {
  if (value !== undefined && (value < min || value > max)) push(path, code, `${what} ${value} is outside ${min}..${max}`);
}

function checkFabric(fabric: FabricResource, push: Push): Set<string> {
  const s = fabric.spec;
  checkRange(push, 'spec.asn', s.asn, 1, 4_294_967_295, 'ASN_RANGE', 'AS number');
  checkRange(push, 'spec.mtu', s.mtu, MTU_MIN, MTU_MAX, 'MTU_RANGE', 'overlay MTU');
  checkRange(push, 'spec.underlayMTU', s.underlayMTU, MTU_MIN, MTU_MAX, 'MTU_RANGE', 'underlay MTU');
  checkRange(push, 'spec.udpPort', s.udpPort, 1, 65535, 'PORT_RANGE', 'UDP port');
  const underlay = s.underlayMTU ?? DEFAULT_UNDERLAY_MTU;
  const overhead = vxlanOverhead(isIpv6Underlay(s));
  const mtuInRange = (v: number | undefined) => v === undefined || (v >= MTU_MIN && v <= MTU_MAX);
  if (s.mtu !== undefined && mtuInRange(s.mtu) && mtuInRange(s.underlayMTU) && s.mtu + overhead > underlay) push('spec.mtu', 'MTU_EXCEEDS_UNDERLAY', `overlay MTU ${s.mtu} + ${overhead} bytes of VXLAN encapsulation exceeds underlay MTU ${underlay}`);
  if (s.mtu === undefined && mtuInRange(s.underlayMTU) && underlay - overhead < MTU_MIN) push('spec.underlayMTU', 'MTU_RANGE', `underlay MTU ${underlay} leaves an overlay MTU of ${underlay - overhead}, below ${MTU_MIN}`);
  const dad = s.duplicateAddressDetection;
  checkRange(push, 'spec.duplicateAddressDetection.maxMoves', dad?.maxMoves, 2, 1000, 'FIELD_VALUE', 'maxMoves');
  checkRange(push, 'spec.duplicateAddressDetection.time', dad?.time, 2, 1800, 'FIELD_VALUE', 'time (seconds)');
  if (typeof dad?.freeze === 'number') checkRange(push, 'spec.duplicateAddressDetection.freeze', dad.freeze, 30, 3600, 'FIELD_VALUE', 'freeze (seconds)');
  if (s.bfd) push('spec.bfd', 'FIELD_UNSUPPORTED', 'bfd: true is not implemented yet; remove it or set false');
  if (s.passwordFrom) push('spec.passwordFrom', 'FIELD_UNSUPPORTED', 'BGP session passwords are not implemented yet');
  if (s.external) push('spec.external', 'FIELD_UNSUPPORTED', 'use spec.routeReflectors.external for route reflectors outside the fabric');
  const names = new Set<string>();
  const vteps = new Map<string, { node: string; text: string }>(); // by addressKey
  const asns = new Set<number>();
  s.nodes.forEach((node, i) => {
    const p = `spec.nodes[${i}]`;
    if (!RESOURCE_NAME_PATTERN.test(node.name)) push(`${p}.name`, 'NAME_INVALID', `node name "${node.name}" must match ${RESOURCE_NAME_PATTERN}`);
    if (names.has(node.name)) push(`${p}.name`, 'NODE_DUPLICATE', `node "${node.name}" is listed more than once`);
    names.add(node.name);
    const bad = addressProblem(node.vtepAddress, 'vtepAddress');
    const vtep = bad ? undefined : parseIp(node.vtepAddress);
    const other = vtep && vteps.get(addressKey(vtep));
    if (bad) push(`${p}.vtepAddress`, bad.code, bad.message);
    else if (other) push(`${p}.vtepAddress`, 'VTEP_DUPLICATE', `vtepAddress ${node.vtepAddress} is already used by node "${other.node}"${other.text !== node.vtepAddress ? ` (written ${other.text}: the same address)` : ''}`);
    else vteps.set(addressKey(vtep!), { node: node.name, text: node.vtepAddress });
    const badId = node.routerID === undefined ? undefined : addressProblem(node.routerID, 'routerID', { family: 4, identifier: true });
    if (badId) push(`${p}.routerID`, badId.code, badId.message);
    if (node.routerID === undefined && vtep?.family === 6) push(`${p}.routerID`, 'ROUTER_ID_REQUIRED', `node "${node.name}" has IPv6 vtepAddress ${node.vtepAddress}; set an IPv4 routerID`);
    checkRange(push, `${p}.asn`, node.asn, 1, 4_294_967_295, 'ASN_RANGE', 'AS number');
    const asn = node.asn ?? s.asn;
    if (asn === undefined) push(`${p}.asn`, 'ASN_MISSING', `node "${node.name}" has no AS number and spec.asn is not set`);
    else asns.add(asn);
    if (node.peers) push(`${p}.peers`, 'FIELD_UNSUPPORTED', 'explicit peers are not implemented yet');
    if (node.uplinks) push(`${p}.uplinks`, 'FIELD_UNSUPPORTED', 'BGP unnumbered uplinks are not implemented yet');
  });
  if (asns.size > 1) push('spec.nodes', 'ASN_MIXED', `nodes use different AS numbers (${[...asns].sort((a, b) => a - b).join(', ')}); only an iBGP EVPN overlay is rendered by this version`);
  const rr = s.routeReflectors;
  rr?.nodes?.forEach((n, i) => {
    if (!names.has(n)) push(`spec.routeReflectors.nodes[${i}]`, 'NODE_UNKNOWN', `route reflector "${n}" is not in spec.nodes`);
  });
  rr?.external?.forEach((a, i) => {
    const badRR = addressProblem(a, 'external route reflector');
    if (badRR) push(`spec.routeReflectors.external[${i}]`, badRR.code, badRR.message);
  });
  if (rr?.clusterID !== undefined && !/^\d+$/.test(rr.clusterID) && addressProblem(rr.clusterID, '', { family: 4, identifier: true })) push('spec.routeReflectors.clusterID', 'FIELD_VALUE', `clusterID "${rr.clusterID}" must be an IPv4 address (not 0.0.0.0, broadcast or multicast) or a number`);
  const rrNodes = routeReflectorNodes(s);
  if (rrNodes.size > 0 && s.nodes.every((n) => rrNodes.has(n.name))) push('spec.routeReflectors.nodes', 'RR_NO_CLIENTS', 'every node is a route reflector, so no node would carry VNIs');
  return names;
}

// `nodes` is undefined when no valid EVPNFabric lists them: node references
// are then not checked (a broken fabric must not make every port "unknown").
function checkNetwork(net: NetworkResource, nodes: Set<string> | undefined, rrNodes: Set<string>, fabric: FabricResource | undefined, push: Push): void {
  const s = net.spec;
  checkRange(push, 'spec.vni', s.vni, VNI_MIN, VNI_MAX, 'VNI_RANGE', 'VNI');
  checkRange(push, 'spec.mtu', s.mtu, MTU_MIN, MTU_MAX, 'MTU_RANGE', 'MTU');
  if (s.mtu !== undefined && fabric && s.mtu >= MTU_MIN && s.mtu <= MTU_MAX && s.mtu > overlayMtu(fabric.spec)) {
    push('spec.mtu', 'MTU_EXCEEDS_UNDERLAY', `MTU ${s.mtu} exceeds the fabric's overlay MTU ${overlayMtu(fabric.spec)} (underlay MTU minus VXLAN encapsulation)`);
  }
  const bridgeProblem = ifnameProblem(bridgeName(net));
  if (bridgeProblem) push(s.bridge !== undefined ? 'spec.bridge' : 'metadata.name', bridgeProblem.code, `${bridgeProblem.message}${s.bridge === undefined ? ' (the bridge is named after the resource; set spec.bridge)' : ''}`);
  for (const field of ['flood', 'group'] as const) {
    if (s[field] !== undefined) push(`spec.${field}`, 'FIELD_UNSUPPORTED', `${field} is not implemented yet (replication is evpn only)`);
  }
  if (s.replication !== undefined && s.replication !== 'evpn') push('spec.replication', 'FIELD_UNSUPPORTED', `replication "${s.replication}" is not implemented yet; use evpn`);
  if (s.rd !== undefined && !RD_RT_PATTERN.test(s.rd)) push('spec.rd', 'FIELD_VALUE', `rd "${s.rd}" must be ASN:NN or A.B.C.D:NN`);
  for (const dir of ['import', 'export'] as const) {
    s.routeTargets?.[dir]?.forEach((rt, i) => {
      if (!RD_RT_PATTERN.test(rt)) push(`spec.routeTargets.${dir}[${i}]`, 'FIELD_VALUE', `route target "${rt}" must be ASN:NN or A.B.C.D:NN (no wildcard on an L2VNI)`);
    });
  }
  if (!nodes) return;
  s.nodes?.forEach((n, i) => {
    if (!nodes.has(n)) push(`spec.nodes[${i}]`, 'NODE_UNKNOWN', `node "${n}" is not in EVPNFabric spec.nodes`);
  });
  s.ports?.forEach((port, i) => {
    if (rrNodes.has(port.node)) push(`spec.ports[${i}].node`, 'FIELD_VALUE', `node "${port.node}" is a route reflector and carries no VNIs`);
    else if (!nodes.has(port.node)) push(`spec.ports[${i}].node`, 'NODE_UNKNOWN', `node "${port.node}" is not in EVPNFabric spec.nodes`);
    else if (s.nodes && !s.nodes.includes(port.node)) push(`spec.ports[${i}].node`, 'NODE_UNKNOWN', `node "${port.node}" is not in this network's spec.nodes`);
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

export function checkRules(resources: KnownResource[], failedKinds: ReadonlySet<string> = new Set()): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const r of resources) {
    const push = pusher(issues, resourceId(r));
    if (!RESOURCE_NAME_PATTERN.test(r.metadata.name)) push('metadata.name', 'NAME_INVALID', `name "${r.metadata.name}" must match ${RESOURCE_NAME_PATTERN}`);
  }
  const fabrics = resources.filter((r): r is FabricResource => r.kind === 'EVPNFabric');
  const networks = resources.filter((r): r is NetworkResource => r.kind === 'EVPNNetwork');
  const vrfs = resources.filter((r): r is VrfResource => r.kind === 'EVPNVRF');
  if (fabrics.length > 1) for (const f of fabrics.slice(1)) pusher(issues, resourceId(f))('metadata.name', 'FABRIC_MULTIPLE', `only one EVPNFabric is allowed; "${fabrics[0]!.metadata.name}" is already given`);
  for (const first of fabrics.length === 0 && !failedKinds.has('EVPNFabric') ? [networks[0], vrfs[0]] : []) {
    if (first) pusher(issues, resourceId(first))('spec', 'FABRIC_MISSING', `${first.kind} resources need an EVPNFabric resource in the same desired set`);
  }
  const fabric = fabrics[0];
  const nodes = fabric ? checkFabric(fabric, pusher(issues, resourceId(fabric))) : undefined;
  const rrs = fabric ? routeReflectorNodes(fabric.spec) : new Set<string>();
  const claimed: Claimed = { vnis: new Map(), devices: new Map(), ports: new Map() };
  const { vnis, devices, ports } = claimed;
  for (const net of networks) {
    const push = pusher(issues, resourceId(net));
    checkNetwork(net, nodes, rrs, fabric, push);
    const other = vnis.get(net.spec.vni);
    if (other) push('spec.vni', 'VNI_DUPLICATE', `VNI ${net.spec.vni} is already used by ${other}`);
    else vnis.set(net.spec.vni, resourceId(net));
    const bridge = bridgeName(net);
    const bridgeField = net.spec.bridge !== undefined ? 'spec.bridge' : 'metadata.name';
    const vxlan = vxlanName(net.spec.vni);
    // Bridges and VXLAN devices share one namespace of interface names.
    if (bridge === vxlan) push(bridgeField, 'BRIDGE_DUPLICATE', `bridge "${bridge}" has the name of this network's own VXLAN device`);
    const owner = devices.get(bridge);
    if (owner) push(bridgeField, 'BRIDGE_DUPLICATE', `device name "${bridge}" is already used by ${owner}`);
    else devices.set(bridge, `EVPNNetwork/${net.metadata.name} (bridge)`);
    const vxOwner = devices.get(vxlan);
    if (vxOwner && !vxOwner.endsWith('(VXLAN device)') && bridge !== vxlan) push('spec.vni', 'BRIDGE_DUPLICATE', `VXLAN device name "${vxlan}" is already used by ${vxOwner}`);
    else if (!vxOwner) devices.set(vxlan, `EVPNNetwork/${net.metadata.name} (VXLAN device)`);
    net.spec.ports?.forEach((port, i) => {
      const key = `${port.node}/${port.interface}`;
      const prev = ports.get(key);
      if (prev) push(`spec.ports[${i}]`, 'PORT_DUPLICATE', `interface ${port.interface} on node ${port.node} is already a port of ${prev}`);
      else ports.set(key, `EVPNNetwork/${net.metadata.name}`);
    });
  }
  checkRouting({ fabric, nodes: nodes ?? new Set(), rrs, vrfs, networks, failedKinds }, claimed, issues);
  for (const net of networks) checkPortNames(net, devices, pusher(issues, resourceId(net)));
  return issues;
}
