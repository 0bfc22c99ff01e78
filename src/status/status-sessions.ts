// The session part of EVPNFabric status: each BGP session with its BFD state
// (when it has BFD), a BFDUp condition, and what a password-protected
// session that does not come up most likely means.

import type { Observation } from '../observe/collect.ts';
import { compareNatural } from '../observe/json-narrow.ts';
import { bfdOf } from '../observe/parse-bfd.ts';
import type { BgpFamily, BgpSession, FamilyPrefixes } from '../observe/parse-bgp.ts';
import type { NodeIntent } from '../translate/intent.ts';
import { type Condition, cond } from './conditions.ts';

// The BGP sessions (as FRR names them: an address, or an interface for BGP
// unnumbered) that should have a BFD session.
export function bfdSessions(intent: NodeIntent | undefined): string[] {
  if (!intent) return [];
  const fabric = intent.sessions.bfd ? [...intent.neighbors.map((n) => n.address), ...uplinkSessions(intent)] : [];
  return [...fabric, ...intent.peers.filter((p) => p.bfd !== undefined).map((p) => p.neighbor)];
}

function passwordProtected(intent: NodeIntent | undefined): Set<string> {
  if (!intent) return new Set();
  const fabric = intent.sessions.password ? intent.neighbors.map((n) => n.address) : [];
  return new Set([...fabric, ...intent.peers.filter((p) => p.password !== undefined).map((p) => p.neighbor)]);
}

export interface SessionView extends BgpSession {
  families?: Partial<Record<BgpFamily, FamilyPrefixes>>; // prefixes per address family, when every family was read
  bfd?: string; // bfdd's status (up, down, init), or "missing"
  password?: true; // a TCP-MD5 password is set (never the password)
}

const total = (f: SessionView['families'], side: keyof FamilyPrefixes) =>
  Object.values(f ?? {}).reduce((sum, p) => sum + p[side], 0);

// The EVPN sessions and, when every family was read, each with its prefixes
// per family, plus the sessions that carry no EVPN (unicast-only peers),
// whose prefix counts are their families' totals.
function allSessions(obs: Observation): SessionView[] {
  if (!obs.families) return obs.bgp.sessions;
  const byPeer = new Map(obs.families.map((f) => [f.peer, f]));
  const evpn = obs.bgp.sessions.map((s) => ({ ...s, families: byPeer.get(s.peer)?.families ?? {} }));
  const seen = new Set(evpn.map((s) => s.peer));
  const others = obs.families
    .filter((f) => !seen.has(f.peer))
    .map((f) => ({ ...f, prefixesReceived: total(f.families, 'received'), prefixesSent: total(f.families, 'sent') }));
  return [...evpn, ...others].sort((a, b) => compareNatural(a.peer, b.peer));
}

export function sessionViews(intent: NodeIntent | undefined, obs: Observation): SessionView[] {
  const withBfd = new Set(bfdSessions(intent));
  const withPassword = passwordProtected(intent);
  return allSessions(obs).map((s) => ({
    ...s,
    ...(obs.bfdObserved && withBfd.has(s.peer) ? { bfd: bfdOf(obs.bfd, s.peer)?.status ?? 'missing' } : {}),
    ...(withPassword.has(s.peer) ? { password: true as const } : {}),
  }));
}

// A session that is down: its state, and the likely cause when it has a password.
function downNote(s: SessionView): string {
  const why = s.password
    ? ', TCP-MD5 password set: a password that differs on the other side keeps it from connecting'
    : '';
  return `${s.peer} (${s.state}${why})`;
}

// Only when some session has BFD.
export function bfdConditions(intent: NodeIntent | undefined, obs: Observation, sessions: SessionView[]): Condition[] {
  const expected = bfdSessions(intent);
  if (expected.length === 0) return [];
  if (obs.bfdError) return [cond('BFDUp', false, 'BFDUnavailable', obs.bfdError)];
  const bad = expected.flatMap((peer) => {
    const status = sessions.find((s) => s.peer === peer)?.bfd ?? bfdOf(obs.bfd, peer)?.status ?? 'missing';
    return status === 'up' ? [] : [`${peer} ${status}`];
  });
  return [
    cond(
      'BFDUp',
      bad.length === 0,
      bad.length === 0 ? 'AllUp' : 'BFDDown',
      bad.length === 0 ? `${expected.length}/${expected.length} BFD sessions up` : `BFD not up: ${bad.join(', ')}`,
    ),
  ];
}

// BGP sessions on the uplinks: only an eBGP underlay has them (an IGP runs there instead).
function uplinkSessions(intent: NodeIntent | undefined): string[] {
  return intent?.underlay && !intent.underlay.igp ? intent.underlay.uplinks : [];
}

// A session per neighbor (flat, or over an IGP), per uplink on an eBGP underlay, per EVPN peer.
export function sessionsCondition(intent: NodeIntent | undefined, sessions: SessionView[]): Condition {
  const down = sessions.filter((x) => !x.established);
  // Unicast-only peers are listed only when every family was read.
  const listed = sessions.some((s) => s.families !== undefined)
    ? (intent?.peers ?? [])
    : (intent?.peers.filter((p) => p.families.includes('l2vpnEvpn')) ?? []);
  const expected = (intent?.neighbors.length ?? 0) + uplinkSessions(intent).length + listed.length;
  const allUp = down.length === 0 && sessions.length >= expected;
  const downList = down.length ? `; down: ${down.map(downNote).join(', ')}` : '';
  return cond(
    'SessionsEstablished',
    allUp,
    allUp ? 'AllEstablished' : 'SessionsDown',
    `${sessions.length - down.length}/${Math.max(expected, sessions.length)} established${downList}`,
  );
}
