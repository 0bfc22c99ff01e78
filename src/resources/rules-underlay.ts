// Rules of the underlay: AS numbers, uplinks and spines. A fabric is routed
// when a node has uplinks: then every node has them. Without an IGP each leaf
// has an AS number of its own (eBGP, RFC 7938; spines may share one) and EVPN
// runs on the BGP-unnumbered uplink sessions; with an IGP (spec.underlay:
// OSPF on the uplinks) every node shares one AS and EVPN is iBGP between the
// loopbacks, a full mesh or through route reflectors. Without uplinks the
// fabric is one flat segment with iBGP, one AS number for every node.
import { canonicalIp, parseIp } from './cidr.ts';
import type { Push } from './error-codes.ts';
import { ifnameProblem, isIpv6Underlay } from './names.ts';
import type { FabricNode, FabricSpec } from './schema.ts';

export const AS_TRANS = 23456; // RFC 6793: stands in for a 4-byte AS towards old speakers

// An AS number a BGP speaker can use: 1..4294967295, not AS_TRANS.
export function checkAsn(push: Push, path: string, asn: number | undefined): void {
  if (asn === undefined) return;
  if (asn < 1 || asn > 4_294_967_295) push(path, 'ASN_RANGE', `AS number ${asn} is outside 1..4294967295`);
  else if (asn === AS_TRANS)
    push(path, 'ASN_RANGE', `AS number ${AS_TRANS} is AS_TRANS (RFC 6793), reserved; use a private AS number`);
}

export function isRouted(s: FabricSpec): boolean {
  return s.nodes.some((n) => (n.uplinks?.length ?? 0) > 0);
}

// A routed fabric whose loopbacks an IGP carries (iBGP EVPN on top).
export function hasIgp(s: FabricSpec): boolean {
  return s.underlay !== undefined;
}

const isSpine = (n: FabricNode) => n.roles?.includes('spine') ?? false;

export function checkUnderlay(s: FabricSpec, push: Push): void {
  s.nodes.forEach((node, i) => {
    checkUplinks(node, `spec.nodes[${i}]`, push);
    checkRoles(node, `spec.nodes[${i}]`, push);
  });
  checkRouterIds(s, push);
  if (s.underlay) checkIgp(s, push);
  else if (isRouted(s)) checkRouted(s, push);
  else checkFlat(s, push);
}

const AREA = /^(\d{1,10}|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

function validArea(area: string): boolean {
  if (!AREA.test(area)) return false;
  if (!area.includes('.')) return Number(area) <= 4_294_967_295;
  return area.split('.').every((o) => Number(o) <= 255);
}

// An IS-IS area address (the NET without system ID and selector): the AFI
// byte, then up to 12 more bytes in groups of two, e.g. 49.0001.
const ISO_AREA = /^[0-9a-f]{2}(\.[0-9a-f]{4}){0,6}$/i;

function checkArea(u: NonNullable<FabricSpec['underlay']>, push: Push): void {
  if (u.area === undefined) return;
  if (u.protocol === 'ospf' && !validArea(u.area))
    push(
      'spec.underlay.area',
      'FIELD_VALUE',
      `area "${u.area}" is an IPv4-style dotted area ID or a number 0..4294967295`,
    );
  if (u.protocol !== 'ospf' && !ISO_AREA.test(u.area))
    push(
      'spec.underlay.area',
      'FIELD_VALUE',
      `${u.protocol} area "${u.area}" is an ISO area address: two hex digits, then up to six groups of four (e.g. 49.0001)`,
    );
}

// An IGP underlay: OSPFv2, IS-IS or OpenFabric on every node's uplinks and
// loopback, iBGP EVPN over it in one AS.
function checkIgp(s: FabricSpec, push: Push): void {
  const u = s.underlay;
  if (!u) return;
  checkArea(u, push);
  if (isIpv6Underlay(s))
    push(
      'spec.underlay',
      'FIELD_UNSUPPORTED',
      'an IGP underlay for IPv6 VTEP addresses (OSPFv3, IS-IS for IPv6) is not implemented yet',
    );
  if (!isRouted(s)) {
    push('spec.underlay', 'UPLINKS_MISSING', "an IGP underlay runs on the nodes' uplinks; no node lists any");
    return;
  }
  s.nodes.forEach((node, i) => {
    if ((node.uplinks?.length ?? 0) === 0)
      push(
        `spec.nodes[${i}].uplinks`,
        'UPLINKS_MISSING',
        `node "${node.name}" has no uplinks; the IGP runs on each node's own`,
      );
    if (node.vtepAddress === undefined && isSpine(node))
      push(
        `spec.nodes[${i}].vtepAddress`,
        'FIELD_REQUIRED',
        `spine "${node.name}" needs a vtepAddress with an IGP underlay: its loopback, and the address of its unnumbered links`,
      );
  });
  checkOneAsn(s, push, 'with an IGP underlay EVPN is iBGP: every node needs the same AS number');
}

function checkUplinks(node: FabricNode, p: string, push: Push): void {
  node.uplinks?.forEach((name, j) => {
    const path = `${p}.uplinks[${j}]`;
    const bad = ifnameProblem(name);
    if (bad) push(path, bad.code, bad.message);
    else if (name === 'lo')
      push(path, 'PORT_INVALID', 'uplink "lo" is the loopback, where the VTEP address goes; name the fabric links');
    else if (node.uplinks?.indexOf(name) !== j)
      push(path, 'FIELD_VALUE', `uplink "${name}" is listed more than once on node "${node.name}"`);
  });
}

function checkRoles(node: FabricNode, p: string, push: Push): void {
  const roles = node.roles ?? [];
  const other = roles.filter((r) => r === 'leaf' || r === 'exit');
  if (roles.includes('spine') && other.length > 0)
    push(
      `${p}.roles`,
      'FIELD_VALUE',
      `node "${node.name}" cannot be a spine and ${other.join(' and ')}: a spine is a transit node with no VNIs`,
    );
}

// BGP drops a session to a peer with its own router ID, and route
// reflection loops on duplicates: each node's (explicit, or its IPv4 VTEP
// address) must be its own. Only well-formed IPv4 values are compared; the
// address rules report the others.
function checkRouterIds(s: FabricSpec, push: Push): void {
  const first = new Map<string, { name: string; explicit: boolean }>();
  s.nodes.forEach((node, i) => {
    const explicit = node.routerID !== undefined;
    const id = node.routerID ?? node.vtepAddress;
    if (id === undefined || parseIp(id)?.family !== 4) return;
    const key = canonicalIp(id);
    const other = first.get(key);
    if (other === undefined) first.set(key, { name: node.name, explicit });
    // two VTEP addresses alike are VTEP_DUPLICATE already
    else if (other.name !== node.name && (explicit || other.explicit))
      push(
        `spec.nodes[${i}].${explicit ? 'routerID' : 'vtepAddress'}`,
        'ROUTER_ID_DUPLICATE',
        `node "${node.name}" would have BGP router ID ${key}, which node "${other.name}" already has; set a routerID of its own`,
      );
  });
}

function asnOf(node: FabricNode, s: FabricSpec): number | undefined {
  return node.asn ?? s.asn;
}

function checkOneAsn(s: FabricSpec, push: Push, why: string): void {
  const asns = new Set(s.nodes.map((n) => asnOf(n, s)).filter((a): a is number => a !== undefined));
  if (asns.size > 1)
    push(
      'spec.nodes',
      'ASN_MIXED',
      `nodes use different AS numbers (${[...asns].sort((a, b) => a - b).join(', ')}); ${why}`,
    );
}

function checkFlat(s: FabricSpec, push: Push): void {
  checkOneAsn(
    s,
    push,
    'on a flat underlay they need one; an eBGP fabric is routed: give every node its uplinks (BGP unnumbered)',
  );
  s.nodes.forEach((node, i) => {
    if (isSpine(node))
      push(
        `spec.nodes[${i}].roles`,
        'FIELD_VALUE',
        `node "${node.name}" is a spine, but no node has uplinks; a spine is the transit node of a routed underlay`,
      );
  });
}

function checkRouted(s: FabricSpec, push: Push): void {
  s.nodes.forEach((node, i) => {
    if ((node.uplinks?.length ?? 0) === 0)
      push(
        `spec.nodes[${i}].uplinks`,
        'UPLINKS_MISSING',
        `node "${node.name}" has no uplinks; in a routed underlay (other nodes have uplinks) every node reaches the fabric through its own`,
      );
  });
  const rr = s.routeReflectors;
  if (
    (rr?.nodes?.length ?? 0) > 0 ||
    (rr?.external?.length ?? 0) > 0 ||
    s.nodes.some((n) => n.roles?.includes('route-reflector'))
  )
    push(
      'spec.routeReflectors',
      'FIELD_UNSUPPORTED',
      'route reflectors (iBGP) over an eBGP underlay are not implemented; EVPN runs on the eBGP uplink sessions (with spec.underlay, an IGP, route reflectors work)',
    );
  const asns = s.nodes.map((n) => asnOf(n, s));
  if (s.nodes.length > 1 && asns.every((a) => a !== undefined && a === asns[0]))
    push(
      'spec.nodes',
      'FIELD_UNSUPPORTED',
      `every node uses AS ${asns[0]}: iBGP needs an IGP underlay to reach the loopbacks (spec.underlay: {protocol: ospf}); or give each leaf its own AS number and the spines theirs (eBGP, RFC 7938)`,
    );
  else checkSharedAsns(s, push);
}

// Each leaf's AS number is its own; spines may share one with each other.
function checkSharedAsns(s: FabricSpec, push: Push): void {
  const first = new Map<number, FabricNode>();
  s.nodes.forEach((node, i) => {
    const asn = asnOf(node, s);
    if (asn === undefined) return;
    const other = first.get(asn);
    if (!other) first.set(asn, node);
    else if (!isSpine(node) || !isSpine(other))
      push(
        `spec.nodes[${i}].asn`,
        'ASN_SHARED',
        `node "${node.name}" uses AS ${asn} like node "${other.name}"; in an eBGP fabric each leaf needs its own AS number (routes from a leaf of the same AS are dropped as AS-path loops), only spines may share one`,
      );
  });
}
