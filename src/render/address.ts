// Canonical address text, so a CIDR written by a user compares equal to the
// kernel's (`FD00:1:0::1/64` and `fd00:1::1/64` are one address).
import { isIP } from 'node:net';
import { canonicalIp } from '../resources/cidr.ts';

export { canonicalIp };

export function canonicalCidr(cidr: string): string {
  const [ip, len] = cidr.split('/');
  return len === undefined ? canonicalIp(ip!) : `${canonicalIp(ip!)}/${len}`;
}

export function isIpv6Cidr(cidr: string): boolean {
  return isIP(cidr.split('/')[0]!) === 6;
}

// The EUI-64 IPv6 link-local address of a MAC (RFC 4291 appendix A), as /64:
// 00:00:5e:00:01:0a -> fe80::200:5eff:fe00:10a/64.
export function eui64LinkLocal(mac: string): string {
  const b = mac.split(':').map((h) => Number.parseInt(h, 16));
  const word = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
  return canonicalCidr(`fe80::${word(b[0]! ^ 0x02, b[1]!)}:${word(b[2]!, 0xff)}:${word(0xfe, b[3]!)}:${word(b[4]!, b[5]!)}/64`);
}
