// The parts of the BGP view for sessions: BFD profiles, passwords (read
// through the SecretReader the caller hands in; render itself reads nothing),
// explicit peers and the unicast address families the underlay and the peers
// use. Pure given the reader.
import type { BfdIntent, NodeIntent, PeerIntent, SecretRef } from '../translate/intent.ts';
import { BFD_DEFAULTS, bfdProfiles } from '../translate/translate-peers.ts';
import { leakedVrfs } from './frr-vrf.ts';

// Accepts every route: eBGP sessions need a policy in and out (RFC 8212,
// FRR's `bgp ebgp-requires-policy`); the daemon does not filter the underlay.
export const PERMIT_ALL = 'RDEVPN-PERMIT-ALL';

export type SecretReader = (ref: SecretRef) => string;

export const NO_SECRETS: SecretReader = (ref) => {
  throw new Error(`${ref.resource} ${ref.path}: no secret reader was given to render a BGP password`);
};

const FAMILY_KEYS = { ipv4: 'ipv4Unicast', ipv6: 'ipv6Unicast' } as const;

// A profile's settings as FRR prints them back: only those that differ from
// bfdd's defaults (else frr-reload would see them missing after every reload).
function profileView(b: BfdIntent) {
  const settings = [
    b.detectMultiplier !== BFD_DEFAULTS.detectMultiplier ? `detect-multiplier ${b.detectMultiplier}` : undefined,
    b.receiveInterval !== BFD_DEFAULTS.receiveInterval ? `receive-interval ${b.receiveInterval}` : undefined,
    b.transmitInterval !== BFD_DEFAULTS.transmitInterval ? `transmit-interval ${b.transmitInterval}` : undefined,
  ];
  return { profile: b.profile, settings: settings.filter((l) => l !== undefined) };
}

function bfdLines(bfd: BfdIntent | undefined) {
  return bfd ? { bfd: true, bfdProfile: bfd.profile } : {};
}

function peerView(peer: PeerIntent, intent: NodeIntent, read: SecretReader) {
  const internal = peer.remoteAs === 'internal' || peer.remoteAs === String(intent.asn);
  return {
    neighbor: peer.neighbor,
    remoteAsClause: `${peer.interface ? 'interface ' : ''}remote-as ${peer.remoteAs}`,
    description: peer.description,
    password: peer.password ? read(peer.password) : undefined,
    multihop: peer.multihop,
    // iBGP and multihop sessions start from the VTEP address, as the fabric's own do.
    updateSource: !peer.interface && (internal || peer.multihop !== undefined) ? intent.vtepAddress : undefined,
    ...bfdLines(peer.bfd),
  };
}

// ipv4 then ipv6 unicast: what the underlay advertises and who is activated.
function unicastFamilies(intent: NodeIntent) {
  return (['ipv4', 'ipv6'] as const)
    .map((name) => {
      const underlay = intent.underlay?.families.find((f) => f.name === name);
      const peers = intent.peers.filter((p) => p.families.includes(FAMILY_KEYS[name])).map((p) => p.neighbor);
      const importVrfs = leakedVrfs(intent, name); // host-routing exits
      return { name, networks: underlay?.networks ?? [], fabric: underlay !== undefined, peers, importVrfs };
    })
    .filter((f) => f.fabric || f.peers.length > 0 || f.importVrfs.length > 0);
}

export function sessionsView(
  intent: NodeIntent,
  read: SecretReader,
  evpnOutRouteMap: string | undefined,
  evpnInRouteMap: string | undefined,
) {
  const password = intent.sessions.password ? read(intent.sessions.password) : undefined;
  const families = unicastFamilies(intent);
  const evpnPeers = intent.peers.filter((p) => p.families.includes('l2vpnEvpn')).map((p) => p.neighbor);
  return {
    bfdProfiles: bfdProfiles(intent.sessions, intent.peers).map(profileView),
    permitAll: (intent.underlay !== undefined && !intent.underlay.igp) || intent.peers.length > 0,
    permitAllRouteMap: PERMIT_ALL,
    fabricSession: { password, ...bfdLines(intent.sessions.bfd) },
    neighbors: intent.neighbors.map((n) => ({ ...n, password, ...bfdLines(intent.sessions.bfd) })),
    peerBlocks: intent.peers.map((p) => peerView(p, intent, read)),
    unicastFamilies: families,
    evpnPeers,
    evpnOut: evpnOutRouteMap ?? PERMIT_ALL,
    evpnIn: evpnInRouteMap ?? PERMIT_ALL,
  };
}
