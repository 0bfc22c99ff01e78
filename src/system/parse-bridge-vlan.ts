// Pure parsers of the bridge VLAN views the single VXLAN device needs:
// `bridge -j -d vlan show` (VLANs per port and on the bridge itself, PVID,
// untagged, per-VLAN neigh_suppress on Linux >= 6.6), `bridge -j vlan
// tunnelshow` (VLAN -> VNI on a VXLAN port) and `bridge -j vni show` (a
// vnifilter device's VNIs). Ranges (vlanEnd, tunidEnd, vniEnd) are expanded.
export interface PortVlan {
  vid: number;
  pvid: boolean;
  untagged: boolean;
  neighSuppress?: boolean; // only where the kernel reports it per VLAN
}

export interface VlanTunnel {
  vid: number;
  vni: number;
}

export interface BridgeVlans {
  vlans: Record<string, PortVlan[]>; // by interface name (ports and bridges)
  tunnels: Record<string, VlanTunnel[]>; // by VXLAN port
  vnis: Record<string, number[]>; // by vnifilter VXLAN device
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

export function emptyBridgeVlans(): BridgeVlans {
  return { vlans: {}, tunnels: {}, vnis: {} };
}

// [{ifname, <key>: [...]}] -> ifname -> entries. Empty output means none.
function perInterface(json: unknown, key: string): [string, Rec[]][] {
  if (!Array.isArray(json)) return [];
  const out: [string, Rec[]][] = [];
  for (const entry of json) {
    if (!isRec(entry) || typeof entry.ifname !== 'string' || !Array.isArray(entry[key])) continue;
    out.push([entry.ifname, (entry[key] as unknown[]).filter(isRec)]);
  }
  return out;
}

// start..end of a (possibly compressed) entry, capped so a bad range cannot explode.
function span(start: number, end: number | undefined): number[] {
  const last = end !== undefined && end >= start && end - start < 4096 ? end : start;
  return Array.from({ length: last - start + 1 }, (_, i) => start + i);
}

export function parseVlanShow(json: unknown): Record<string, PortVlan[]> {
  const out: Record<string, PortVlan[]> = {};
  for (const [ifname, entries] of perInterface(json, 'vlans')) {
    const vlans: PortVlan[] = [];
    for (const e of entries) {
      const vid = num(e.vlan);
      if (vid === undefined) continue;
      const flags = Array.isArray(e.flags) ? e.flags : [];
      for (const v of span(vid, num(e.vlanEnd)))
        vlans.push({
          vid: v,
          pvid: flags.includes('PVID'),
          untagged: flags.includes('Egress Untagged'),
          ...(typeof e.neigh_suppress === 'boolean' ? { neighSuppress: e.neigh_suppress } : {}),
        });
    }
    out[ifname] = [...(out[ifname] ?? []), ...vlans];
  }
  return out;
}

export function parseTunnelShow(json: unknown): Record<string, VlanTunnel[]> {
  const out: Record<string, VlanTunnel[]> = {};
  for (const [ifname, entries] of perInterface(json, 'tunnels')) {
    const tunnels: VlanTunnel[] = [];
    for (const e of entries) {
      const vid = num(e.vlan);
      const vni = num(e.tunid);
      if (vid === undefined || vni === undefined) continue;
      span(vid, num(e.vlanEnd)).forEach((v, i) => {
        tunnels.push({ vid: v, vni: vni + i });
      });
    }
    out[ifname] = [...(out[ifname] ?? []), ...tunnels];
  }
  return out;
}

export function parseVniShow(json: unknown): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [ifname, entries] of perInterface(json, 'vnis')) {
    const vnis: number[] = [];
    for (const e of entries) {
      const vni = num(e.vni);
      if (vni !== undefined) vnis.push(...span(vni, num(e.vniEnd)));
    }
    out[ifname] = [...(out[ifname] ?? []), ...vnis];
  }
  return out;
}

// The three views as parsed JSON, in the order vlan show, tunnelshow, vni show.
export function parseBridgeVlans(vlanShow: unknown, tunnelShow: unknown, vniShow: unknown): BridgeVlans {
  return { vlans: parseVlanShow(vlanShow), tunnels: parseTunnelShow(tunnelShow), vnis: parseVniShow(vniShow) };
}
