// Proxmox VE SDN -> one fabric file for the whole cluster. The EVPN controller
// becomes the EVPNFabric (its peers, or its SDN fabric's nodes, the nodes),
// BGP controllers the nodes' explicit peers, IS-IS controllers and SDN fabrics
// an IGP underlay, EVPN zones EVPNVRFs and their vnets EVPNNetworks. What the
// resource model cannot say is reported (pve-report.ts), never guessed
// silently. Pure: the CLI reads the files (src/cli/import.ts).
import {
  EVPN_API_VERSION,
  type FabricNode,
  type FabricSpec,
  type KnownResource,
  type VrfSpec,
} from '../resources/schema.ts';
import type { IfaceStanza, Members, PveController, PveZone, RunningConfig } from './pve-input.ts';
import { bgpPeers, isisUnderlay, nodesFromFabric, nodesFromPeers } from './pve-nodes.ts';
import type { ImportNote } from './pve-report.ts';
import { gatewaysByVnet, networkFor, vrfFor } from './pve-zones.ts';

export interface PveImportInput {
  config: RunningConfig;
  members?: Members;
  interfaces?: Map<string, IfaceStanza>;
  frrLocal?: string;
  node?: string; // the node the files come from (default: .members nodename)
  nodeMap?: Map<string, string>; // VTEP address -> node name
}

export interface PveImport {
  resources: KnownResource[];
  notes: ImportNote[];
}

const sorted = <T>(o: Record<string, T> | undefined): [string, T][] =>
  Object.entries(o ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export function importPveSdn(input: PveImportInput): PveImport {
  const notes: ImportNote[] = [];
  const note = (n: ImportNote) => notes.push(n);
  const controllers = sorted(input.config.controllers?.ids);
  const evpn = controllers.filter(([, c]) => c.type === 'evpn');
  frrLocalNotes(input.frrLocal, note);
  const [first] = evpn;
  if (!first) {
    note({
      code: 'PVE_NO_EVPN',
      key: 'controllers',
      action: 'skipped',
      message: `no EVPN controller (${controllers.map(([id, c]) => `${id}: ${c.type}`).join(', ') || 'none'}): nothing for routerd-evpn to run`,
    });
    return { resources: [], notes };
  }
  const [ctlId, ctl] = first;
  for (const [id] of evpn.slice(1))
    note({
      code: 'PVE_CONTROLLER_EXTRA',
      key: `controllers.${id}`,
      action: 'skipped',
      message: `one EVPN fabric per file: ${ctlId} is imported; import ${id}'s zones into a file of their own`,
    });
  const asn = ctl.asn === undefined ? undefined : Number(ctl.asn);
  const fabric = fabricFor(ctlId, ctl, controllers, input, note);
  const zones = sorted(input.config.zones?.ids).filter(([id, z]) => zoneImported(id, z, ctlId, note));
  const zoneOf = new Map(zones);
  const udpPort = vxlanPort(zones, note);
  if (udpPort !== undefined) fabric.udpPort = udpPort;
  const api = { apiVersion: EVPN_API_VERSION };
  const meta = (name: string) => ({ metadata: { name } });
  const resources: KnownResource[] = [{ ...api, kind: 'EVPNFabric', ...meta(ctlId), spec: fabric }];
  // an exit node that is no fabric node is dropped, unless some VTEP has no
  // name yet (it may be that node: validation then names the exit)
  const unnamed = notes.some((n) => n.code === 'PVE_NODE_UNNAMED');
  const names = unnamed ? undefined : new Set(fabric.nodes.map((n) => n.name));
  const vrfs = zones.map(([id, z]) => [id, vrfFor(id, z, { asn, nodes: names }, note)] as const);
  transferSubnets(vrfs, note);
  for (const [id, spec] of vrfs) resources.push({ ...api, kind: 'EVPNVRF', ...meta(id), spec });
  resources.push(...networksFor(input.config, zoneOf, note));
  return { resources, notes };
}

// Each vnet of an imported zone, with its subnets' gateways.
function networksFor(
  config: RunningConfig,
  zoneOf: Map<string, PveZone>,
  note: (n: ImportNote) => void,
): KnownResource[] {
  const gateways = gatewaysByVnet(config.subnets?.ids ?? {}, note);
  const out: KnownResource[] = [];
  for (const [id, vnet] of sorted(config.vnets?.ids)) {
    const zone = zoneOf.get(vnet.zone);
    if (zone)
      out.push({
        apiVersion: EVPN_API_VERSION,
        kind: 'EVPNNetwork',
        metadata: { name: id },
        spec: networkFor(vnet, zone, gateways.get(id)),
      });
    else
      note({
        code: 'PVE_VNET_ZONE',
        key: `vnets.${id}.zone`,
        action: 'skipped',
        message: `zone ${vnet.zone} is not an imported EVPN zone`,
      });
  }
  return out;
}

function fabricFor(
  ctlId: string,
  ctl: PveController,
  controllers: [string, PveController][],
  input: PveImportInput,
  note: (n: ImportNote) => void,
): FabricSpec {
  const asn = ctl.asn === undefined ? undefined : Number(ctl.asn);
  const fromFabric = ctl.fabric
    ? nodesFromFabric(ctl.fabric, input.config.fabrics?.ids ?? {}, note)
    : { nodes: [] as FabricNode[] };
  const nodes = ctl.fabric
    ? fromFabric.nodes
    : nodesFromPeers(ctlId, ctl, { ...input, nodeMap: input.nodeMap ?? new Map() }, note);
  const spec: FabricSpec = { ...(asn !== undefined ? { asn } : {}), nodes };
  if (fromFabric.underlay) spec.underlay = fromFabric.underlay;
  const isis = isisUnderlay(controllers, nodes, note);
  if (isis.underlay && !spec.underlay) {
    spec.underlay = isis.underlay;
    for (const n of nodes) n.uplinks = isis.uplinks.get(n.name) ?? [];
  }
  for (const [id, c] of controllers.filter(([, c]) => c.type === 'bgp')) {
    const node = nodes.find((n) => n.name === c.node);
    if (!node) {
      note({
        code: 'PVE_BGP_CONTROLLER',
        key: `controllers.${id}.node`,
        action: 'skipped',
        message: `node ${c.node ?? '(none)'} is not a node of the EVPN fabric`,
      });
      continue;
    }
    const vteps = new Set(nodes.map((n) => n.vtepAddress));
    const peers = bgpPeers(id, c, asn, note);
    const fabricOnes = peers.filter((p) => vteps.has(p.address));
    if (fabricOnes.length > 0)
      note({
        code: 'PVE_BGP_CONTROLLER',
        key: `controllers.${id}.peers`,
        action: 'approximate',
        message: `${fabricOnes.map((p) => p.address).join(', ')} are fabric VTEPs (or this node): their EVPN sessions carry no IPv4 unicast routes here`,
      });
    const others = peers.filter((p) => !vteps.has(p.address));
    if (others.length > 0) node.peers = [...(node.peers ?? []), ...others];
  }
  return spec;
}

function zoneImported(id: string, z: PveZone, ctlId: string, note: (n: ImportNote) => void): boolean {
  if (z.type !== 'evpn') {
    note({
      code: 'PVE_ZONE_TYPE',
      key: `zones.${id}.type`,
      action: 'skipped',
      message: `a ${z.type} zone is not EVPN`,
    });
    return false;
  }
  if (z.controller !== ctlId) {
    note({
      code: 'PVE_ZONE_CONTROLLER',
      key: `zones.${id}.controller`,
      action: 'skipped',
      message: `controller ${z.controller ?? '(none)'} is not the imported EVPN controller ${ctlId}`,
    });
    return false;
  }
  return true;
}

// Proxmox gives every zone with exitnodes-local-routing the transfer subnet
// 10.255.255.0/30, so two of them clash on an exit node; the second and
// later ones get the next /30s.
function transferSubnets(vrfs: (readonly [string, VrfSpec])[], note: (n: ImportNote) => void): void {
  const local = vrfs.filter(([, s]) => s.exit?.localRouting === true);
  local.slice(1).forEach(([id, s], i) => {
    const subnet = `10.255.255.${4 * (i + 1)}/30`;
    if (s.exit) s.exit.localRouting = { subnet };
    note({
      code: 'PVE_EXIT_LOCAL_ROUTING',
      key: `zones.${id}.exitnodes-local-routing`,
      action: 'approximate',
      message: `zone ${local[0]?.[0]} has local routing too: Proxmox gives every zone 10.255.255.0/30, which clashes on a shared exit node; this one gets ${subnet}`,
    });
  });
}

// vxlan-port is per zone in Proxmox, per fabric here.
function vxlanPort(zones: [string, PveZone][], note: (n: ImportNote) => void): number | undefined {
  const ports = zones
    .filter(([, z]) => z['vxlan-port'] !== undefined)
    .map(([id, z]) => [id, Number(z['vxlan-port'])] as const);
  const [first] = ports;
  if (!first) return undefined;
  for (const [id, port] of ports)
    if (port !== first[1])
      note({
        code: 'PVE_VXLAN_PORT',
        key: `zones.${id}.vxlan-port`,
        action: 'approximate',
        message: `every VXLAN device of the fabric uses UDP port ${first[1]} (zone ${first[0]}), not ${port}`,
      });
  return first[1];
}

// frr.conf.local is merged as text into Proxmox's FRR config; this daemon
// owns FRR's whole configuration, so nothing of it is merged. Its top-level
// blocks are named, to be moved into the FRR base file (--frr-base) or dropped.
function frrLocalNotes(text: string | undefined, note: (n: ImportNote) => void): void {
  const blocks = [
    ...new Set(
      (text ?? '')
        .split('\n')
        .filter((l) => /^\S/.test(l) && !/^(!|exit\b|end\b)/.test(l))
        .map((l) => l.trim()),
    ),
  ];
  if (blocks.length === 0) return;
  note({
    code: 'PVE_FRR_LOCAL',
    key: 'frr.conf.local',
    action: 'skipped',
    message: `the daemon owns FRR and merges no text into it; move what must stay into the FRR base file (--frr-base): ${blocks.join('; ')}`,
  });
}
