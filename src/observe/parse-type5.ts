// Pure parser of EVPN type-5 (IP prefix) routes from bgpd:
// `show bgp l2vpn evpn route type prefix json` (8.4: keyed by RD, then
// "[5]:[0]:[24]:[10.1.0.0]", `paths` an array of arrays) and the newer/other
// shapes of the same data (`show bgp l2vpn evpn json`, `... rd X json`: flat
// `paths`, `pathCount`, top-level counters and router-id next to the RDs).
import { isIP } from 'node:net';
import { asArray, asRecord, compareNatural, defined, type JsonRecord, num, recordEntries, str } from './json-narrow.ts';

export interface Type5Route {
  rd: string;
  /** CIDR: "10.1.0.0/24", "fd00:1::/64", "0.0.0.0/0". */
  prefix: string;
  family: 'ipv4' | 'ipv6';
  /** The originating VTEP (the BGP next hop). */
  nextHop?: string;
  /** From the "Rmac:..." extended community. */
  routerMac?: string;
  /** "RT:65000:4000" communities without the "RT:" prefix, sorted. */
  routeTargets: string[];
  /** Only when FRR prints it (detail views: `vni`, or a `label`). */
  vni?: number;
  valid: boolean;
  best: boolean;
  /** local: this node originated it (peerId "(unspec)"); remote: learned from `peer`. */
  originator: 'local' | 'remote';
  peer?: string;
}

const TYPE5_KEY = /^\[5\]:\[(\d+)\]:\[(\d+)\]:\[([^\]]+)\]/;

// A route's paths: [[{...}], [{...}]] (route views) or [{...}, ...] (flat views).
function pathsOf(entry: JsonRecord): JsonRecord[] {
  const out: JsonRecord[] = [];
  for (const item of asArray(entry.paths)) {
    for (const inner of Array.isArray(item) ? item : [item]) {
      const rec = asRecord(inner);
      if (rec) out.push(rec);
    }
  }
  return out;
}

function communityString(path: JsonRecord): string {
  const ec = path.extendedCommunity;
  return str(asRecord(ec)?.string) ?? str(ec) ?? '';
}

function prefixOf(key: string, path: JsonRecord): { prefix: string; family: 'ipv4' | 'ipv6' } | undefined {
  const m = TYPE5_KEY.exec(key);
  const ip = str(path.ip) ?? m?.[3];
  const len = num(path.ipLen) ?? (m ? Number(m[2]) : undefined);
  if (ip === undefined || len === undefined) return undefined;
  const v = isIP(ip);
  if (v === 0) return undefined;
  return { prefix: `${ip}/${len}`, family: v === 4 ? 'ipv4' : 'ipv6' };
}

function nextHopOf(path: JsonRecord): string | undefined {
  const hops = asArray(path.nexthops)
    .map(asRecord)
    .filter((h): h is JsonRecord => h !== undefined);
  const used = hops.find((h) => h.used === true) ?? hops[0];
  return used ? str(used.ip) : undefined;
}

function isType5(key: string, path: JsonRecord): boolean {
  const type = num(path.routeType);
  return type !== undefined ? type === 5 : key.startsWith('[5]:');
}

function routeFrom(rd: string, key: string, path: JsonRecord): Type5Route | undefined {
  if (!isType5(key, path)) return undefined;
  const p = prefixOf(key, path);
  if (!p) return undefined;
  const communities = communityString(path).split(/\s+/).filter(Boolean);
  const peerId = str(path.peerId);
  // bgpd has no peer for its own paths ("(unspec)"); subsets without peerId fall back to the local weight.
  const local = peerId === '(unspec)' || path.local === true || (peerId === undefined && num(path.weight) === 32768);
  return defined({
    rd,
    prefix: p.prefix,
    family: p.family,
    nextHop: nextHopOf(path),
    routerMac: communities
      .find((c) => c.startsWith('Rmac:'))
      ?.slice('Rmac:'.length)
      .toLowerCase(),
    routeTargets: communities
      .filter((c) => c.startsWith('RT:'))
      .map((c) => c.slice(3))
      .sort(compareNatural),
    vni: num(path.vni) ?? num(path.label),
    valid: path.valid === true,
    best: path.bestpath === true,
    originator: local ? 'local' : 'remote',
    peer: local ? undefined : peerId,
  } as Type5Route);
}

/** Every type-5 path, sorted by prefix, then RD, then best first. Other route types are skipped. */
export function parseType5Routes(json: unknown): Type5Route[] {
  const out: Type5Route[] = [];
  for (const [rdKey, routes] of recordEntries(asRecord(json) ?? {})) {
    const rd = str(routes.rd) ?? rdKey;
    for (const [key, entry] of recordEntries(routes)) {
      for (const path of pathsOf(entry)) {
        const route = routeFrom(rd, key, path);
        if (route) out.push(route);
      }
    }
  }
  return out.sort(
    (a, b) =>
      compareNatural(a.prefix, b.prefix) ||
      compareNatural(a.rd, b.rd) ||
      Number(b.best) - Number(a.best) ||
      compareNatural(a.peer ?? '', b.peer ?? ''),
  );
}
