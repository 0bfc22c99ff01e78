// IPv4/IPv6 address and prefix arithmetic for the rules: parse, canonical
// text, special ranges, network address, containment, overlap. ipaddr.js
// parses, matches ranges and writes RFC 5952 text; node:net's isIP decides
// first what a valid address is (strict: no short or octal IPv4 forms, no zone
// index). Values are also kept as bigints, so "the next address" and "the
// network address" are plain arithmetic in both families.
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

export interface Ip {
  family: Family;
  value: bigint;
}

export interface Cidr extends Ip {
  prefix: number;
  text: string; // as written, e.g. 10.1.0.1/24
}

export function familyBits(family: Family): number {
  return family === 4 ? 32 : 128;
}

function toBigint(bytes: number[]): bigint {
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function toBytes(family: Family, value: bigint): number[] {
  const n = familyBits(family) / 8;
  return Array.from({ length: n }, (_, i) => Number((value >> BigInt(8 * (n - 1 - i))) & 255n));
}

function toAddress(ip: Ip): ipaddr.IPv4 | ipaddr.IPv6 {
  return ip.family === 4 ? new ipaddr.IPv4(toBytes(4, ip.value)) : new ipaddr.IPv6(toBytes(6, ip.value));
}

// Plain addresses only: no prefix length and no zone index (fe80::1%eth0).
export function parseIp(text: string): Ip | undefined {
  if (typeof text !== 'string' || text.includes('%')) return undefined;
  const family = isIP(text);
  if (family !== 4 && family !== 6) return undefined;
  const parsed = family === 4 ? ipaddr.IPv4.parse(text) : ipaddr.IPv6.parse(text);
  return { family, value: toBigint(parsed.toByteArray()) };
}

// "address/prefix" with a decimal prefix length that fits the family.
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const ip = parseIp(m[1]);
  const prefix = Number(m[2]);
  if (!ip || prefix > familyBits(ip.family)) return undefined;
  return { ...ip, prefix, text };
}

function hostMask(c: Cidr): bigint {
  return (1n << BigInt(familyBits(c.family) - c.prefix)) - 1n;
}

export function networkAddress(c: Cidr): bigint {
  return c.value & ~hostMask(c);
}

export function lastAddress(c: Cidr): bigint {
  return c.value | hostMask(c);
}

export function cidrContains(c: Cidr, ip: Ip): boolean {
  return c.family === ip.family && ip.value >= networkAddress(c) && ip.value <= lastAddress(c);
}

// Two prefixes overlap when one contains the other's network address.
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && networkAddress(a) <= lastAddress(b) && networkAddress(b) <= lastAddress(a);
}

// Addresses that parse but are no host's own unicast address (RFC 6890 and
// RFC 4291 special ranges), by the name a message uses for them.
export type SpecialKind =
  | 'unspecified'
  | 'this-network'
  | 'loopback'
  | 'link-local'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'ipv4-mapped'
  | 'ipv4-compatible';

// Checked in order: the first range that matches names the kind.
const SPECIAL_RANGES: [SpecialKind, string][] = [
  ['unspecified', '0.0.0.0/32'],
  ['broadcast', '255.255.255.255/32'],
  ['this-network', '0.0.0.0/8'],
  ['loopback', '127.0.0.0/8'],
  ['link-local', '169.254.0.0/16'],
  ['multicast', '224.0.0.0/4'],
  ['reserved', '240.0.0.0/4'],
  ['unspecified', '::/128'],
  ['loopback', '::1/128'],
  ['ipv4-mapped', '::ffff:0:0/96'],
  ['ipv4-compatible', '::/96'],
  ['multicast', 'ff00::/8'],
  ['link-local', 'fe80::/10'],
];

const PARSED_RANGES = SPECIAL_RANGES.map(([kind, cidr]) => ({ kind, range: ipaddr.parseCIDR(cidr) }));

export function specialKind(ip: Ip): SpecialKind | undefined {
  const address = toAddress(ip);
  return PARSED_RANGES.find(({ range }) => range[0].kind() === address.kind() && address.match(range))?.kind;
}

export function isLinkLocal(ip: Ip): boolean {
  return specialKind(ip) === 'link-local';
}

// RFC 5952 for IPv6 (the longest run of zero groups becomes "::").
export function formatIp(family: Family, value: bigint): string {
  const address = toAddress({ family, value });
  return address instanceof ipaddr.IPv6 ? address.toRFC5952String() : address.toString();
}

// The one way an address is written in what the daemon renders and compares
// (RFC 5952 for IPv6): `FD00:0::1` and `fd00::1` are one address.
export function canonicalIp(text: string): string {
  const ip = parseIp(text);
  return ip ? formatIp(ip.family, ip.value) : text;
}

// A CIDR in canonical text; the kernel's `FD00:1:0::1/64` and a user's
// `fd00:1::1/64` compare equal.
export function canonicalCidr(cidr: string): string {
  const [ip, len] = cidr.split('/');
  return len === undefined ? canonicalIp(ip) : `${canonicalIp(ip)}/${len}`;
}

export function isIpv6Cidr(cidr: string): boolean {
  return isIP(cidr.split('/')[0]) === 6;
}

// "::ffff:a63:202" (zebra) and "::ffff:10.99.2.2" (iproute2) both mean 10.99.2.2.
export function unmapIpv4(text: string): string {
  const ip = parseIp(text);
  if (ip?.family !== 6 || specialKind(ip) !== 'ipv4-mapped') return text;
  return formatIp(4, ip.value & 0xffffffffn);
}

// The subnet a CIDR lies in, e.g. 10.1.0.1/24 -> 10.1.0.0/24.
export function subnetText(c: Cidr): string {
  return `${formatIp(c.family, networkAddress(c))}/${c.prefix}`;
}

// A spec field that takes one CIDR or a list of them (gateway.ipv4 / ipv6).
export const cidrList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());
