// Pure parser of `ip -j -d addr show` (a superset of `ip -j -d link show`):
// the fields the device diff and the status reader need, for every link.
export interface ObservedLink {
  name: string;
  kind: string; // bridge | vxlan | veth | ... ('' for plain devices)
  mtu: number;
  up: boolean; // administratively up (IFF_UP)
  operUp: boolean;
  master?: string;
  alias?: string;
  address?: string;
  addrGenMode?: string; // IPv6 link-local generation: eui64 | none | ...
  vxlan?: { vni: number; local?: string; dstport: number; learning: boolean; vnifilter?: boolean };
  bridgePort?: { learning: boolean; neighSuppress: boolean; vlanTunnel?: boolean; neighVlanSuppress?: boolean };
  vlanFiltering?: boolean; // kind bridge: VLAN-aware
  vlan?: { id: number; link?: string }; // kind vlan: its VLAN id and lower device
  vrfTable?: number; // kind vrf: its routing table
  peer?: string; // kind veth: the other end, when it is in the same namespace
  addresses?: string[]; // CIDRs, link-local ones included (only when read with `addr show`)
}

function parseAddresses(raw: unknown): string[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: string[] = [];
  for (const a of raw) {
    if (!isRec(a) || typeof a.local !== 'string' || typeof a.prefixlen !== 'number') continue;
    out.push(`${a.local}/${a.prefixlen}`);
  }
  return out;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

// vlan_tunnel and neigh_vlan_suppress only where set: older kernels lack the latter.
function bridgePort(slave: Rec): NonNullable<ObservedLink['bridgePort']> {
  return {
    learning: slave.learning === true,
    neighSuppress: slave.neigh_suppress === true,
    ...(slave.vlan_tunnel === true ? { vlanTunnel: true } : {}),
    ...(slave.neigh_vlan_suppress === true ? { neighVlanSuppress: true } : {}),
  };
}

function parseLink(raw: Rec): ObservedLink | undefined {
  if (typeof raw.ifname !== 'string') return undefined;
  const info = isRec(raw.linkinfo) ? raw.linkinfo : {};
  const data = isRec(info.info_data) ? info.info_data : undefined;
  const slave = info.info_slave_kind === 'bridge' && isRec(info.info_slave_data) ? info.info_slave_data : undefined;
  const flags = Array.isArray(raw.flags) ? raw.flags : [];
  const kind = typeof info.info_kind === 'string' ? info.info_kind : '';
  const link: ObservedLink = {
    name: raw.ifname,
    kind,
    mtu: typeof raw.mtu === 'number' ? raw.mtu : 0,
    up: flags.includes('UP'),
    operUp: raw.operstate === 'UP' || (flags.includes('UP') && flags.includes('LOWER_UP')),
  };
  if (typeof raw.master === 'string') link.master = raw.master;
  if (typeof raw.ifalias === 'string') link.alias = raw.ifalias;
  if (typeof raw.address === 'string') link.address = raw.address;
  if (typeof raw.inet6_addr_gen_mode === 'string') link.addrGenMode = raw.inet6_addr_gen_mode;
  if (kind === 'vxlan' && data) {
    link.vxlan = {
      vni: typeof data.id === 'number' ? data.id : Number(data.id),
      ...(typeof data.local === 'string'
        ? { local: data.local }
        : typeof data.local6 === 'string'
          ? { local: data.local6 }
          : {}),
      dstport: typeof data.port === 'number' ? data.port : 0,
      learning: data.learning === true,
      ...(data.vnifilter === true ? { vnifilter: true } : {}),
    };
  }
  if (kind === 'bridge' && data?.vlan_filtering === 1) link.vlanFiltering = true;
  if (kind === 'vlan' && data && typeof data.id === 'number')
    link.vlan = { id: data.id, ...(typeof raw.link === 'string' ? { link: raw.link } : {}) };
  if (kind === 'vrf' && data && typeof data.table === 'number') link.vrfTable = data.table;
  if (kind === 'veth' && typeof raw.link === 'string') link.peer = raw.link;
  const addresses = parseAddresses(raw.addr_info);
  if (addresses) link.addresses = addresses;
  if (slave) link.bridgePort = bridgePort(slave);
  return link;
}

export function parseIpLinks(json: string): ObservedLink[] {
  const parsed: unknown = JSON.parse(json || '[]');
  if (!Array.isArray(parsed)) throw new Error('ip -j link: expected a JSON array');
  return parsed
    .filter(isRec)
    .map(parseLink)
    .filter((l): l is ObservedLink => l !== undefined);
}
