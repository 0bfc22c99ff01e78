// Proxmox EVPN zones, vnets and subnets as EVPNVRFs and EVPNNetworks: a zone
// is a tenant VRF (vrf-vxlan -> l3vni), a vnet an L2VNI whose bridge keeps the
// vnet's name (so VM taps stay attached), a subnet's gateway the vnet's
// anycast gateway. Pure.
import { canonicalIp, parseCidr, parseIp } from '../resources/cidr.ts';
import type { NetworkSpec, VrfSpec } from '../resources/schema.ts';
import type { PveSubnet, PveVnet, PveZone } from './pve-input.ts';
import type { ImportNote } from './pve-report.ts';

type Note = (n: ImportNote) => void;
const on = (v: unknown) => v !== undefined && String(v) === '1';
const byKey = <T>(a: [string, T], b: [string, T]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

export function vrfFor(id: string, zone: PveZone, asn: number | undefined, note: Note): VrfSpec {
  const l3vni = zone['vrf-vxlan'] === undefined ? undefined : Number(zone['vrf-vxlan']);
  const spec: VrfSpec = { ...(l3vni !== undefined ? { l3vni } : {}) };
  // Proxmox advertises a zone's subnets as type-5 routes only when told to;
  // the daemon's default is to advertise the families its gateways use.
  const advertise = on(zone['advertise-subnets']);
  spec.advertise = { ipv4Unicast: advertise, ipv6Unicast: advertise };
  const exits = exitNodes(zone.exitnodes);
  if (exits.length > 0) {
    spec.exit = { nodes: exits };
    const primary = zone['exitnodes-primary'];
    if (primary && exits.includes(primary)) spec.exit.primary = primary;
    else if (primary)
      note({
        code: 'PVE_EXIT_PRIMARY',
        key: `zones.${id}.exitnodes-primary`,
        action: 'approximate',
        message: `${primary} is not an exit node of the zone: Proxmox then de-prefers every exit's default alike, which is no primary at all`,
      });
  }
  if (on(zone['exitnodes-local-routing']))
    note({
      code: 'PVE_EXIT_LOCAL_ROUTING',
      key: `zones.${id}.exitnodes-local-routing`,
      action: 'skipped',
      message: 'the exit node routes for the VRF through its own routing table; the veth pair into the VRF is not made',
    });
  const rtImport = (zone['rt-import'] ?? '').split(/[,;\s]+/).filter(Boolean);
  if (rtImport.length > 0) {
    const own = asn !== undefined && l3vni !== undefined ? [`${asn}:${l3vni}`] : [];
    spec.routeTargets = { import: [...new Set([...own, ...rtImport])] };
    if (own.length > 0)
      note({
        code: 'PVE_RT_IMPORT',
        key: `zones.${id}.rt-import`,
        action: 'approximate',
        message: `imports ${rtImport.join(', ')} and the zone's own ${own[0]}: FRR replaces the auto-derived import with configured ones, and without it the zone's own routes from the other nodes would no longer be imported`,
      });
  }
  return spec;
}

function exitNodes(value: PveZone['exitnodes']): string[] {
  if (value === undefined) return [];
  const names = typeof value === 'string' ? value.split(/[,;\s]+/) : Object.keys(value);
  return names.filter(Boolean).sort();
}

interface Gateways {
  ipv4?: string;
  ipv6?: string;
}

// The subnets of each vnet: a subnet id is `<zone>-<network>-<mask>`; the
// first gateway of each family becomes the vnet's anycast gateway.
export function gatewaysByVnet(subnets: Record<string, PveSubnet>, note: Note): Map<string, Gateways> {
  const out = new Map<string, Gateways>();
  for (const [id, s] of Object.entries(subnets).sort(byKey)) {
    const m = /^(.+)-([^-]+)-(\d+)$/.exec(id);
    const cidr = m ? `${m[2]}/${m[3]}` : undefined;
    if (!m || !cidr || !parseCidr(cidr)) {
      note({
        code: 'PVE_SUBNET_INVALID',
        key: `subnets.${id}`,
        action: 'skipped',
        message: 'the id is not <zone>-<network>-<mask>',
      });
      continue;
    }
    if (on(s.snat))
      note({
        code: 'PVE_SNAT',
        key: `subnets.${id}.snat`,
        action: 'skipped',
        message: `the exit nodes do not source-NAT ${cidr}: route it back to them from the outside`,
      });
    if (!s.gateway) continue;
    const ip = parseIp(s.gateway);
    if (!ip) continue;
    const family = ip.family === 4 ? 'ipv4' : 'ipv6';
    const gw = out.get(s.vnet) ?? {};
    const wanted = `${canonicalIp(s.gateway)}/${m[3]}`;
    if (gw[family] === undefined) gw[family] = wanted;
    else if (gw[family] !== wanted)
      note({
        code: 'PVE_SUBNET_EXTRA',
        key: `subnets.${id}.gateway`,
        action: 'skipped',
        message: `vnet ${s.vnet} already has the ${family} gateway ${gw[family]}; one gateway per family is imported`,
      });
    out.set(s.vnet, gw);
  }
  return out;
}

export function networkFor(vnet: PveVnet, zone: PveZone, gateways: Gateways | undefined): NetworkSpec {
  const spec: NetworkSpec = { vni: Number(vnet.tag), vrf: vnet.zone };
  const mac = zone.mac?.toLowerCase();
  if (gateways?.ipv4 || gateways?.ipv6 || mac)
    spec.gateway = {
      ...(gateways?.ipv4 ? { ipv4: gateways.ipv4 } : {}),
      ...(gateways?.ipv6 ? { ipv6: gateways.ipv6 } : {}),
      ...(mac && (gateways?.ipv4 || gateways?.ipv6) ? { mac } : {}),
    };
  if (spec.gateway && Object.keys(spec.gateway).length === 0) delete spec.gateway;
  if (on(zone['disable-arp-nd-suppression'])) spec.arpNdSuppression = false;
  if (zone.mtu !== undefined) spec.mtu = Number(zone.mtu);
  return spec;
}
