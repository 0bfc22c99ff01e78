// Pure parser of `show bgp l2vpn evpn summary json`, tested on FRR 8.4 and
// 10.3 recordings (10.3 adds per-peer softwareVersion; the fields read here
// are the same). No peers, or no BGP instance at all, prints `{}`.
import { asn, asRecord, compareNatural, type JsonRecord, num, recordEntries, str } from './json-narrow.ts';

export interface BgpSession {
  peer: string;
  hostname?: string;
  /**
   * Text, because `bgp asnotation dot` prints ASNs like "1.10"; "" while
   * unknown: a `remote-as external|internal` peer before its OPEN (8.4 and
   * 10.3 print remoteAs 0 there).
   */
  remoteAs: string;
  state: string;
  established: boolean;
  uptimeMs: number;
  prefixesReceived: number;
  prefixesSent: number;
  connectionsEstablished: number;
  connectionsDropped: number;
}

export interface BgpSummary {
  routerId?: string;
  as?: string;
  /** Sorted by peer (natural order, so 10.0.0.9 comes before 10.0.0.10). */
  sessions: BgpSession[];
}

// `show bgp summary json` wraps the same object in {"l2VpnEvpn": ...} and
// `show bgp vrf all ... json` in {"default": ...}; accept those too.
function unwrap(rec: JsonRecord): JsonRecord {
  if (asRecord(rec.peers) || rec.routerId !== undefined) return rec;
  for (const key of ['l2VpnEvpn', 'default']) {
    const inner = asRecord(rec[key]);
    if (inner) return unwrap(inner);
  }
  return rec;
}

function parseSession(peer: string, p: JsonRecord): BgpSession {
  const state = str(p.state) ?? 'Unknown';
  const hostname = str(p.hostname);
  return {
    peer,
    ...(hostname !== undefined ? { hostname } : {}),
    remoteAs: num(p.remoteAs) === 0 ? '' : (asn(p.remoteAs) ?? ''),
    state,
    established: state === 'Established',
    uptimeMs: num(p.peerUptimeMsec) ?? 0,
    prefixesReceived: num(p.pfxRcd) ?? 0,
    prefixesSent: num(p.pfxSnt) ?? 0,
    connectionsEstablished: num(p.connectionsEstablished) ?? 0,
    connectionsDropped: num(p.connectionsDropped) ?? 0,
  };
}

export function parseBgpEvpnSummary(json: unknown): BgpSummary {
  const root = asRecord(json);
  if (!root) return { sessions: [] };
  const rec = unwrap(root);
  const peers = asRecord(rec.peers) ?? {};
  const sessions = recordEntries(peers)
    .map(([peer, p]) => parseSession(peer, p))
    .sort((a, b) => compareNatural(a.peer, b.peer));
  const routerId = str(rec.routerId);
  const as = asn(rec.as);
  return {
    ...(routerId !== undefined ? { routerId } : {}),
    ...(as !== undefined ? { as } : {}),
    sessions,
  };
}

export type BgpFamily = 'ipv4Unicast' | 'ipv6Unicast' | 'l2vpnEvpn';

export interface FamilyPrefixes {
  received: number;
  sent: number;
}

export interface FamilySession extends BgpSession {
  families: Partial<Record<BgpFamily, FamilyPrefixes>>;
}

// The keys `show bgp summary json` uses for the families the daemon configures.
const FAMILY_KEYS: [string, BgpFamily][] = [
  ['ipv4Unicast', 'ipv4Unicast'],
  ['ipv6Unicast', 'ipv6Unicast'],
  ['l2VpnEvpn', 'l2vpnEvpn'],
];

// `show bgp summary json`: one summary per address family that has peers
// (8.4 and 10.3). Each peer once, with its prefixes per family; its other
// fields from the first family that lists it. Sorted by peer.
export function parseBgpFamilySummary(json: unknown): FamilySession[] {
  const root = asRecord(json) ?? {};
  const byPeer = new Map<string, FamilySession>();
  for (const [key, family] of FAMILY_KEYS) {
    const inner = asRecord(root[key]);
    if (!inner) continue;
    for (const s of parseBgpEvpnSummary(inner).sessions) {
      const seen = byPeer.get(s.peer) ?? { ...s, families: {} };
      seen.families[family] = { received: s.prefixesReceived, sent: s.prefixesSent };
      byPeer.set(s.peer, seen);
    }
  }
  return [...byPeer.values()].sort((a, b) => compareNatural(a.peer, b.peer));
}
