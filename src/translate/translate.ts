// resources + node name -> NodeIntent. Pure: the same input gives the same
// (sorted) model. Assumes the resources passed validation.
import { canonicalIp, cidrList, parseIp } from '../resources/cidr.ts';
import {
  bridgeName,
  DEFAULT_UDP_PORT,
  defaultGatewayMac,
  networkVlan,
  nodeVxlanMode,
  normalizeMac,
  overlayMtu,
  routeReflectorNodes,
  SINGLE_BRIDGE,
  SINGLE_VXLAN_DEVICE,
  sviName,
  transitNodes,
  vxlanName,
} from '../resources/names.ts';
import type {
  FabricNode,
  FabricResource,
  FabricSpec,
  KnownResource,
  NetworkResource,
  VrfResource,
} from '../resources/schema.ts';
import type { DadIntent, GatewayIntent, L2VniIntent, NeighborIntent, NodeIntent, SingleVxlanIntent } from './intent.ts';
import { peersFor, sessionIntent } from './translate-peers.ts';
import { underlayFor, underlayForwarding } from './translate-underlay.ts';
import { forwardingFor, snatFor, vrfsFor, withVrfSubnets } from './translate-vrf.ts';

export class NodeNotInFabricError extends Error {
  constructor(
    readonly node: string,
    readonly fabric: string,
    readonly known: string[],
  ) {
    super(`node "${node}" is not listed in EVPNFabric/${fabric} spec.nodes (known: ${known.join(', ') || 'none'})`);
    this.name = 'NodeNotInFabricError';
  }
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function neighborsFor(spec: FabricSpec, self: string, asn: number, rrs: Set<string>): NeighborIntent[] {
  const selfIsRR = rrs.has(self);
  const external = spec.routeReflectors?.external ?? [];
  const useRRs = rrs.size > 0 || external.length > 0;
  const peers: NeighborIntent[] = [];
  for (const node of spec.nodes) {
    // only a spine has no VTEP address, and a flat fabric has no spines
    if (node.name === self || node.vtepAddress === undefined) continue;
    // Full mesh without RRs; with RRs, clients talk only to RRs and RRs to everyone.
    if (useRRs && !selfIsRR && !rrs.has(node.name)) continue;
    peers.push({
      address: canonicalIp(node.vtepAddress),
      remoteAs: node.asn ?? asn,
      description: node.name,
      routeReflectorClient: selfIsRR && !rrs.has(node.name),
    });
  }
  if (!selfIsRR)
    for (const address of external)
      peers.push({
        address: canonicalIp(address),
        remoteAs: asn,
        description: 'external-rr',
        routeReflectorClient: false,
      });
  return peers.sort((a, b) => byString(a.address, b.address));
}

function dadIntent(spec: FabricSpec): DadIntent | undefined {
  const d = spec.duplicateAddressDetection;
  if (!d) return undefined;
  const freeze = d.freeze === true ? 'permanent' : d.freeze === false ? undefined : d.freeze;
  const intent: DadIntent = {
    maxMoves: d.maxMoves ?? 5,
    time: d.time ?? 180,
    ...(freeze !== undefined ? { freeze } : {}),
  };
  return intent.maxMoves === 5 && intent.time === 180 && intent.freeze === undefined ? undefined : intent;
}

function gatewayFor(net: NetworkResource): GatewayIntent | undefined {
  const g = net.spec.gateway;
  if (!g || !net.spec.vrf) return undefined;
  return {
    ipv4: cidrList(g.ipv4),
    ipv6: cidrList(g.ipv6),
    mac: normalizeMac(g.mac ?? defaultGatewayMac(net.metadata.name)),
  };
}

// With the single VXLAN device the network lives on the shared bridge as a
// VLAN; a routed network's SVI is a VLAN device there.
function singleFields(net: NetworkResource, single: boolean) {
  if (!single) return {};
  const vlan = networkVlan(net);
  return { vlan, ...(net.spec.vrf ? { svi: sviName(vlan) } : {}) };
}

function l2vniFor(net: NetworkResource, fabric: FabricSpec, node: string, vtep: string, single: boolean): L2VniIntent {
  const s = net.spec;
  return {
    owner: `EVPNNetwork/${net.metadata.name}`,
    name: net.metadata.name,
    vni: s.vni,
    bridge: single ? SINGLE_BRIDGE : bridgeName(net),
    vxlanDevice: single ? SINGLE_VXLAN_DEVICE : vxlanName(s.vni),
    localAddress: vtep,
    udpPort: fabric.udpPort ?? DEFAULT_UDP_PORT,
    mtu: s.mtu ?? overlayMtu(fabric),
    arpNdSuppression: s.arpNdSuppression ?? fabric.arpNdSuppression ?? true,
    macLearning: fabric.macLearning ?? false,
    ports: (s.ports ?? [])
      .filter((p) => p.node === node)
      .map((p) => p.interface)
      .sort(byString),
    ...(s.rd !== undefined ? { rd: s.rd } : {}),
    importRTs: [...(s.routeTargets?.import ?? [])].sort(byString),
    exportRTs: [...(s.routeTargets?.export ?? [])].sort(byString),
    ...(s.vrf ? { vrf: s.vrf } : {}),
    ...(gatewayFor(net) ? { gateway: gatewayFor(net) } : {}),
    ...singleFields(net, single),
  };
}

function singleFor(fabric: FabricResource, vtep: string): SingleVxlanIntent {
  const spec = fabric.spec;
  return {
    owner: `EVPNFabric/${fabric.metadata.name}`,
    vxlanDevice: SINGLE_VXLAN_DEVICE,
    bridge: SINGLE_BRIDGE,
    localAddress: vtep,
    udpPort: spec.udpPort ?? DEFAULT_UDP_PORT,
    mtu: overlayMtu(spec),
    macLearning: spec.macLearning ?? false,
  };
}

// Validation refuses a node without an AS number (ASN_MISSING), so this only
// throws when translate is handed resources that did not pass validation.
function nodeAsn(self: FabricNode, spec: FabricSpec): number {
  const asn = self.asn ?? spec.asn;
  if (asn === undefined) throw new Error(`node "${self.name}" has no AS number and EVPNFabric spec.asn is not set`);
  return asn;
}

export function findFabric(resources: KnownResource[]): FabricResource | undefined {
  return resources.find((r): r is FabricResource => r.kind === 'EVPNFabric');
}

// The fabric's entry for this node; a node the fabric does not list is an error.
function selfIn(fabric: FabricResource, node: string): FabricNode {
  const self = fabric.spec.nodes.find((n) => n.name === node);
  if (!self)
    throw new NodeNotInFabricError(
      node,
      fabric.metadata.name,
      fabric.spec.nodes.map((n) => n.name),
    );
  return self;
}

// The networks on this node, by VNI; none on a route reflector or spine.
function networksOn(resources: KnownResource[], node: string, transit: boolean): NetworkResource[] {
  if (transit) return [];
  return resources
    .filter((r): r is NetworkResource => r.kind === 'EVPNNetwork')
    .filter((n) => n.spec.nodes === undefined || n.spec.nodes.includes(node))
    .sort((a, b) => a.spec.vni - b.spec.vni);
}

type Families = { ipv4: boolean; ipv6: boolean };
const either = (a: Families, b: Families): Families => ({ ipv4: a.ipv4 || b.ipv4, ipv6: a.ipv6 || b.ipv6 });

export function translate(resources: KnownResource[], node: string): NodeIntent | undefined {
  const fabric = findFabric(resources);
  if (!fabric) return undefined;
  const spec = fabric.spec;
  const self = selfIn(fabric, node);
  const asn = nodeAsn(self, spec);
  const rrs = routeReflectorNodes(spec);
  const isRR = rrs.has(node);
  const transit = transitNodes(spec).has(node); // a route reflector or a spine: no VNIs, no VRFs
  const dad = dadIntent(spec);
  // the kernel and FRR print addresses this way; '' on a spine without one
  const vtep = self.vtepAddress === undefined ? '' : canonicalIp(self.vtepAddress);
  // A route reflector or spine carries no VNIs, so it needs no VXLAN device of either kind.
  const single = !transit && nodeVxlanMode(spec, node) === 'single';
  const l2vnis = networksOn(resources, node, transit).map((n) => l2vniFor(n, spec, node, vtep, single));
  const routerId = self.routerID ?? (parseIp(vtep)?.family === 4 ? vtep : '0.0.0.0');
  const underlay = underlayFor(fabric, self, vtep, routerId);
  const vrfResources = resources.filter((r): r is VrfResource => r.kind === 'EVPNVRF');
  const networks = resources.filter((r): r is NetworkResource => r.kind === 'EVPNNetwork');
  const vrfs = transit ? [] : withVrfSubnets(vrfsFor(vrfResources, fabric, node, vtep, l2vnis, single), networks);
  return {
    node,
    fabric: fabric.metadata.name,
    asn,
    routerId,
    vtepAddress: vtep,
    routeReflector: isRR,
    spine: self.roles?.includes('spine') ?? false,
    ...(isRR && spec.routeReflectors?.clusterID ? { clusterId: spec.routeReflectors.clusterID } : {}),
    // eBGP on the uplinks, or iBGP between the loopbacks (flat, or over an IGP)
    neighbors: underlay && !underlay.igp ? [] : neighborsFor(spec, node, asn, rrs),
    sessions: sessionIntent(fabric),
    peers: peersFor(fabric, self),
    ...(underlay ? { underlay } : {}),
    advertiseAllVni: !transit,
    ...(dad && !transit ? { duplicateAddressDetection: dad } : {}),
    l2vnis,
    vrfs,
    ...(single ? { single: singleFor(fabric, vtep) } : {}),
    snat: snatFor(vrfs, networks),
    forwarding: either(forwardingFor(vrfs, l2vnis), underlayForwarding(underlay)),
  };
}
