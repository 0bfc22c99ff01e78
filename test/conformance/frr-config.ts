// FRR configuration text as facts, for comparing two configurations by what
// they do rather than how they are written (the Proxmox SDN conformance
// harness): blocks by context, then per BGP instance its neighbors with their
// peer groups expanded, and per address family what each neighbor gets.

// One top-level context (`router bgp 65000`, `vrf red`, `route-map X permit 1`,
// or a one-line statement such as `ip prefix-list ...`): its own lines, and
// its sub-contexts (`address-family ...`, `vni N`) with theirs.
export interface FrrBlock {
  header: string;
  lines: string[];
  children: FrrBlock[];
}

const CLOSERS = /^(exit|exit-vrf|exit-address-family|end)$/;
const SUB_CONTEXT = /^(address-family |profile )/;

// `vni N` inside an address family opens a third level (up to `exit-vni`):
// its lines are kept in the family's, prefixed `vni N: `.
export function parseFrrConfig(text: string): FrrBlock[] {
  const blocks: FrrBlock[] = [];
  let top: FrrBlock | undefined;
  let sub: FrrBlock | undefined;
  let vni: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('!')) continue;
    if (!/^\s/.test(line)) {
      sub = undefined;
      vni = undefined;
      top = CLOSERS.test(trimmed) ? undefined : { header: trimmed, lines: [], children: [] };
      if (top) blocks.push(top);
      continue;
    }
    if (!top) continue;
    if (trimmed === 'exit-vni') vni = undefined;
    else if (CLOSERS.test(trimmed)) {
      sub = undefined;
      vni = undefined;
    } else if (SUB_CONTEXT.test(trimmed) && !sub) {
      sub = { header: trimmed, lines: [], children: [] };
      top.children.push(sub);
    } else if (sub && /^vni \d+$/.test(trimmed)) vni = trimmed;
    else (sub ?? top).lines.push(vni ? `${vni}: ${trimmed}` : trimmed);
  }
  return blocks;
}

export interface BgpNeighbor {
  remoteAs?: string; // a number, internal or external
  options: string[]; // bfd, update-source X, ebgp-multihop N, ... (sorted)
  families: Record<string, string[]>; // address family -> activate, route-map X in, ... (sorted)
}

export interface BgpInstance {
  asn: string;
  vrf?: string;
  settings: string[]; // instance lines other than neighbors (sorted)
  neighbors: Record<string, BgpNeighbor>; // by address or interface, peer groups expanded away
  families: Record<string, string[]>; // address family -> its lines that are not about neighbors (sorted)
}

// `router bgp ASN [vrf NAME]` blocks, with every peer group's settings copied
// onto its members (a member's own setting wins) and the groups dropped.
export function bgpInstances(blocks: FrrBlock[]): BgpInstance[] {
  return blocks
    .filter((b) => /^router bgp \d+/.test(b.header))
    .map((b) => {
      const [, asn = '', vrf] = /^router bgp (\d+)(?: vrf (\S+))?/.exec(b.header) ?? [];
      const groups = new Set<string>();
      const memberOf = new Map<string, string>();
      const own = new Map<string, string[]>();
      const settings: string[] = [];
      for (const line of b.lines) {
        const m = /^neighbor (\S+) (.*)$/.exec(line);
        if (!m) {
          settings.push(line);
          continue;
        }
        const [, who = '', rest = ''] = m;
        if (rest === 'peer-group') groups.add(who);
        else if (/^(interface )?peer-group \S+$/.test(rest)) {
          // FRR refuses to move a member into a second group: the first stays
          if (!memberOf.has(who)) memberOf.set(who, rest.split(' ').pop() as string);
          if (rest.startsWith('interface ')) add(own, who, 'interface');
        } else add(own, who, rest);
      }
      const familyLines = new Map<string, Map<string, string[]>>();
      const families: Record<string, string[]> = {};
      for (const af of b.children.filter((c) => c.header.startsWith('address-family '))) {
        const name = af.header.slice('address-family '.length);
        const per = new Map<string, string[]>();
        const rest: string[] = [];
        for (const line of af.lines) {
          const m = /^neighbor (\S+) (.*)$/.exec(line);
          if (m) add(per, m[1] as string, m[2] as string);
          else rest.push(line);
        }
        familyLines.set(name, per);
        if (rest.length > 0) families[name] = rest.sort();
      }
      const neighbors: Record<string, BgpNeighbor> = {};
      const names = new Set([...own.keys(), ...memberOf.keys()].filter((n) => !groups.has(n)));
      for (const n of [...names].sort()) {
        const group = memberOf.get(n);
        const lines = [...(group ? (own.get(group) ?? []) : []), ...(own.get(n) ?? [])];
        const remote = lines.filter((l) => l.startsWith('remote-as ')).pop();
        const options = [...new Set(lines.filter((l) => !l.startsWith('remote-as ')))].sort();
        const nFamilies: Record<string, string[]> = {};
        for (const [af, per] of familyLines) {
          const got = [...(group ? (per.get(group) ?? []) : []), ...(per.get(n) ?? [])];
          if (got.length > 0) nFamilies[af] = [...new Set(got)].sort();
        }
        neighbors[n] = {
          ...(remote ? { remoteAs: remote.slice('remote-as '.length) } : {}),
          options,
          families: nFamilies,
        };
      }
      return { asn, ...(vrf ? { vrf } : {}), settings: settings.sort(), neighbors, families };
    });
}

function add(map: Map<string, string[]>, key: string, value: string): void {
  map.set(key, [...(map.get(key) ?? []), value]);
}
