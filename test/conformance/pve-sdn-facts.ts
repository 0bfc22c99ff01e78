// The facts the Proxmox conformance harness compares so far, from either
// side: Proxmox's expected frr.conf + interfaces.d/sdn, or this daemon's
// rendered frr.conf + device plan for the same node. Names differ by design
// (vrf_<zone> vs the VRF's name, vxlan_<vnet> vs vxlan<VNI>), so the facts
// are keyed by what does not: VNIs and peer addresses.
import { parseInterfaces } from '../../src/import/pve-input.ts';
import type { DevicePlan } from '../../src/render/device-plan.ts';
import type { SnatRule } from '../../src/render/nft-snat.ts';
import { formatIp, networkAddress, parseCidr } from '../../src/resources/cidr.ts';
import { bgpInstances, type FrrBlock, parseFrrConfig } from './frr-config.ts';
import { applyRouteMap, type TestRoute } from './route-policy.ts';

export interface CaseFacts {
  evpnPeers: string[]; // addresses activated in l2vpn evpn of the default instance, sorted
  l3vnis: number[]; // `vrf X` / `vni N`, sorted
  vrfs: Record<number, string>; // L3VNI -> its BGP instance's family lines, and the families leaked into the default instance
  vxlans: Record<number, string>; // VNI -> "local A, port P, learning off, suppress on, mtu M"
  bridges: Record<string, string>; // vnet bridge -> "addresses ..., mac M|any, mtu M, L3VNI N|none"
  policies: Record<string, string>; // "<EVPN peer> in|out" -> what its route-map does to each test route
  routes: Record<string, string[]>; // "default" | "VRF <L3VNI>" -> static routes ("P blackhole", "P via NH dev X")
  snat: string[]; // "SUBNET via DEV to ADDRESS", sorted
  veths: Record<string, string>; // "VRF <L3VNI>" -> its local-routing veth pair: addresses and MTUs of both ends
}

// `vrf NAME` / `vni N` of an FRR config: VRF name -> L3VNI.
export function vrfVnis(frr: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const b of parseFrrConfig(frr).filter((x) => x.header.startsWith('vrf '))) {
    const vni = b.lines.find((l) => /^vni \d+$/.test(l));
    if (vni) out.set(b.header.slice(4), Number(vni.slice(4)));
  }
  return out;
}

const bridgeFact = (b: { addresses: string[]; mac?: string; mtu?: number; l3vni?: number }) =>
  `addresses ${b.addresses.join(' ') || '-'}, mac ${b.mac ?? 'any'}, mtu ${b.mtu ?? '-'}, L3VNI ${b.l3vni ?? 'none'}`;

// Proxmox's vnet bridges (bridge_ports vxlan_<vnet>). Without hwaddress the
// bridge keeps whatever MAC it gets: "any".
export function pveBridges(interfaces: string, vnis: Map<string, number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const stanza of parseInterfaces(interfaces).values()) {
    const opt = (k: string) => stanza.options.find(([key]) => key === k)?.[1];
    if (!opt('bridge_ports')?.startsWith('vxlan_')) continue;
    const vrf = opt('vrf');
    const mac = opt('hwaddress')?.toLowerCase();
    const mtu = opt('mtu');
    const l3vni = vrf ? vnis.get(vrf) : undefined;
    out[stanza.name] = bridgeFact({
      addresses: stanza.options
        .filter(([k]) => k === 'address')
        .map(([, v]) => v)
        .sort(),
      ...(mac ? { mac } : {}),
      ...(mtu ? { mtu: Number(mtu) } : {}),
      ...(l3vni !== undefined ? { l3vni } : {}),
    });
  }
  return out;
}

// The daemon's network bridges (not the L3VNI ones), their link-local
// addresses left out (Proxmox's file has none; the kernel makes one anyway).
export function planBridges(plan: DevicePlan, vnis: Map<string, number>, pveMacs: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of plan.devices) {
    if (d.kind !== 'bridge' || !d.owner.includes('EVPNNetwork/')) continue;
    const l3vni = d.master ? vnis.get(d.master) : undefined;
    out[d.name] = bridgeFact({
      addresses: (d.addresses ?? []).filter((a) => !a.startsWith('fe80:')).sort(),
      ...(d.mac && pveMacs.has(d.name) ? { mac: d.mac } : {}),
      mtu: d.mtu,
      ...(l3vni !== undefined ? { l3vni } : {}),
    });
  }
  return out;
}

export function frrFacts(frr: string): Pick<CaseFacts, 'evpnPeers' | 'l3vnis' | 'vrfs' | 'routes'> {
  const blocks = parseFrrConfig(frr);
  const main = bgpInstances(blocks).find((i) => i.vrf === undefined);
  const evpnPeers = Object.entries(main?.neighbors ?? {})
    .filter(([, n]) => n.families['l2vpn evpn']?.includes('activate'))
    .map(([a]) => a)
    .sort();
  const l3vnis = blocks
    .filter((b) => b.header.startsWith('vrf '))
    .flatMap((b) => b.lines.filter((l) => /^vni \d+$/.test(l)).map((l) => Number(l.slice(4))))
    .sort((a, b) => a - b);
  return { evpnPeers, l3vnis, vrfs: vrfFacts(frr), routes: staticRoutes(blocks) };
}

// A prefix as its network (Proxmox writes 192.168.0.1/24 as it was typed).
const network = (p: string) => {
  const c = parseCidr(p);
  return c ? `${formatIp(c.family, networkAddress(c))}/${c.prefix}` : p;
};

// One static route (`ip route P ...` / `ipv6 route P ...`) as a fact: its
// prefix and where it goes; the administrative distance is left out (it only
// orders routes to one prefix, and the unreachable defaults are the last
// resort on either side: kernel metric 4278198272 there, distance 250 here).
function routeFact(line: string): string | undefined {
  const m = /^ipv?6? route (\S+) (.+)$/.exec(line);
  if (!m) return undefined;
  const [, prefix = '', rest = ''] = m;
  const words = rest.split(' ').filter((w) => !/^\d+$/.test(w));
  const [hop = '', dev] = words;
  const target = /^(null0|blackhole)$/i.test(hop)
    ? 'blackhole'
    : hop === 'reject'
      ? 'unreachable'
      : `via ${hop}${dev ? ` dev ${dev}` : ''}`;
  return `${network(prefix)} ${target}`;
}

// Static routes of the default table (top-level lines) and of each VRF with
// an L3VNI (its `vrf` block), by L3VNI.
function staticRoutes(blocks: FrrBlock[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (key: string, fact: string | undefined) => {
    if (fact) out[key] = [...(out[key] ?? []), fact].sort();
  };
  for (const b of blocks) {
    if (b.header.startsWith('vrf ')) {
      const vni = b.lines.find((l) => /^vni \d+$/.test(l));
      for (const l of b.lines) if (vni) add(`VRF ${vni.slice(4)}`, routeFact(l));
    } else add('default', routeFact(b.header));
  }
  return out;
}

// Proxmox's interfaces.d/sdn keeps the VRF's unreachable default in the VRF
// stanza (`post-up ip route add vrf X unreachable default metric M`; exit
// nodes `del` it): the same fact as an FRR reject route.
export function pveUnreachables(interfaces: string, vnis: Map<string, number>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const stanza of parseInterfaces(interfaces).values()) {
    const vni = vnis.get(stanza.name);
    const add = stanza.options.some(
      ([k, v]) => k === 'post-up' && /^ip route add vrf \S+ unreachable default\b/.test(v),
    );
    if (vni !== undefined && add) out[`VRF ${vni}`] = ['0.0.0.0/0 unreachable'];
  }
  return out;
}

// Both sides' static routes, merged per table.
export function mergeRoutes(...parts: Record<string, string[]>[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p)) out[k] = [...(out[k] ?? []), ...v].sort();
  return out;
}

// The test routes for a fabric of ASN `asn` with these L3VNIs: per VRF its
// type-5 defaults and a type-5 subnet, and a type-2 route, each carrying the
// VRF's automatic route target (what the other nodes export).
export function testRoutes(asn: string, vnis: number[]): TestRoute[] {
  return vnis.flatMap((vni) => {
    const rts = [`${asn}:${vni}`];
    return [
      { label: `VRF ${vni} type-5 0.0.0.0/0`, type: 'prefix', prefix: '0.0.0.0/0', rts },
      { label: `VRF ${vni} type-5 ::/0`, type: 'prefix', prefix: '::/0', rts },
      { label: `VRF ${vni} type-5 198.51.100.0/24`, type: 'prefix', prefix: '198.51.100.0/24', rts },
      { label: `VRF ${vni} type-2`, type: 'macip', rts },
    ] satisfies TestRoute[];
  });
}

// What each EVPN session's inbound and outbound route-maps do to the test routes.
export function policyFacts(frr: string, routes: TestRoute[]): Record<string, string> {
  const blocks = parseFrrConfig(frr);
  const main = bgpInstances(blocks).find((i) => i.vrf === undefined);
  const out: Record<string, string> = {};
  for (const [peer, n] of Object.entries(main?.neighbors ?? {})) {
    const evpn = n.families['l2vpn evpn'] ?? [];
    if (!evpn.includes('activate')) continue;
    for (const dir of ['in', 'out'] as const) {
      const map = evpn.map((l) => new RegExp(`^route-map (\\S+) ${dir}$`).exec(l)?.[1]).find(Boolean);
      out[`${peer} ${dir}`] = routes.map((r) => `${r.label}: ${applyRouteMap(blocks, map, r)}`).join('; ');
    }
  }
  return out;
}

// Per VRF (by its L3VNI, as the names differ): what its BGP instance says per
// address family, and into which families of the default instance it is leaked.
function vrfFacts(frr: string): Record<number, string> {
  const blocks = parseFrrConfig(frr);
  const instances = bgpInstances(blocks);
  const main = instances.find((i) => i.vrf === undefined);
  const out: Record<number, string> = {};
  for (const b of blocks.filter((x) => x.header.startsWith('vrf '))) {
    const name = b.header.slice(4);
    const vni = b.lines.find((l) => /^vni \d+$/.test(l));
    if (!vni) continue;
    const inst = instances.find((i) => i.vrf === name);
    // an automatic route target (none configured) is written out as FRR derives it: ASN:VNI
    const evpn = inst?.families['l2vpn evpn'] ?? [];
    const auto = (dir: string) =>
      evpn.some((l) => l.startsWith(`route-target ${dir} `))
        ? []
        : [`route-target ${dir} ${inst?.asn}:${vni.slice(4)}`];
    const withRts = { ...inst?.families, 'l2vpn evpn': [...evpn, ...auto('import'), ...auto('export')].sort() };
    const families = Object.entries(withRts)
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([af, lines]) => `${af}: ${lines.join(', ')}`);
    const leaked = Object.entries(main?.families ?? {})
      .filter(([, lines]) => lines.includes(`import vrf ${name}`))
      .map(([af]) => af)
      .sort();
    out[Number(vni.slice(4))] = [...families, `leaked into ${leaked.join(', ') || 'nothing'}`].join('; ');
  }
  return out;
}

const vxlanFact = (v: { local?: string; port: number; learning: boolean; suppress: boolean; mtu?: number }) =>
  `local ${v.local ?? '-'}, port ${v.port}, learning ${v.learning ? 'on' : 'off'}, suppress ${v.suppress ? 'on' : 'off'}, mtu ${v.mtu ?? '-'}`;

// Proxmox's interfaces.d/sdn: every stanza with a vxlan-id.
export function pveVxlans(interfaces: string): Record<number, string> {
  const out: Record<number, string> = {};
  for (const stanza of parseInterfaces(interfaces).values()) {
    const opt = (k: string) => stanza.options.find(([key]) => key === k)?.[1];
    const vni = opt('vxlan-id');
    if (vni === undefined) continue;
    const mtu = opt('mtu');
    out[Number(vni)] = vxlanFact({
      ...(opt('vxlan-local-tunnelip') ? { local: opt('vxlan-local-tunnelip') } : {}),
      port: Number(opt('vxlan-port') ?? 4789),
      learning: opt('bridge-learning') !== 'off',
      suppress: opt('bridge-arp-nd-suppress') === 'on',
      ...(mtu ? { mtu: Number(mtu) } : {}),
    });
  }
  return out;
}

// The daemon's device plan: every VXLAN device (per-VNI devices only so far).
export function planVxlans(plan: DevicePlan): Record<number, string> {
  const out: Record<number, string> = {};
  for (const d of plan.devices)
    if (d.kind === 'vxlan')
      out[d.vni] = vxlanFact({
        local: d.local,
        port: d.dstport,
        learning: d.learning,
        suppress: d.neighSuppress,
        mtu: d.mtu,
      });
  return out;
}

// Each fact that differs, as one line.
export function factDifferences(pve: CaseFacts, ours: CaseFacts): string[] {
  const diffs: string[] = [];
  if (pve.evpnPeers.join() !== ours.evpnPeers.join())
    diffs.push(`EVPN peers: Proxmox ${pve.evpnPeers.join(' ') || '-'}, ours ${ours.evpnPeers.join(' ') || '-'}`);
  if (pve.l3vnis.join() !== ours.l3vnis.join())
    diffs.push(`L3VNIs: Proxmox ${pve.l3vnis.join(' ') || '-'}, ours ${ours.l3vnis.join(' ') || '-'}`);
  for (const vni of [...new Set([...Object.keys(pve.vrfs), ...Object.keys(ours.vrfs)].map(Number))].sort(
    (a, b) => a - b,
  ))
    if (pve.vrfs[vni] !== ours.vrfs[vni])
      diffs.push(`VRF ${vni}: Proxmox ${pve.vrfs[vni] ?? 'none'}; ours ${ours.vrfs[vni] ?? 'none'}`);
  for (const name of [...new Set([...Object.keys(pve.bridges), ...Object.keys(ours.bridges)])].sort())
    if (pve.bridges[name] !== ours.bridges[name])
      diffs.push(`bridge ${name}: Proxmox ${pve.bridges[name] ?? 'none'}; ours ${ours.bridges[name] ?? 'none'}`);
  const vnis = [...new Set([...Object.keys(pve.vxlans), ...Object.keys(ours.vxlans)].map(Number))].sort(
    (a, b) => a - b,
  );
  for (const vni of vnis)
    if (pve.vxlans[vni] !== ours.vxlans[vni])
      diffs.push(`VXLAN ${vni}: Proxmox ${pve.vxlans[vni] ?? 'none'}; ours ${ours.vxlans[vni] ?? 'none'}`);
  for (const key of [...new Set([...Object.keys(pve.policies), ...Object.keys(ours.policies)])].sort())
    if (pve.policies[key] !== ours.policies[key])
      diffs.push(`policy ${key}: Proxmox ${pve.policies[key] ?? 'none'}; ours ${ours.policies[key] ?? 'none'}`);
  for (const key of [...new Set([...Object.keys(pve.veths), ...Object.keys(ours.veths)])].sort())
    if (pve.veths[key] !== ours.veths[key])
      diffs.push(`veth pair of ${key}: Proxmox ${pve.veths[key] ?? 'none'}; ours ${ours.veths[key] ?? 'none'}`);
  for (const r of pve.snat.filter((x) => !ours.snat.includes(x))) diffs.push(`snat ${r} only in Proxmox`);
  for (const r of ours.snat.filter((x) => !pve.snat.includes(x))) diffs.push(`snat ${r} only in ours`);
  for (const table of [...new Set([...Object.keys(pve.routes), ...Object.keys(ours.routes)])].sort()) {
    const theirs = new Set(pve.routes[table] ?? []);
    const mine = new Set(ours.routes[table] ?? []);
    for (const r of theirs) if (!mine.has(r)) diffs.push(`${table}: route ${r} only in Proxmox`);
    for (const r of mine) if (!theirs.has(r)) diffs.push(`${table}: route ${r} only in ours`);
  }
  return diffs;
}

// Proxmox's SNAT: the `post-up iptables|ip6tables -t nat -A POSTROUTING -s
// 'CIDR' -o DEV -j SNAT --to-source ADDR` lines of the vnet stanzas.
export function pveSnat(interfaces: string): string[] {
  const out: string[] = [];
  for (const stanza of parseInterfaces(interfaces).values())
    for (const [k, v] of stanza.options) {
      const m = /^ip6?tables -t nat -A POSTROUTING -s '([^']+)' -o (\S+) -j SNAT --to-source (\S+)$/.exec(v);
      if (k === 'post-up' && m) out.push(`${network(m[1] as string)} via ${m[2]} to ${m[3]}`);
    }
  return out.sort();
}

// The daemon's SNAT rules for the same node, its default route mocked as the
// fixtures' route lookup answers: vmbr0 and its address of each family.
export function ourSnat(rules: SnatRule[]): string[] {
  return rules.map((r) => `${r.source} via ${r.interface} to ${r.to}`).sort();
}

const vethFact = (
  host: { address?: string; mtu?: string | number },
  vrf: { address?: string; mtu?: string | number },
) => `host end ${host.address ?? '-'} mtu ${host.mtu ?? '-'}, VRF end ${vrf.address ?? '-'} mtu ${vrf.mtu ?? '-'}`;

// Proxmox's local-routing veth pairs (link-type veth): the end with `vrf X`
// is in the VRF, its veth-peer-name the host end.
export function pveVeths(interfaces: string, vnis: Map<string, number>): Record<string, string> {
  const stanzas = parseInterfaces(interfaces);
  const out: Record<string, string> = {};
  for (const s of stanzas.values()) {
    const opt = (st: typeof s | undefined, k: string) => st?.options.find(([key]) => key === k)?.[1];
    const vrf = opt(s, 'vrf');
    const vni = vrf ? vnis.get(vrf) : undefined;
    if (opt(s, 'link-type') !== 'veth' || vni === undefined) continue;
    const host = stanzas.get(opt(s, 'veth-peer-name') ?? '');
    out[`VRF ${vni}`] = vethFact(
      { address: opt(host, 'address'), mtu: opt(host, 'mtu') },
      { address: opt(s, 'address'), mtu: opt(s, 'mtu') },
    );
  }
  return out;
}

// The daemon's veth pairs, from the device plan.
export function planVeths(plan: DevicePlan, vnis: Map<string, number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of plan.devices) {
    if (d.kind !== 'veth' || !d.master) continue;
    const vni = vnis.get(d.master);
    const host = plan.devices.find((x) => x.name === d.peer && x.kind === 'veth');
    if (vni === undefined || host?.kind !== 'veth') continue;
    out[`VRF ${vni}`] = vethFact(
      { address: host.addresses[0], mtu: host.mtu },
      { address: d.addresses[0], mtu: d.mtu },
    );
  }
  return out;
}

// Proxmox names a zone's devices after the zone (xvrf_<zone>), the daemon
// after its L3VNI (xvrf<L3VNI>): route facts name them the daemon's way.
export function renameZoneDevices(
  routes: Record<string, string[]>,
  vnis: Map<string, number>,
): Record<string, string[]> {
  const rename = (fact: string) =>
    fact.replace(/ dev xvrf_(\S+)$/, (whole, zone: string) => {
      const vni = vnis.get(`vrf_${zone}`);
      return vni === undefined ? whole : ` dev xvrf${vni}`;
    });
  return Object.fromEntries(Object.entries(routes).map(([k, v]) => [k, v.map(rename).sort()]));
}
