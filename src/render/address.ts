// The EUI-64 IPv6 link-local address of a MAC (RFC 4291 appendix A), as /64:
// 00:00:5e:00:01:0a -> fe80::200:5eff:fe00:10a/64.
import { canonicalCidr } from '../resources/cidr.ts';

export function eui64LinkLocal(mac: string): string {
  const b = mac.split(':').map((h) => Number.parseInt(h, 16));
  const word = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
  return canonicalCidr(
    `fe80::${word(b[0] ^ 0x02, b[1])}:${word(b[2], 0xff)}:${word(0xfe, b[3])}:${word(b[4], b[5])}/64`,
  );
}
