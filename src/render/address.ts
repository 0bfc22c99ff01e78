// The EUI-64 IPv6 link-local address of a MAC (RFC 4291 appendix A), as /64:
// 00:00:5e:00:01:0a -> fe80::200:5eff:fe00:10a/64.
import { canonicalCidr } from '../resources/cidr.ts';
import type { GatewayIntent } from '../translate/intent.ts';

export function eui64LinkLocal(mac: string): string {
  const b = mac.split(':').map((h) => Number.parseInt(h, 16));
  const word = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
  return canonicalCidr(
    `fe80::${word(b[0] ^ 0x02, b[1])}:${word(b[2], 0xff)}:${word(0xfe, b[3])}:${word(b[4], b[5])}/64`,
  );
}

// The anycast gateway's addresses. An IPv6 gateway also gets the link-local
// address of the gateway MAC (the same on every node, nodad like the rest):
// the kernel sources the neighbor probes for routed traffic from a
// link-local address and, with none on the SVI, never sends them, so a host's
// entry would go FAILED and its type-2 route be withdrawn.
export function gatewayAddresses(gw: GatewayIntent | undefined): string[] {
  if (!gw) return [];
  const cidrs = [...gw.ipv4, ...gw.ipv6].map(canonicalCidr);
  return gw.ipv6.length > 0 ? [...cidrs, eui64LinkLocal(gw.mac)] : cidrs;
}
