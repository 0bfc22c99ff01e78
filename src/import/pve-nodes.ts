// The fabric's nodes from a Proxmox cluster: who the EVPN controller's peers
// (or its fabric's nodes) are, what each is called, and the underlay parts of
// BGP and IS-IS controllers and of SDN fabrics. Pure.
import { canonicalIp, parseIp } from '../resources/cidr.ts';
import type { FabricNode, FabricSpec, PeerSpec } from '../resources/schema.ts';
import { addressesOf, type IfaceStanza, type Members, type PveController, type PveFabricItem } from './pve-input.ts';
import type { ImportNote } from './pve-report.ts';

export interface NodeSources {
  members?: Members;
  interfaces?: Map<string, IfaceStanza>; // the local node's
  node?: string; // the local node's name (--node, or .members nodename)
  nodeMap: Map<string, string>; // address -> name (--node-map)
}

type Note = (n: ImportNote) => void;

// The EVPN controller's VTEPs with their node names: .members by address,
// --node-map, the local node for an address on one of its interfaces; else
// a name made from the address, reported.
export function nodesFromPeers(ctlId: string, ctl: PveController, src: NodeSources, note: Note): FabricNode[] {
  const peers = (ctl.peers ?? '')
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map((p) => (parseIp(p) ? canonicalIp(p) : p));
  const local = localAddresses(src.interfaces);
  return [...new Set(peers)].map((address) => {
    const name = nameOf(address, src, local);
    if (!name) {
      const made = `pve-${address.replace(/[.:]+/g, '-').replace(/-$/, '')}`.slice(0, 63);
      note({
        code: 'PVE_NODE_UNNAMED',
        key: `controllers.${ctlId}.peers`,
        action: 'approximate',
        message: `no node of .members (or --node-map) has address ${address}; named it ${made}: the daemon on that node must run with --node ${made}`,
      });
      return withRouterId({ name: made, vtepAddress: address }, ctlId, note);
    }
    return withRouterId({ name, vtepAddress: address }, ctlId, note);
  });
}

function nameOf(address: string, src: NodeSources, local: Set<string>): string | undefined {
  const byMap = src.nodeMap.get(address);
  if (byMap) return byMap;
  const member = src.members?.nodes.find((n) => n.ip && parseIp(n.ip) && canonicalIp(n.ip) === address);
  if (member) return member.name;
  const self = src.node ?? src.members?.self;
  return self && local.has(address) ? self : undefined;
}

function localAddresses(interfaces: Map<string, IfaceStanza> | undefined): Set<string> {
  const out = new Set<string>();
  for (const stanza of interfaces?.values() ?? [])
    for (const a of addressesOf(stanza)) {
      const ip = a.split('/')[0] as string;
      if (parseIp(ip)) out.add(canonicalIp(ip));
    }
  return out;
}

// BGP needs a 32-bit router ID; Proxmox makes one from a MAC address, which
// no file here holds for other nodes: the IPv6 VTEP's last 32 bits instead.
function withRouterId(node: FabricNode, ctlId: string, note: Note): FabricNode {
  const ip = node.vtepAddress ? parseIp(node.vtepAddress) : undefined;
  if (ip?.family !== 6) return node;
  const v = ip.value & 0xffffffffn;
  const routerID = [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
  note({
    code: 'PVE_ROUTER_ID',
    key: `controllers.${ctlId}.peers`,
    action: 'approximate',
    message: `${node.name} has an IPv6 VTEP ${node.vtepAddress}; its BGP router ID is ${routerID} (the address's last 32 bits; Proxmox derives it from a MAC address)`,
  });
  return { ...node, routerID };
}

// An SDN fabric (openfabric or ospf) names the nodes itself: `<fabric>_<node>`
// items with the node's address and its fabric interfaces.
export function nodesFromFabric(
  fabricId: string,
  items: Record<string, PveFabricItem>,
  note: Note,
): { nodes: FabricNode[]; underlay?: FabricSpec['underlay'] } {
  const fabric = items[fabricId];
  const protocol = fabric?.type.replace(/_fabric$/, '');
  const nodes: FabricNode[] = [];
  for (const [id, item] of Object.entries(items).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!id.startsWith(`${fabricId}_`) || !item.type.endsWith('_node')) continue;
    const name = id.slice(fabricId.length + 1);
    const uplinks = (item.interfaces ?? []).map((i) => /(?:^|,)name=([^,]+)/.exec(i)?.[1]).filter(Boolean) as string[];
    nodes.push({
      name,
      ...(item.ip ? { vtepAddress: canonicalIp(item.ip) } : {}),
      ...(uplinks.length > 0 ? { uplinks } : {}),
    });
  }
  if (protocol !== 'openfabric' && protocol !== 'ospf') return { nodes };
  if (fabric?.hello_interval !== undefined)
    note({
      code: 'PVE_IGP_OPTION',
      key: `fabrics.${fabricId}.hello_interval`,
      action: 'skipped',
      message: `the daemon renders ${protocol} with FRR's default hello interval`,
    });
  const area = protocol === 'ospf' && fabric?.area !== undefined ? ospfArea(String(fabric.area)) : undefined;
  return { nodes, underlay: { protocol, ...(area ? { area } : {}) } };
}

const ospfArea = (a: string) => (/^\d+$/.test(a) ? numberToDotted(Number(a)) : a);
const numberToDotted = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');

// A BGP controller belongs to one node: its peers become that node's peers.
export function bgpPeers(id: string, ctl: PveController, evpnAsn: number | undefined, note: Note): PeerSpec[] {
  const asn = ctl.asn === undefined ? undefined : Number(ctl.asn);
  const ebgp = String(ctl.ebgp ?? '') === '1';
  const multihop = ctl['ebgp-multihop'] === undefined ? undefined : Number(ctl['ebgp-multihop']);
  if (asn !== undefined && evpnAsn !== undefined && asn !== evpnAsn)
    note({
      code: 'PVE_BGP_CONTROLLER',
      key: `controllers.${id}.asn`,
      action: 'approximate',
      message: `node ${ctl.node} speaks BGP from AS ${asn} in Proxmox (its EVPN too, with autort as ${evpnAsn}); the fabric's AS ${evpnAsn} is used for every session`,
    });
  if (ctl.loopback !== undefined)
    note({
      code: 'PVE_BGP_CONTROLLER',
      key: `controllers.${id}.loopback`,
      action: 'approximate',
      message: `the daemon sources VXLAN and the EVPN sessions from the node's vtepAddress; put ${ctl.loopback}'s address there (Proxmox also rewrites the kernel's source address with route-map correct_src)`,
    });
  if (ctl['bgp-multipath-as-path-relax'] !== undefined)
    note({
      code: 'PVE_BGP_CONTROLLER',
      key: `controllers.${id}.bgp-multipath-as-path-relax`,
      action: 'skipped',
      message: 'the daemon sets bestpath as-path multipath-relax on routed underlays (nodes[].uplinks) only',
    });
  return (ctl.peers ?? '')
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map((address) => ({
      address: parseIp(address) ? canonicalIp(address) : address,
      ...(ebgp ? { remoteAs: 'external' as const } : { remoteAs: 'internal' as const }),
      ...(ebgp && multihop !== undefined ? { multihop } : {}),
      addressFamilies: ['ipv4Unicast' as const],
    }));
}

// IS-IS controllers: an IGP underlay only when every node of the fabric has
// one (each names its node's interfaces); the area from the NET.
export function isisUnderlay(
  controllers: [string, PveController][],
  nodes: FabricNode[],
  note: Note,
): { underlay?: FabricSpec['underlay']; uplinks: Map<string, string[]> } {
  const isis = controllers.filter(([, c]) => c.type === 'isis');
  const uplinks = new Map<string, string[]>();
  if (isis.length === 0) return { uplinks };
  const byNode = new Map(isis.map(([id, c]) => [c.node ?? '', [id, c] as const]));
  const missing = nodes.filter((n) => !byNode.has(n.name)).map((n) => n.name);
  if (missing.length > 0) {
    for (const [id, c] of isis)
      note({
        code: 'PVE_IGP_PARTIAL',
        key: `controllers.${id}`,
        action: 'skipped',
        message: `IS-IS runs on ${c.node ?? 'no node'} only, not on ${missing.join(', ')}; the daemon renders an IGP underlay on every node or none: keep this node's IS-IS in the FRR base file (--frr-base)`,
      });
    return { uplinks };
  }
  for (const [id, c] of isis) {
    uplinks.set(c.node as string, (c['isis-ifaces'] ?? '').split(/[,;\s]+/).filter(Boolean));
    note({
      code: 'PVE_IGP_OPTION',
      key: `controllers.${id}.isis-net`,
      action: 'approximate',
      message:
        'the daemon runs IS-IS level 2 with a NET from the router ID (area kept) and advertises the loopbacks; Proxmox redistributes connected routes at level 1',
    });
  }
  const net = isis[0]?.[1]['isis-net'];
  const area = net ? net.split('.').slice(0, -4).join('.') : undefined;
  return { underlay: { protocol: 'isis', ...(area ? { area } : {}) }, uplinks };
}
