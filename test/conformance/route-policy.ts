// Route-maps evaluated on test routes, for comparing two FRR configurations by
// what their policies do (the Proxmox SDN conformance harness): Proxmox
// matches default routes by prefix list, the daemon by `match evpn
// default-route` and the VRF's route target; both must treat each route alike.
// Only the match and set clauses the two configurations use are known; any
// other throws, so a new one is noticed rather than ignored.
import { isIP } from 'node:net';
import { networkAddress, parseCidr } from '../../src/resources/cidr.ts';
import type { FrrBlock } from './frr-config.ts';

export interface TestRoute {
  label: string;
  type: 'macip' | 'prefix';
  prefix?: string; // a type-5 route's prefix
  rts: string[]; // route targets it carries
}

interface Entry {
  action: 'permit' | 'deny';
  seq: number;
  matches: string[];
  sets: string[];
}

// A route-map's entries by sequence number.
function routeMap(blocks: FrrBlock[], name: string): Entry[] {
  return blocks
    .map((b) => ({ b, m: /^route-map (\S+) (permit|deny) (\d+)$/.exec(b.header) }))
    .filter(({ m }) => m?.[1] === name)
    .map(({ b, m }) => ({
      action: m?.[2] as Entry['action'],
      seq: Number(m?.[3]),
      matches: b.lines.filter((l) => l.startsWith('match ')),
      sets: b.lines.filter((l) => l.startsWith('set ')),
    }))
    .sort((a, b) => a.seq - b.seq);
}

// `ip prefix-list NAME [seq N] permit|deny PREFIX`: what it decides for a
// prefix (exact matches only; le/ge are not used by either side).
function prefixListPermits(blocks: FrrBlock[], family: 'ip' | 'ipv6', name: string, prefix: string): boolean {
  const want = parseCidr(prefix);
  for (const b of blocks) {
    const m = new RegExp(`^${family} prefix-list ${name} (?:seq \\d+ )?(permit|deny) (\\S+)$`).exec(b.header);
    const listed = m ? parseCidr(m[2] as string) : undefined;
    if (
      listed &&
      want &&
      listed.family === want.family &&
      listed.prefix === want.prefix &&
      networkAddress(listed) === networkAddress(want)
    )
      return m?.[1] === 'permit';
  }
  return false;
}

// `bgp extcommunity-list standard NAME [seq N] permit rt X`: the permitted RTs.
function extcommunityRts(blocks: FrrBlock[], name: string): string[] {
  return blocks
    .map((b) => new RegExp(`^bgp extcommunity-list standard ${name} (?:seq \\d+ )?permit rt (\\S+)$`).exec(b.header))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => m[1] as string);
}

function matches(blocks: FrrBlock[], clause: string, route: TestRoute): boolean {
  const [, what = '', arg = ''] = /^match (.+?) (\S+)$/.exec(clause) ?? [];
  const family = route.prefix ? isIP(route.prefix.split('/')[0] as string) : 0;
  const isDefault = route.prefix === '0.0.0.0/0' || route.prefix === '::/0';
  switch (what) {
    case 'ip address prefix-list':
      return family === 4 && prefixListPermits(blocks, 'ip', arg, route.prefix as string);
    case 'ipv6 address prefix-list':
      return family === 6 && prefixListPermits(blocks, 'ipv6', arg, route.prefix as string);
    case 'evpn route-type':
      return arg === route.type;
    case 'evpn':
      if (arg === 'default-route') return route.type === 'prefix' && isDefault;
      break;
    case 'extcommunity':
      return extcommunityRts(blocks, arg).some((rt) => route.rts.includes(rt));
  }
  throw new Error(`route-map clause not modelled: ${clause}`);
}

// What a route-map does to a route: "permit" (with the attributes it sets,
// sorted) or "deny"; no route-map permits everything unchanged, and a route
// no entry matches is denied, as FRR does.
export function applyRouteMap(blocks: FrrBlock[], name: string | undefined, route: TestRoute): string {
  if (name === undefined) return 'permit';
  for (const e of routeMap(blocks, name)) {
    if (!e.matches.every((c) => matches(blocks, c, route))) continue;
    if (e.action === 'deny') return 'deny';
    for (const s of e.sets)
      if (!/^set (metric|local-preference) \d+$/.test(s)) throw new Error(`route-map set not modelled: ${s}`);
    return ['permit', ...e.sets.map((s) => s.slice(4)).sort()].join(', ');
  }
  return 'deny';
}
