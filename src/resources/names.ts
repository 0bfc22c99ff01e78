// Names and derived defaults shared by validation, translation and rendering.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { formatIp, networkAddress, parseCidr } from './cidr.ts';
import type { FabricSpec, NetworkResource, VrfResource } from './schema.ts';

export const IFNAME_MAX_BYTES = 15;
export const IFNAME_PATTERN = /^[A-Za-z0-9_.-]+$/;
export const RESOURCE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
export const DEFAULT_UDP_PORT = 4789;
export const DEFAULT_UNDERLAY_MTU = 1500;
export const VNI_MIN = 1;
export const VNI_MAX = 16_777_215;
export const MTU_MIN = 576;
export const MTU_MAX = 9216;

// VXLAN encapsulation: outer Ethernet 14 + IP (20 or 40) + UDP 8 + VXLAN 8.
export function vxlanOverhead(ipv6Underlay: boolean): number {
  return ipv6Underlay ? 70 : 50;
}

export function bridgeName(network: NetworkResource): string {
  return network.spec.bridge ?? network.metadata.name;
}

// Always fits 15 bytes: "vxlan" + at most 8 digits.
export function vxlanName(vni: number): string {
  return `vxlan${vni}`;
}

export function ifnameProblem(
  value: string,
): { code: 'IFNAME_TOO_LONG' | 'IFNAME_INVALID'; message: string } | undefined {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > IFNAME_MAX_BYTES)
    return {
      code: 'IFNAME_TOO_LONG',
      message: `interface name "${value}" is ${bytes} bytes; Linux allows at most ${IFNAME_MAX_BYTES} bytes`,
    };
  if (value === '' || value === '.' || value === '..' || !IFNAME_PATTERN.test(value))
    return {
      code: 'IFNAME_INVALID',
      message: `interface name "${value}" must be non-empty and use only [A-Za-z0-9_.-]`,
    };
  return undefined;
}

// An access port or exit uplink: a valid interface name that the kernel can
// enslave and that is not one of the devices the daemon creates (a bridge in
// a bridge, a VXLAN device in two bridges, a VRF device as a port).
export function portProblem(
  value: string,
  devices: ReadonlyMap<string, string>,
  what: string,
): { code: 'IFNAME_TOO_LONG' | 'IFNAME_INVALID' | 'PORT_INVALID'; message: string } | undefined {
  const bad = ifnameProblem(value);
  if (bad) return bad;
  if (value === 'lo')
    return { code: 'PORT_INVALID', message: `${what} "lo" is the loopback device, which the kernel never enslaves` };
  const owner = devices.get(value);
  if (owner)
    return {
      code: 'PORT_INVALID',
      message: `${what} "${value}" is the ${owner}, a device the daemon creates itself; name the interface of a host, VM or uplink instead`,
    };
  return undefined;
}

export function isIpv6Underlay(fabric: FabricSpec): boolean {
  return fabric.nodes.some((n) => n.vtepAddress !== undefined && isIP(n.vtepAddress) === 6);
}

export function overlayMtu(fabric: FabricSpec): number {
  return fabric.mtu ?? (fabric.underlayMTU ?? DEFAULT_UNDERLAY_MTU) - vxlanOverhead(isIpv6Underlay(fabric));
}

// FRR's auto route target of a VNI: ASN:VNI, with the lower 2 bytes of a
// 4-byte ASN.
export function autoRouteTarget(asn: number, vni: number): string {
  return `${asn & 0xffff}:${vni}`;
}

// The local administrator of a route target: the NN of ASN:NN, A.B.C.D:NN or *:NN.
export function routeTargetValue(rt: string): string {
  return rt.slice(rt.lastIndexOf(':') + 1);
}

// Whether an import list takes `rt`: listed as it is, or by a wildcard *:NN.
export function importsRouteTarget(imports: Iterable<string>, rt: string): boolean {
  const wildcard = `*:${routeTargetValue(rt)}`;
  for (const i of imports) if (i === rt || i === wildcard) return true;
  return false;
}

// The ifalias marker of every device the daemon owns: routerd-evpn:Kind/name.
export const OWNER_PREFIX = 'routerd-evpn:';

export function ownerTag(kind: string, name: string): string {
  return `${OWNER_PREFIX}${kind}/${name}`;
}

export function isOwnerTag(alias: string | undefined): boolean {
  return alias?.startsWith(OWNER_PREFIX) ?? false;
}

// routerd-evpn:Kind/name -> Kind/name
export function ownerResourceId(tag: string): string {
  return tag.slice(OWNER_PREFIX.length);
}

// RRs are the nodes named in routeReflectors.nodes or carrying the role.
export function routeReflectorNodes(spec: FabricSpec): Set<string> {
  return new Set([
    ...(spec.routeReflectors?.nodes ?? []),
    ...spec.nodes.filter((n) => n.roles?.includes('route-reflector')).map((n) => n.name),
  ]);
}

// The L3VNI's SVI bridge: "l3vni" + at most 8 digits, always fits 15 bytes.
export function l3vniBridgeName(vni: number): string {
  return `l3vni${vni}`;
}

// The VRF device is named after the EVPNVRF resource, as FRR's `vrf NAME`.
export function vrfDeviceName(vrf: { metadata: { name: string } }): string {
  return vrf.metadata.name;
}

// Tables the kernel reserves (unspec, default, main, local).
export const RESERVED_TABLES = new Set([0, 253, 254, 255]);
export const TABLE_MAX = 4_294_967_295;

// A stable routing table for a VRF without `table`: its L3VNI when that is a
// usable table id, else 1000 + a hash of the name (rules report collisions).
export function autoTable(vrf: VrfResource): number {
  const l3 = vrf.spec.l3vni;
  if (l3 !== undefined && !RESERVED_TABLES.has(l3) && l3 >= 1 && l3 <= VNI_MAX) return l3;
  return 1000 + (stableHash(`table/${vrf.metadata.name}`) % 100_000);
}

export function vrfTable(vrf: VrfResource): number {
  const t = vrf.spec.table;
  return typeof t === 'number' ? t : autoTable(vrf);
}

function stableHash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

// A locally administered unicast MAC (02:xx:..) derived from a seed: the same
// seed gives the same MAC on every node and after every restart.
export function derivedMac(seed: string): string {
  const b = createHash('sha256').update(`routerd-evpn/${seed}`).digest();
  const bytes = [0x02, b[0], b[1], b[2], b[3], b[4]];
  return bytes.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

// Per node (distinct across nodes), shared by that node's VRFs unless given.
export function defaultRouterMac(fabric: string, node: string): string {
  return derivedMac(`router-mac/${fabric}/${node}`);
}

// Per network: the same anycast gateway MAC on every node.
export function defaultGatewayMac(network: string): string {
  return derivedMac(`gateway-mac/${network}`);
}

export function normalizeMac(mac: string): string {
  return mac.toLowerCase().replace(/-/g, ':');
}

// Six octets, separated all by ":" or all by "-" (never mixed).
export const MAC_PATTERN = /^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}$|^[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}$/;

// Unicast: the I/G bit (lowest bit of the first octet) is 0, and not all zeros.
export function isUnicastMac(mac: string): boolean {
  const first = parseInt(mac.slice(0, 2), 16);
  return (first & 1) === 0 && !/^(00[:-]){5}00$/.test(mac);
}

// Nodes that carry no VNIs and no VRFs, with what they are: route
// reflectors, and spines of a routed underlay (transit only).
export function transitNodes(fabric: FabricSpec): Map<string, 'route reflector' | 'spine'> {
  const transit = new Map<string, 'route reflector' | 'spine'>();
  for (const n of routeReflectorNodes(fabric)) transit.set(n, 'route reflector');
  for (const n of fabric.nodes) if (n.roles?.includes('spine')) transit.set(n.name, 'spine');
  return transit;
}

export function vrfNodes(vrf: VrfResource, fabric: FabricSpec): string[] {
  const transit = transitNodes(fabric);
  return (vrf.spec.nodes ?? fabric.nodes.map((n) => n.name)).filter((n) => !transit.has(n));
}

// FRR 8.4 takes ASN:NN or A.B.C.D:NN for rd and route targets; a wildcard
// `*:NN` only as an import route target of an L3VNI (a VRF).
export const RD_RT_PATTERN = /^(\d+(\.\d+)?|\d+\.\d+\.\d+\.\d+):\d+$/;
export const RT_WILDCARD_PATTERN = /^\*:\d+$/;

export function macProblem(value: string): { code: 'MAC_INVALID' | 'MAC_NOT_UNICAST'; message: string } | undefined {
  if (!MAC_PATTERN.test(value))
    return {
      code: 'MAC_INVALID',
      message: `MAC "${value}" is not six hex octets separated all by ":" or all by "-" (e.g. 02:00:00:00:01:01)`,
    };
  if (!isUnicastMac(value))
    return {
      code: 'MAC_NOT_UNICAST',
      message: `MAC ${value} is ${/^(00[:-]){5}00$/.test(value) ? 'all zeros' : 'a multicast MAC (lowest bit of the first octet set)'}; use a unicast MAC such as 02:xx:xx:xx:xx:xx`,
    };
  return undefined;
}

// The nodes an EVPNNetwork exists on: its spec.nodes or every node, never a
// route reflector or spine.
export function networkNodes(network: NetworkResource, fabric: FabricSpec): string[] {
  const transit = transitNodes(fabric);
  return (network.spec.nodes ?? fabric.nodes.map((n) => n.name)).filter((n) => !transit.has(n));
}

// The single VXLAN device (EVPNFabric spec.vxlanDevice: single): one VXLAN
// device with vnifilter in one VLAN-aware bridge per node, fixed names.
export const SINGLE_VXLAN_DEVICE = 'vxlan-evpn';

// An exit's local routing (Proxmox's exitnodes-local-routing): a veth pair
// between the default table (host end) and the VRF, named by the L3VNI (a
// VRF name would not fit the 15 bytes), on a transfer subnet whose first
// address is the host end's and second the VRF end's.
export const LOCAL_ROUTING_SUBNET = '10.255.255.0/30';
export function localRoutingDevices(l3vni: number): { host: string; vrf: string } {
  return { host: `xvrf${l3vni}`, vrf: `xvrfp${l3vni}` };
}

// The host end's and the VRF end's CIDRs: the transfer subnet's first two
// host addresses (validation made sure it has them).
export function transferAddresses(subnet: string): { host: string; vrf: string } {
  const c = parseCidr(subnet);
  if (!c) throw new Error(`not a CIDR: ${subnet}`);
  const at = (n: bigint) => `${formatIp(4, networkAddress(c) + n)}/${c.prefix}`;
  return { host: at(1n), vrf: at(2n) };
}
export const SINGLE_BRIDGE = 'br-evpn';
export const VLAN_MIN = 1;
export const VLAN_MAX = 4094;

export type VxlanDeviceMode = 'perVni' | 'single';

// A node's own vxlanDevice wins over the fabric's; perVni by default.
export function nodeVxlanMode(fabric: FabricSpec, node: string): VxlanDeviceMode {
  return fabric.nodes.find((n) => n.name === node)?.vxlanDevice ?? fabric.vxlanDevice ?? 'perVni';
}

export function singleNodes(fabric: FabricSpec): string[] {
  return fabric.nodes.map((n) => n.name).filter((n) => nodeVxlanMode(fabric, n) === 'single');
}

// The VLAN of a VNI without an explicit `vlan`: the VNI itself when it is a
// VLAN id (1..4094), else 1 + (VNI - 1) mod 4094. It depends on nothing but
// the VNI, so adding or removing other networks never moves it.
export function derivedVlan(vni: number): number {
  return vni >= VLAN_MIN && vni <= VLAN_MAX ? vni : 1 + ((vni - 1) % VLAN_MAX);
}

export function networkVlan(network: NetworkResource): number {
  return network.spec.vlan ?? derivedVlan(network.spec.vni);
}

// The L3VNI's VLAN on a single-device node (its SVI); none without an L3VNI.
export function vrfVlan(vrf: VrfResource): number | undefined {
  if (vrf.spec.l3vni === undefined) return undefined;
  return vrf.spec.vlan ?? derivedVlan(vrf.spec.l3vni);
}

// The SVI (a VLAN device on the VLAN-aware bridge): "vlan" + at most 4 digits.
export function sviName(vlan: number): string {
  return `vlan${vlan}`;
}
