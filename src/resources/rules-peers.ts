// Rules of explicit peers (nodes[].peers), BFD and BGP passwords. A peer is a
// BGP neighbor outside the fabric's own sessions: an upstream router, an
// external route server, a node configured by other means.
import { addressKey, addressProblem } from './address-rules.ts';
import { canonicalIp, parseIp } from './cidr.ts';
import type { Push } from './error-codes.ts';
import { ifnameProblem } from './names.ts';
import { checkAsn, hasIgp, isRouted } from './rules-underlay.ts';
import type { BfdSpec, FabricNode, FabricSpec, PeerSpec, SecretSource } from './schema.ts';

// FRR's bfdd: detect-multiplier 2..255, intervals 10..60000 ms.
export const BFD_LIMITS = {
  detectMultiplier: [2, 255],
  receiveInterval: [10, 60000],
  transmitInterval: [10, 60000],
} as const;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DESCRIPTION = /^[\x21-\x7e][\x20-\x7e]{0,79}$/; // printable ASCII, no leading space, at most 80

// FRR and Linux 6.1 establish BGP-unnumbered (interface) sessions with a
// mismatched or missing TCP-MD5 password (seen on FRR 8.4 and 10.3; FRR
// issue 12625), so a password there would protect nothing.
const UNNUMBERED_PASSWORD =
  'FRR does not enforce TCP-MD5 passwords on BGP-unnumbered (interface) sessions: FRR 8.4 and 10.3 bring them up with a mismatched or missing password (FRR issue 12625); passwords apply to sessions to an address';

export function checkSecretSource(push: Push, path: string, src: SecretSource | undefined): void {
  if (src === undefined) return;
  const named = [src.file, src.env].filter((v) => v !== undefined).length;
  if (named !== 1)
    push(
      path,
      'SECRET_SOURCE',
      'passwordFrom names exactly one source: file (an absolute path) or env (a variable name)',
    );
  if (src.file !== undefined && !src.file.startsWith('/'))
    push(
      `${path}.file`,
      'SECRET_SOURCE',
      `file "${src.file}" must be an absolute path (the daemon reads it on the node)`,
    );
  if (src.env !== undefined && !ENV_NAME.test(src.env))
    push(`${path}.env`, 'SECRET_SOURCE', `env "${src.env}" is not an environment variable name (${ENV_NAME})`);
}

export function checkBfd(push: Push, path: string, bfd: BfdSpec | undefined): void {
  if (bfd === undefined || typeof bfd === 'boolean') return;
  for (const [field, [min, max]] of Object.entries(BFD_LIMITS)) {
    const v = bfd[field as keyof typeof BFD_LIMITS];
    if (v !== undefined && (v < min || v > max))
      push(
        `${path}.${field}`,
        'BFD_RANGE',
        `${field} ${v} is outside ${min}..${max}${field === 'detectMultiplier' ? '' : ' ms'}`,
      );
  }
}

// The fabric-wide session settings: BFD timers and the password.
export function checkSessionSettings(s: FabricSpec, push: Push): void {
  checkBfd(push, 'spec.bfd', s.bfd);
  checkSecretSource(push, 'spec.passwordFrom', s.passwordFrom);
  // with an IGP the fabric's sessions are between loopback addresses, where passwords work
  if (s.passwordFrom && isRouted(s) && !hasIgp(s)) push('spec.passwordFrom', 'FIELD_UNSUPPORTED', UNNUMBERED_PASSWORD);
}

export function checkPeers(s: FabricSpec, push: Push): void {
  // The fabric's own addresses: a peer there is a node the fabric peers with already.
  const vteps = new Map<string, string>();
  for (const n of s.nodes) {
    const ip = n.vtepAddress === undefined ? undefined : parseIp(n.vtepAddress);
    if (ip) vteps.set(addressKey(ip), n.name);
  }
  s.nodes.forEach((node, i) => {
    const seen = new Map<string, number>();
    node.peers?.forEach((peer, j) => {
      const p = `spec.nodes[${i}].peers[${j}]`;
      const key = checkPeer(s, node, peer, p, vteps, push);
      if (key === undefined) return;
      const first = seen.get(key);
      if (first !== undefined)
        push(p, 'PEER_DUPLICATE', `node "${node.name}" lists peer ${key} twice (peers[${first}] and peers[${j}])`);
      else seen.set(key, j);
    });
  });
}

// Returns the peer's key (its canonical address or interface) when it has one.
function checkPeer(
  s: FabricSpec,
  node: FabricNode,
  peer: PeerSpec,
  p: string,
  vteps: Map<string, string>,
  push: Push,
): string | undefined {
  checkRemoteAs(peer, p, push);
  checkBfd(push, `${p}.bfd`, peer.bfd);
  checkSecretSource(push, `${p}.passwordFrom`, peer.passwordFrom);
  if (peer.description !== undefined && !DESCRIPTION.test(peer.description))
    push(
      `${p}.description`,
      'FIELD_VALUE',
      'description is 1..80 printable ASCII characters, not starting with a space',
    );
  if (peer.addressFamilies?.length === 0)
    push(
      `${p}.addressFamilies`,
      'FIELD_VALUE',
      'addressFamilies is empty: leave it out (l2vpnEvpn) or name at least one',
    );
  peer.addressFamilies?.forEach((af, k) => {
    if (peer.addressFamilies?.indexOf(af) !== k)
      push(`${p}.addressFamilies[${k}]`, 'FIELD_VALUE', `address family ${af} is listed more than once`);
  });
  if ((peer.address === undefined) === (peer.interface === undefined)) {
    push(
      p,
      'FIELD_REQUIRED',
      'a peer has exactly one of address (a BGP neighbor address) or interface (BGP unnumbered)',
    );
    return undefined;
  }
  if (peer.interface !== undefined) return checkInterfacePeer(node, peer, peer.interface, p, push);
  return checkAddressPeer(s, node, peer, peer.address ?? '', p, vteps, push);
}

function checkRemoteAs(peer: PeerSpec, p: string, push: Push): void {
  if ((peer.asn === undefined) === (peer.remoteAs === undefined))
    push(p, 'FIELD_REQUIRED', 'a peer has exactly one of asn (its AS number) or remoteAs (internal or external)');
  checkAsn(push, `${p}.asn`, peer.asn);
}

function checkInterfacePeer(node: FabricNode, peer: PeerSpec, name: string, p: string, push: Push): string {
  const bad = ifnameProblem(name);
  if (bad) push(`${p}.interface`, bad.code, bad.message);
  else if (name === 'lo')
    push(`${p}.interface`, 'PORT_INVALID', 'a BGP-unnumbered peer is reached over a link, not "lo"');
  else if (node.uplinks?.includes(name))
    push(
      `${p}.interface`,
      'PEER_DUPLICATE',
      `interface "${name}" is an uplink of node "${node.name}": the fabric peers over it already`,
    );
  if (peer.passwordFrom) push(`${p}.passwordFrom`, 'FIELD_UNSUPPORTED', UNNUMBERED_PASSWORD);
  if (peer.multihop !== undefined && peer.multihop !== false)
    push(
      `${p}.multihop`,
      'FIELD_VALUE',
      'a BGP-unnumbered peer is one hop away by definition; multihop needs an address',
    );
  return name;
}

function checkAddressPeer(
  s: FabricSpec,
  node: FabricNode,
  peer: PeerSpec,
  address: string,
  p: string,
  vteps: Map<string, string>,
  push: Push,
): string | undefined {
  const bad = addressProblem(address, 'peer address');
  if (bad) {
    push(`${p}.address`, bad.code, bad.message);
    return undefined;
  }
  const ip = parseIp(address);
  const owner = ip ? vteps.get(addressKey(ip)) : undefined;
  if (owner === node.name)
    push(`${p}.address`, 'PEER_DUPLICATE', `${address} is node "${node.name}"'s own vtepAddress`);
  else if (owner !== undefined)
    push(
      `${p}.address`,
      'PEER_DUPLICATE',
      `${address} is the vtepAddress of fabric node "${owner}", which the fabric peers with already`,
    );
  if (typeof peer.multihop === 'number' && (peer.multihop < 1 || peer.multihop > 255))
    push(`${p}.multihop`, 'FIELD_VALUE', `multihop ${peer.multihop} is outside 1..255 (hops), or use true for 255`);
  const internal = peer.remoteAs === 'internal' || (peer.asn !== undefined && peer.asn === (node.asn ?? s.asn));
  if (internal && peer.multihop !== undefined && peer.multihop !== false)
    push(
      `${p}.multihop`,
      'FIELD_VALUE',
      'multihop is for eBGP peers; an iBGP session may cross any number of hops already',
    );
  return canonicalIp(address);
}
