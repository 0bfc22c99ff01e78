// EVPNVRF resources -> VrfIntent for one node: the VRF device and table, the
// L3VNI (symmetric IRB), type-5 advertisement and the exit uplink. Pure.
import { isIP } from 'node:net';
import {
  type Cidr,
  canonicalIp,
  cidrList,
  cidrsOverlap,
  networkAddress,
  parseCidr,
  subnetText,
} from '../resources/cidr.ts';
import {
  DEFAULT_UDP_PORT,
  defaultRouterMac,
  LOCAL_ROUTING_SUBNET,
  l3vniBridgeName,
  localRoutingDevices,
  normalizeMac,
  overlayMtu,
  SINGLE_VXLAN_DEVICE,
  sviName,
  transferAddresses,
  vrfDeviceName,
  vrfNodes,
  vrfTable,
  vrfVlan,
  vxlanName,
} from '../resources/names.ts';
import { own } from '../resources/own.ts';
import type { FabricResource, NetworkResource, VrfResource } from '../resources/schema.ts';
import type {
  ExitIntent,
  HostExitIntent,
  L2VniIntent,
  L3VniIntent,
  LocalRoutingIntent,
  SnatIntent,
  VrfIntent,
} from './intent.ts';

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// A given map names each node's MAC; a string only fits a one-node VRF (rules).
function routerMacFor(vrf: VrfResource, fabric: FabricResource, node: string): string {
  const given = vrf.spec.routerMAC;
  const mac = typeof given === 'string' ? given : own(given, node);
  return normalizeMac(mac ?? defaultRouterMac(fabric.metadata.name, node));
}

function exitFor(vrf: VrfResource, node: string): ExitIntent | undefined {
  const e = vrf.spec.exit;
  if (!e?.nodes.includes(node)) return undefined;
  const uplink = e.uplinks?.find((u) => u.node === node);
  if (!uplink) return undefined;
  const wantDefault = e.defaultRoute ?? true;
  const defaultRoutes: ExitIntent['defaultRoutes'] = [];
  if (wantDefault && uplink.nextHop.ipv4)
    defaultRoutes.push({ family: 'ipv4', nextHop: canonicalIp(uplink.nextHop.ipv4) });
  if (wantDefault && uplink.nextHop.ipv6)
    defaultRoutes.push({ family: 'ipv6', nextHop: canonicalIp(uplink.nextHop.ipv6) });
  return {
    interface: uplink.interface,
    addresses: [uplink.address.ipv4, uplink.address.ipv6].filter((a): a is string => a !== undefined),
    defaultRoutes,
    originateDefault: defaultRoutes.map((r) => r.family),
    primary: e.primary === node,
  };
}

// Exits without uplinks: every exit node routes through its own table, for
// both families (as Proxmox VE does: a family the VRF has no subnet in leaks
// nothing, and its default is there when a subnet comes).
function hostExitFor(vrf: VrfResource, node: string): HostExitIntent | undefined {
  const e = vrf.spec.exit;
  if (!e?.nodes.includes(node) || (e.uplinks?.length ?? 0) > 0) return undefined;
  const localRouting = localRoutingFor(vrf);
  const families: HostExitIntent['families'] = ['ipv4', 'ipv6'];
  return {
    families: localRouting ? [] : families,
    ...(localRouting ? { localRouting } : {}),
    originateDefault: (e.defaultRoute ?? true) ? [...families] : [],
    primary: e.primary === node,
    takesDefaults: e.primary !== undefined && e.primary !== node,
    nullRoutes: [], // withNullRoutes, once every VRF of the node is known
  };
}

// The veth pair of local routing (its routes: withVrfSubnets).
function localRoutingFor(vrf: VrfResource): LocalRoutingIntent | undefined {
  const given = vrf.spec.exit?.localRouting;
  const l3 = vrf.spec.l3vni;
  if (given === undefined || given === false || l3 === undefined) return undefined;
  const devices = localRoutingDevices(l3);
  const addresses = transferAddresses(typeof given === 'object' ? given.subnet : LOCAL_ROUTING_SUBNET);
  return {
    hostDevice: devices.host,
    vrfDevice: devices.vrf,
    hostAddress: addresses.host,
    vrfAddress: addresses.vrf,
    routes: [],
  };
}

// Per VNI: its own VXLAN device and bridge (the SVI). Single VXLAN device:
// the shared device, and the SVI is a VLAN device on the shared bridge.
function l3vniFor(
  vrf: VrfResource,
  l3: number,
  fabric: FabricResource,
  node: string,
  vtep: string,
  single: boolean,
): L3VniIntent {
  const spec = fabric.spec;
  const vlan = single ? vrfVlan(vrf) : undefined;
  return {
    vni: l3,
    vxlanDevice: vlan !== undefined ? SINGLE_VXLAN_DEVICE : vxlanName(l3),
    bridge: vlan !== undefined ? sviName(vlan) : l3vniBridgeName(l3),
    routerMac: routerMacFor(vrf, fabric, node),
    localAddress: vtep,
    udpPort: spec.udpPort ?? DEFAULT_UDP_PORT,
    mtu: overlayMtu(spec),
    ...(vlan !== undefined ? { vlan } : {}),
  };
}

// `vtep` is the node's own VTEP address, canonical (the L3VNI's local address).
function vrfFor(
  vrf: VrfResource,
  fabric: FabricResource,
  node: string,
  vtep: string,
  l2vnis: L2VniIntent[],
  single: boolean,
): VrfIntent {
  const spec = fabric.spec;
  const name = vrfDeviceName(vrf);
  const irb = spec.irb ?? 'symmetric';
  const routed = l2vnis.filter((v) => v.vrf === vrf.metadata.name);
  const exit = irb === 'symmetric' ? exitFor(vrf, node) : undefined;
  const l3 = irb === 'symmetric' ? vrf.spec.l3vni : undefined;
  // Type-5 by default for the families the VRF routes (subnets for silent
  // hosts, return traffic at exits); only symmetric IRB has type-5 routes.
  const hasFamily = (f: 4 | 6) =>
    routed.some((v) => ((f === 4 ? v.gateway?.ipv4 : v.gateway?.ipv6) ?? []).length > 0) ||
    (exit?.addresses.some((a) => isIP(a.split('/')[0]) === f) ?? false);
  const hostExit = irb === 'symmetric' ? hostExitFor(vrf, node) : undefined;
  return {
    owner: `EVPNVRF/${vrf.metadata.name}`,
    name,
    table: vrfTable(vrf),
    irb,
    ...(l3 !== undefined ? { l3vni: l3vniFor(vrf, l3, fabric, node, vtep, single) } : {}),
    ...(vrf.spec.rd !== undefined ? { rd: vrf.spec.rd } : {}),
    importRTs: [...(vrf.spec.routeTargets?.import ?? [])].sort(byString),
    exportRTs: [...(vrf.spec.routeTargets?.export ?? [])].sort(byString),
    advertiseIpv4: l3 !== undefined && (vrf.spec.advertise?.ipv4Unicast ?? hasFamily(4)),
    advertiseIpv6: l3 !== undefined && (vrf.spec.advertise?.ipv6Unicast ?? hasFamily(6)),
    ...(exit ? { exit } : {}),
    ...(hostExit ? { hostExit } : {}),
    unreachableDefault: hostExit === undefined,
    networks: routed.map((v) => v.name).sort(byString),
  };
}

export function vrfsFor(
  vrfs: VrfResource[],
  fabric: FabricResource,
  node: string,
  vtep: string,
  l2vnis: L2VniIntent[],
  single = false,
): VrfIntent[] {
  return vrfs
    .filter((v) => vrfNodes(v, fabric.spec).includes(node))
    .map((v) => vrfFor(v, fabric, node, vtep, l2vnis, single))
    .sort((a, b) => byString(a.name, b.name));
}

// What host-routing exits need to know of the VRFs' networks (every network,
// on this node or not): local routing routes the VRF's IPv4 subnets; a node
// that has several VRFs fall through to its default table gives each of them
// blackhole routes for the others' subnets, as Proxmox VE's exit nodes do.
export function withVrfSubnets(vrfs: VrfIntent[], networks: NetworkResource[]): VrfIntent[] {
  return withNullRoutes(withLocalRoutes(vrfs, networks), networks);
}

function withLocalRoutes(vrfs: VrfIntent[], networks: NetworkResource[]): VrfIntent[] {
  return vrfs.map((v) => {
    const lr = v.hostExit?.localRouting;
    if (!v.hostExit || !lr) return v;
    const routes = subnetsOf(networks, v.owner.slice('EVPNVRF/'.length))
      .filter((c) => c.family === 4)
      .sort(byAddress)
      .map(subnetText);
    return { ...v, hostExit: { ...v.hostExit, localRouting: { ...lr, routes: [...new Set(routes)] } } };
  });
}

const subnetsOf = (networks: NetworkResource[], vrf: string): Cidr[] =>
  networks
    .filter((n) => n.spec.vrf === vrf)
    .flatMap((n) => [...cidrList(n.spec.gateway?.ipv4), ...cidrList(n.spec.gateway?.ipv6)])
    .map((t) => parseCidr(t))
    .filter((c): c is Cidr => c !== undefined);

const byAddress = (a: Cidr, b: Cidr) =>
  a.family - b.family || (networkAddress(a) < networkAddress(b) ? -1 : 1) || a.prefix - b.prefix;

function withNullRoutes(vrfs: VrfIntent[], networks: NetworkResource[]): VrfIntent[] {
  const leaked = new Set(vrfs.filter((v) => v.hostExit).map((v) => v.owner.slice('EVPNVRF/'.length)));
  if (leaked.size < 2) return vrfs;
  return vrfs.map((v) => {
    const self = v.owner.slice('EVPNVRF/'.length);
    if (!v.hostExit) return v;
    const own = subnetsOf(networks, self);
    const others = [...leaked]
      .filter((x) => x !== self)
      .flatMap((x) => subnetsOf(networks, x))
      .filter((c) => !own.some((o) => cidrsOverlap(o, c)))
      .sort(byAddress);
    return { ...v, hostExit: { ...v.hostExit, nullRoutes: [...new Set(others.map(subnetText))] } };
  });
}

// On an exit node, each subnet of the exited VRFs' networks with
// gateway.snat (every such network, on this node or not: traffic from the
// other nodes leaves here too), by VRF, network and family.
export function snatFor(vrfs: VrfIntent[], networks: NetworkResource[]): SnatIntent[] {
  return vrfs.flatMap((v) => {
    if (!v.exit && !v.hostExit) return [];
    const vrf = v.owner.slice('EVPNVRF/'.length);
    return networks
      .filter((n) => n.spec.vrf === vrf && n.spec.gateway?.snat)
      .sort((a, b) => byString(a.metadata.name, b.metadata.name))
      .flatMap((n) =>
        (['ipv4', 'ipv6'] as const).flatMap((family) =>
          cidrList(n.spec.gateway?.[family]).flatMap((text) => {
            const c = parseCidr(text);
            const uplink = v.exit?.addresses.find((a) => (a.includes(':') ? 'ipv6' : 'ipv4') === family);
            if (!c || (v.exit && !uplink)) return [];
            return [
              {
                network: n.metadata.name,
                vrf: v.name,
                family,
                source: subnetText(c),
                ...(v.exit && uplink
                  ? { egress: { interface: v.exit.interface, address: uplink.split('/')[0] as string } }
                  : {}),
              },
            ];
          }),
        ),
      );
  });
}

// Routing between subnets and out of exits needs IP forwarding in the node.
export function forwardingFor(vrfs: VrfIntent[], l2vnis: L2VniIntent[]): { ipv4: boolean; ipv6: boolean } {
  const routed = l2vnis.filter((v) => v.gateway);
  const exits = vrfs.flatMap((v) => v.exit?.addresses ?? []);
  return {
    ipv4:
      vrfs.length > 0 && (routed.some((v) => v.gateway?.ipv4.length) || exits.some((a) => isIP(a.split('/')[0]) === 4)),
    ipv6:
      vrfs.length > 0 && (routed.some((v) => v.gateway?.ipv6.length) || exits.some((a) => isIP(a.split('/')[0]) === 6)),
  };
}
