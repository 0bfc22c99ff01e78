// Canonical address text, so a CIDR written by a user compares equal to the
// kernel's (`FD00:1:0::1/64` and `fd00:1::1/64` are one address).
import { isIP } from 'node:net';
import { formatIp, parseIp } from '../resources/cidr.ts';

export function canonicalIp(ip: string): string {
  const parsed = isIP(ip) === 6 ? parseIp(ip.toLowerCase()) : undefined;
  return parsed ? formatIp(6, parsed.value) : ip;
}

export function canonicalCidr(cidr: string): string {
  const [ip, len] = cidr.split('/');
  return len === undefined ? canonicalIp(ip!) : `${canonicalIp(ip!)}/${len}`;
}

export function isIpv6Cidr(cidr: string): boolean {
  return isIP(cidr.split('/')[0]!) === 6;
}
