// Proxmox EVPN zones, vnets and subnets as EVPNVRFs and EVPNNetworks: a zone
// is a tenant VRF (vrf-vxlan -> l3vni), a vnet an L2VNI whose bridge keeps the
// vnet's name (so VM taps stay attached), a subnet's gateway the vnet's
// anycast gateway. Pure.
import { canonicalIp, cidrContains, parseCidr, parseIp } from '../resources/cidr.ts';
import type { NetworkSpec, VrfSpec } from '../resources/schema.ts';
import type { PveSubnet, PveVnet, PveZone } from './pve-input.ts';
import type { ImportNote } from './pve-report.ts';

type Note = (n: ImportNote) => void;
const on = (v: unknown) => v !== undefined && String(v) === '1';
const byKey = <T>(a: [string, T], b: [string, T]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

export function vrfFor(
  id: string,
  zone: PveZone,
  fabric: { asn: number | undefined; nodes?: Set<string> },
  note: Note,
): VrfSpec {
  const l3vni = zone['vrf-vxlan'] === undefined ? undefined : Number(zone['vrf-vxlan']);
  const spec: VrfSpec = { ...(l3vni !== undefined ? { l3vni } : {}) };
  // Proxmox advertises a zone's subnets as type-5 routes only when told to;
  // the daemon's default is to advertise the families its gateways use.
  const advertise = on(zone['advertise-subnets']);
  spec.advertise = { ipv4Unicast: advertise, ipv6Unicast: advertise };
  const exit = exitFor(id, zone, fabric.nodes, note);
  if (exit) spec.exit = exit;
  const rtImport = (zone['rt-import'] ?? '').split(/[,;\s]+/).filter(Boolean);
  if (rtImport.length > 0) {
    // FRR replaces the automatic import with configured ones: without the
    // zone's own, its routes from the other nodes would no longer be
    // imported, which validation refuses (RT_MISMATCH)
    const own = fabric.asn !== undefined && l3vni !== undefined ? `${fabric.asn}:${l3vni}` : undefined;
    spec.routeTargets = { import: [...new Set([...(own ? [own] : []), ...rtImport])] };
    if (own && !rtImport.includes(own))
      note({
        code: 'PVE_RT_IMPORT',
        key: `zones.${id}.rt-import`,
        action: 'approximate',
        message: `imports ${rtImport.join(', ')} and the zone's own ${own}: FRR replaces the automatic import with configured ones, and without it the zone's own routes from the other nodes would no longer be imported`,
      });
  }
  return spec;
}

// Exit nodes that are nodes of the fabric (an exit that is no EVPN peer has
// no VRF to route for; all are kept when `nodes` is not known), and the
// primary when it is a fabric node: an exit or not, as Proxmox allows (with
// a primary that is no exit, every exit defers to it alike).
function exitFor(id: string, zone: PveZone, nodes: Set<string> | undefined, note: Note): VrfSpec['exit'] {
  const named = exitNodes(zone.exitnodes);
  const exits = named.filter((n) => !nodes || nodes.has(n));
  for (const n of named.filter((x) => !exits.includes(x)))
    note({
      code: 'PVE_EXIT_UNKNOWN',
      key: `zones.${id}.exitnodes`,
      action: 'skipped',
      message: `${n} is no node of the EVPN fabric (not among the controller's peers), so it cannot be an exit`,
    });
  if (exits.length === 0) return undefined;
  const exit: NonNullable<VrfSpec['exit']> = { nodes: exits };
  if (on(zone['exitnodes-local-routing'])) exit.localRouting = true;
  const primary = zone['exitnodes-primary'];
  if (primary && (!nodes || nodes.has(primary))) exit.primary = primary;
  else if (primary)
    note({
      code: 'PVE_EXIT_PRIMARY',
      key: `zones.${id}.exitnodes-primary`,
      action: 'skipped',
      message: `${primary} is no node of the EVPN fabric (not among the controller's peers)`,
    });
  return exit;
}

function exitNodes(value: PveZone['exitnodes']): string[] {
  if (value === undefined) return [];
  const names = typeof value === 'string' ? value.split(/[,;\s]+/) : Object.keys(value);
  return names.filter(Boolean).sort();
}

interface Gateways {
  ipv4: string[];
  ipv6: string[];
  snat: string[]; // subnet ids with snat
  plain: string[]; // subnet ids without
}

// The subnets of each vnet: a subnet id is `<zone>-<network>-<mask>`; each
// gateway (`gateway/mask`) becomes one of the vnet's anycast gateway
// addresses, in the order of the subnet ids (a repeated one once).
export function gatewaysByVnet(subnets: Record<string, PveSubnet>, note: Note): Map<string, Gateways> {
  const out = new Map<string, Gateways>();
  for (const [id, s] of Object.entries(subnets).sort(byKey)) {
    const m = /^(.+)-([^-]+)-(\d+)$/.exec(id);
    const cidr = m ? parseCidr(`${m[2]}/${m[3]}`) : undefined;
    if (!m || !cidr) {
      note({
        code: 'PVE_SUBNET_INVALID',
        key: `subnets.${id}`,
        action: 'skipped',
        message: 'the id is not <zone>-<network>-<mask>',
      });
      continue;
    }
    const ip = s.gateway ? parseIp(s.gateway) : undefined;
    if (!ip) continue;
    if (ip.family !== cidr.family || !cidrContains(cidr, ip)) {
      note({
        code: 'PVE_SUBNET_GATEWAY',
        key: `subnets.${id}.gateway`,
        action: 'skipped',
        message: `gateway ${s.gateway} is outside the subnet ${cidr.text}: the subnet is not imported`,
      });
      continue;
    }
    const gw = out.get(s.vnet) ?? { ipv4: [], ipv6: [], snat: [], plain: [] };
    (on(s.snat) ? gw.snat : gw.plain).push(id);
    const list = ip.family === 4 ? gw.ipv4 : gw.ipv6;
    const wanted = `${canonicalIp(s.gateway as string)}/${cidr.prefix}`;
    if (!list.includes(wanted)) list.push(wanted);
    out.set(s.vnet, gw);
  }
  for (const [vnet, gw] of out)
    if (gw.snat.length > 0 && gw.plain.length > 0)
      note({
        code: 'PVE_SNAT',
        key: `subnets.${gw.snat[0]}.snat`,
        action: 'approximate',
        message: `SNAT is per network here: every subnet of vnet ${vnet} is source-NATed, ${gw.plain.join(', ')} too`,
      });
  return out;
}

export function networkFor(vnet: PveVnet, zone: PveZone, gateways: Gateways | undefined): NetworkSpec {
  const spec: NetworkSpec = { vni: Number(vnet.tag), vrf: vnet.zone };
  const mac = zone.mac?.toLowerCase();
  const one = (l: string[]) => (l.length === 1 ? l[0] : l);
  if (gateways && gateways.ipv4.length + gateways.ipv6.length > 0)
    spec.gateway = {
      ...(gateways.ipv4.length ? { ipv4: one(gateways.ipv4) } : {}),
      ...(gateways.ipv6.length ? { ipv6: one(gateways.ipv6) } : {}),
      ...(mac ? { mac } : {}),
      ...(gateways.snat.length > 0 ? { snat: true } : {}),
    };
  if (on(zone['disable-arp-nd-suppression'])) spec.arpNdSuppression = false;
  if (zone.mtu !== undefined) spec.mtu = Number(zone.mtu);
  return spec;
}
