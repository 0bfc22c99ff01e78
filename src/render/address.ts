// Canonical address text, so a CIDR written by a user compares equal to the
// kernel's (`FD00:1:0::1/64` and `fd00:1::1/64` are one address).
import { isIP } from 'node:net';

function expand6(ip: string): number[] {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const part = (s: string | undefined) => (s ? s.split(':') : []);
  const groups = (s: string[]) => s.flatMap((g) => (g.includes('.') ? v4Groups(g) : [parseInt(g, 16)]));
  const h = groups(part(head));
  const t = groups(part(tail));
  return tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
}

function v4Groups(v4: string): number[] {
  const b = v4.split('.').map(Number);
  return [(b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!];
}

// RFC 5952: lower case, longest run (>= 2) of zero groups becomes "::".
export function canonicalIp(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const g = expand6(ip.toLowerCase());
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) (best = i), (bestLen = j - i);
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export function canonicalCidr(cidr: string): string {
  const [ip, len] = cidr.split('/');
  return len === undefined ? canonicalIp(ip!) : `${canonicalIp(ip!)}/${len}`;
}

export function isIpv6Cidr(cidr: string): boolean {
  return isIP(cidr.split('/')[0]!) === 6;
}
