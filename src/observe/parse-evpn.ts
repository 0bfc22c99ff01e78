// Pure parsers of zebra's EVPN `show ... json` output. FRR 8.4 shapes first,
// 9.0+ differences tolerated. Unknown VNI or EVPN disabled gives `{}` or no
// output at all; both parse to "nothing". Every result is sorted by VNI, then key.
import {
  asArray,
  asRecord,
  bool,
  compareNatural,
  defined,
  type JsonRecord,
  num,
  present,
  recordEntries,
  str,
} from './json-narrow.ts';

export type VniType = 'L2' | 'L3';

export interface EvpnVni {
  vni: number;
  type: VniType;
  vxlanIf: string;
  numMacs: number;
  numArpNd: number;
  /** Sorted; always [] for L3 VNIs (FRR prints numRemoteVteps "n/a"). */
  remoteVteps: string[];
  tenantVrf?: string;
}

export interface EvpnRemoteVtep {
  ip: string;
  /** 9.0+ only: "HER" (head-end replication) or "PIM". */
  flood?: string;
}

export interface EvpnVniDetail {
  vni: number;
  type: VniType;
  /** L2: `vrf` (8.4) or `tenantVrf` (9.0+); L3: `tenantVrf`. */
  tenantVrf?: string;
  vxlanIf?: string;
  sviIf?: string;
  /** L2 `vtepIp`, L3 `localVtepIp`. */
  localVtep?: string;
  numMacs?: number;
  numArpNd?: number;
  /** Sorted by ip; [] for L3. */
  remoteVteps: EvpnRemoteVtep[];
  /** L3 only. */
  state?: string;
  routerMac?: string;
  sysMac?: string;
  /** L3 only: the L2VNIs in the tenant VRF, sorted. */
  l2Vnis: number[];
}

export interface EvpnMac {
  vni: number;
  mac: string;
  type: 'local' | 'remote';
  interface?: string;
  remoteVtep?: string;
  isDuplicate: boolean;
}

export interface EvpnNeighbor {
  vni: number;
  ip: string;
  mac?: string;
  type: 'local' | 'remote';
  remoteVtep?: string;
  state?: string;
}

const byVniThen =
  <T extends { vni: number }>(key: (x: T) => string) =>
  (a: T, b: T): number =>
    a.vni - b.vni || compareNatural(key(a), key(b));

function vniType(value: unknown): VniType {
  return value === 'L3' ? 'L3' : 'L2';
}

function localOrRemote(value: unknown): 'local' | 'remote' | undefined {
  return value === 'local' || value === 'remote' ? value : undefined;
}

// Remote VTEPs arrive as ["ip", ...] (8.4) or [{ip, flood}, ...] (9.0+).
function remoteVtepList(value: unknown): EvpnRemoteVtep[] {
  const out: EvpnRemoteVtep[] = [];
  for (const item of asArray(value)) {
    const rec = asRecord(item);
    const ip = rec ? str(rec.ip) : str(item);
    if (ip !== undefined) out.push(defined({ ip, flood: rec ? str(rec.flood) : undefined }));
  }
  return out.sort((a, b) => compareNatural(a.ip, b.ip));
}

/** `show evpn vni json`: {"<vni>": {vni, type, vxlanIf, numMacs, ...}}. */
export function parseEvpnVnis(json: unknown): EvpnVni[] {
  const out: EvpnVni[] = [];
  for (const [key, v] of recordEntries(asRecord(json) ?? {})) {
    const vni = num(v.vni) ?? num(key);
    if (vni === undefined) continue;
    const type = vniType(v.type);
    out.push(
      defined({
        vni,
        type,
        vxlanIf: present(v.vxlanIf) ?? '',
        numMacs: num(v.numMacs) ?? 0,
        numArpNd: num(v.numArpNd) ?? 0,
        remoteVteps: type === 'L3' ? [] : remoteVtepList(v.remoteVteps).map((r) => r.ip),
        tenantVrf: str(v.tenantVrf),
      }),
    );
  }
  return out.sort((a, b) => a.vni - b.vni);
}

function detailFrom(v: JsonRecord): EvpnVniDetail | undefined {
  const vni = num(v.vni);
  if (vni === undefined) return undefined;
  const type = vniType(v.type);
  // 8.4 lists the VTEP IPs in numRemoteVteps; 9.0+ has a count there and the list in remoteVteps.
  const vteps = Array.isArray(v.numRemoteVteps) ? v.numRemoteVteps : v.remoteVteps;
  return defined({
    vni,
    type,
    tenantVrf: str(v.tenantVrf) ?? str(v.vrf),
    vxlanIf: present(v.vxlanInterface) ?? present(v.vxlanIntf) ?? present(v.vxlanIf),
    sviIf: present(v.sviInterface) ?? present(v.sviIntf),
    localVtep: str(v.vtepIp) ?? str(v.localVtepIp),
    numMacs: num(v.numMacs),
    numArpNd: num(v.numArpNd),
    remoteVteps: type === 'L3' ? [] : remoteVtepList(vteps),
    state: str(v.state),
    routerMac: present(v.routerMac),
    sysMac: present(v.sysMac),
    l2Vnis: asArray(v.l2Vnis)
      .map(num)
      .filter((n): n is number => n !== undefined)
      .sort((a, b) => a - b),
  });
}

/** `show evpn vni <N> json`; undefined for `{}` (unknown VNI) or no output. */
export function parseEvpnVniDetail(json: unknown): EvpnVniDetail | undefined {
  const rec = asRecord(json);
  return rec ? detailFrom(rec) : undefined;
}

/** `show evpn vni detail json`: an array of the per-VNI detail objects. */
export function parseEvpnVniDetails(json: unknown): EvpnVniDetail[] {
  return asArray(json)
    .map((item) => {
      const rec = asRecord(item);
      return rec ? detailFrom(rec) : undefined;
    })
    .filter((d): d is EvpnVniDetail => d !== undefined)
    .sort((a, b) => a.vni - b.vni);
}

// The "vni all" commands key by VNI; the single-VNI forms print one VNI's
// object bare (recognized by `marker`), so the caller must say which VNI.
export function perVni(
  json: unknown,
  marker: string,
  vni: number | undefined,
  what: string,
): Array<[number, JsonRecord]> {
  const rec = asRecord(json);
  if (!rec) return [];
  if (marker in rec) {
    if (vni === undefined) throw new Error(`${what}: single-VNI output needs the vni argument`);
    return [[vni, rec]];
  }
  const out: Array<[number, JsonRecord]> = [];
  for (const [key, inner] of recordEntries(rec)) {
    const n = num(key);
    if (n !== undefined) out.push([n, inner]);
  }
  return out;
}

/**
 * `show evpn mac vni all json` (or `show evpn mac vni <N> json` with `vni`).
 * Entries that are neither local nor remote are left out.
 */
export function parseEvpnMacs(json: unknown, vni?: number): EvpnMac[] {
  const out: EvpnMac[] = [];
  for (const [n, v] of perVni(json, 'macs', vni, 'parseEvpnMacs')) {
    // recordEntries skips scalars: a master bug (FRR PR 23321) printed numMacs inside macs.
    for (const [mac, m] of recordEntries(asRecord(v.macs) ?? {})) {
      const type = localOrRemote(m.type);
      if (!type) continue;
      out.push(
        defined({
          vni: n,
          mac,
          type,
          interface: str(m.intf),
          remoteVtep: str(m.remoteVtep),
          isDuplicate: bool(m.isDuplicate) ?? false,
        }),
      );
    }
  }
  return out.sort(byVniThen((m) => m.mac));
}

/**
 * `show evpn arp-cache vni all json` (or `... vni <N> json` with `vni`):
 * per VNI, neighbor IPs are keys next to the numArpNd counter.
 */
export function parseEvpnArpCache(json: unknown, vni?: number): EvpnNeighbor[] {
  const out: EvpnNeighbor[] = [];
  for (const [n, v] of perVni(json, 'numArpNd', vni, 'parseEvpnArpCache')) {
    for (const [ip, e] of recordEntries(v)) {
      const type = localOrRemote(e.type);
      if (!type) continue;
      out.push(
        defined({
          vni: n,
          ip,
          mac: str(e.mac),
          type,
          remoteVtep: str(e.remoteVtep),
          state: str(e.state),
        }),
      );
    }
  }
  return out.sort(byVniThen((e) => e.ip));
}
