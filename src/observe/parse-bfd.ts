// Pure parser of `show bfd peers json` (bfdd), tested on FRR 8.4 and 10.3
// recordings: an array of sessions, single-hop ones on an interface (BGP
// unnumbered: the peer is its IPv6 link-local address), multihop ones by address.
import { asArray, asRecord, bool, num, str } from './json-narrow.ts';

export interface BfdPeer {
  peer: string;
  interface?: string;
  multihop: boolean;
  status: string; // up, down, init, shutdown
  detectMultiplier?: number;
  receiveInterval?: number;
  transmitInterval?: number;
}

export function parseBfdPeers(json: unknown): BfdPeer[] {
  return asArray(json).flatMap((item) => {
    const p = asRecord(item);
    const peer = p ? str(p.peer) : undefined;
    if (!p || peer === undefined) return [];
    const ifname = str(p.interface);
    const values = {
      detectMultiplier: num(p['detect-multiplier']),
      receiveInterval: num(p['receive-interval']),
      transmitInterval: num(p['transmit-interval']),
    };
    return [
      {
        peer,
        ...(ifname ? { interface: ifname } : {}),
        multihop: bool(p.multihop) ?? false,
        status: str(p.status) ?? 'unknown',
        ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)),
      },
    ];
  });
}

// The BFD session of a BGP session: an unnumbered one (peer = interface name)
// by its interface, one to an address by that address.
export function bfdOf(peers: BfdPeer[], bgpPeer: string): BfdPeer | undefined {
  return peers.find((b) => !b.multihop && b.interface === bgpPeer) ?? peers.find((b) => b.peer === bgpPeer);
}
