// Session settings (BFD, passwords) and explicit peers of one node. Pure;
// assumes validation passed (rules-peers.ts). Passwords stay references here:
// the value is read on the node when the configuration is written.
import { canonicalIp } from '../resources/cidr.ts';
import type { BfdSpec, FabricNode, FabricResource, PeerSpec, SecretSource } from '../resources/schema.ts';
import type { BfdIntent, PeerIntent, SecretRef, SessionIntent } from './intent.ts';

// FRR's bfdd defaults: a session without timers of its own needs no profile.
export const BFD_DEFAULTS = { detectMultiplier: 3, receiveInterval: 300, transmitInterval: 300 } as const;

export function bfdIntent(spec: BfdSpec | undefined): BfdIntent | undefined {
  if (spec === undefined || spec === false) return undefined;
  const timers = {
    detectMultiplier: spec === true ? BFD_DEFAULTS.detectMultiplier : (spec.detectMultiplier ?? 3),
    receiveInterval: spec === true ? BFD_DEFAULTS.receiveInterval : (spec.receiveInterval ?? 300),
    transmitInterval: spec === true ? BFD_DEFAULTS.transmitInterval : (spec.transmitInterval ?? 300),
  };
  const isDefault =
    timers.detectMultiplier === BFD_DEFAULTS.detectMultiplier &&
    timers.receiveInterval === BFD_DEFAULTS.receiveInterval &&
    timers.transmitInterval === BFD_DEFAULTS.transmitInterval;
  if (isDefault) return timers;
  return {
    profile: `rdevpn-${timers.detectMultiplier}-${timers.receiveInterval}-${timers.transmitInterval}`,
    ...timers,
  };
}

export function secretRef(resource: string, path: string, src: SecretSource | undefined): SecretRef | undefined {
  if (!src) return undefined;
  return {
    resource,
    path,
    ...(src.file !== undefined ? { file: src.file } : {}),
    ...(src.env !== undefined ? { env: src.env } : {}),
    base64: src.base64 ?? false,
  };
}

export function sessionIntent(fabric: FabricResource): SessionIntent {
  const bfd = bfdIntent(fabric.spec.bfd);
  const password = secretRef(`EVPNFabric/${fabric.metadata.name}`, 'spec.passwordFrom', fabric.spec.passwordFrom);
  return { ...(bfd ? { bfd } : {}), ...(password ? { password } : {}) };
}

function peerIntent(fabric: FabricResource, nodeIndex: number, peer: PeerSpec, j: number): PeerIntent {
  const bfd = bfdIntent(peer.bfd ?? fabric.spec.bfd);
  const path = `spec.nodes[${nodeIndex}].peers[${j}].passwordFrom`;
  const password = secretRef(`EVPNFabric/${fabric.metadata.name}`, path, peer.passwordFrom);
  const multihop = peer.multihop === true ? 255 : typeof peer.multihop === 'number' ? peer.multihop : undefined;
  return {
    neighbor: peer.interface ?? canonicalIp(peer.address ?? ''),
    interface: peer.interface !== undefined,
    remoteAs: peer.asn !== undefined ? String(peer.asn) : (peer.remoteAs ?? 'external'),
    ...(peer.description !== undefined ? { description: peer.description } : {}),
    ...(password ? { password } : {}),
    ...(multihop !== undefined ? { multihop } : {}),
    ...(bfd ? { bfd } : {}),
    families: [...(peer.addressFamilies ?? ['l2vpnEvpn'])].sort(),
  };
}

export function peersFor(fabric: FabricResource, self: FabricNode): PeerIntent[] {
  const i = fabric.spec.nodes.indexOf(self);
  return (self.peers ?? [])
    .map((peer, j) => peerIntent(fabric, i, peer, j))
    .sort((a, b) => (a.neighbor < b.neighbor ? -1 : a.neighbor > b.neighbor ? 1 : 0));
}

// Every BFD profile the node's sessions use, once each, by name.
export function bfdProfiles(sessions: SessionIntent, peers: PeerIntent[]): BfdIntent[] {
  const byName = new Map<string, BfdIntent>();
  for (const b of [sessions.bfd, ...peers.map((p) => p.bfd)]) if (b?.profile !== undefined) byName.set(b.profile, b);
  return [...byName.values()].sort((a, b) => ((a.profile ?? '') < (b.profile ?? '') ? -1 : 1));
}
