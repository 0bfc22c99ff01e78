// Pure IPv4/IPv6 address and prefix arithmetic for the rules: parse, network
// address, containment, overlap. Addresses are bigints so both families share
// one code path; node:net decides what a valid address is.
import { isIP } from 'node:net';

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

// Plain addresses only: no prefix length and no zone index (fe80::1%eth0).
export function parseIp(text: string): Ip | undefined {
  if (typeof text !== 'string') return undefined;
  const family = isIP(text);
  if (family === 4) return { family, value: text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(part), 0n) };
  if (family !== 6 || text.includes('%')) return undefined;
  return { family, value: ipv6Groups(text).reduce((acc, g) => (acc << 16n) | BigInt(g), 0n) };
}

// The eight 16-bit groups of a valid IPv6 address ("::" expanded, a dotted
// IPv4 tail turned into two groups).
function ipv6Groups(text: string): number[] {
  const toGroups = (part: string): number[] => (part === '' ? [] : part.split(':').flatMap((g) => {
    if (!g.includes('.')) return [parseInt(g, 16)];
    const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
    return [(a << 8) | b, (c << 8) | d];
  }));
  const [head, tail] = text.split('::') as [string, string | undefined];
  if (tail === undefined) return toGroups(head);
  const h = toGroups(head);
  const t = toGroups(tail);
  return [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

// "address/prefix" with a decimal prefix length that fits the family.
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const ip = parseIp(m[1]!);
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
export type SpecialKind = 'unspecified' | 'this-network' | 'loopback' | 'link-local' | 'multicast' | 'broadcast' | 'reserved' | 'ipv4-mapped' | 'ipv4-compatible';

export function specialKind(ip: Ip): SpecialKind | undefined {
  const v = ip.value;
  if (ip.family === 4) {
    if (v === 0n) return 'unspecified';
    if (v === 0xffffffffn) return 'broadcast';
    const a = v >> 24n;
    if (a === 0n) return 'this-network';
    if (a === 127n) return 'loopback';
    if (v >> 16n === 0xa9fen) return 'link-local';
    if (a >= 224n && a <= 239n) return 'multicast';
    if (a >= 240n) return 'reserved';
    return undefined;
  }
  if (v === 0n) return 'unspecified';
  if (v === 1n) return 'loopback';
  if (v >> 32n === 0xffffn) return 'ipv4-mapped';
  if (v >> 32n === 0n) return 'ipv4-compatible';
  if (v >> 120n === 0xffn) return 'multicast';
  if (isLinkLocal(ip)) return 'link-local';
  return undefined;
}

export function isLinkLocal(ip: Ip): boolean {
  return ip.family === 6 ? ip.value >> 118n === 0x3fan : ip.value >> 16n === 0xa9fen;
}

export function formatIp(family: Family, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: the longest run of two or more zero groups becomes "::".
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

// The one way an address is written in what the daemon renders and compares
// (RFC 5952 for IPv6): `FD00:0::1` and `fd00::1` are one address.
export function canonicalIp(text: string): string {
  const ip = parseIp(text);
  return ip ? formatIp(ip.family, ip.value) : text;
}

// The subnet a CIDR lies in, e.g. 10.1.0.1/24 -> 10.1.0.0/24.
export function subnetText(c: Cidr): string {
  return `${formatIp(c.family, networkAddress(c))}/${c.prefix}`;
}
