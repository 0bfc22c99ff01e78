// The routed underlay's part of EVPNFabric status: are the node's uplinks
// usable for BGP unnumbered (present, up, with an IPv6 link-local address)?
// The daemon does not create or address them, so it only reports.
import type { Observation } from '../observe/collect.ts';
import { isLinkLocal, parseCidr } from '../resources/cidr.ts';
import type { UnderlayIntent } from '../translate/intent.ts';
import { type Condition, cond } from './conditions.ts';

export function uplinkProblems(u: UnderlayIntent, obs: Observation): string[] {
  return u.uplinks.flatMap((name) => {
    const link = obs.links.find((l) => l.name === name);
    if (!link) return [`${name} missing`];
    if (!link.up) return [`${name} down`];
    const linkLocal = (link.addresses ?? []).some((a) => {
      const c = parseCidr(a);
      return c !== undefined && c.family === 6 && isLinkLocal(c);
    });
    return linkLocal ? [] : [`${name} has no IPv6 link-local address (IPv6 off, or addrgenmode none?)`];
  });
}

// Only on a node of a routed underlay.
export function underlayConditions(u: UnderlayIntent | undefined, obs: Observation): Condition[] {
  if (!u) return [];
  const problems = uplinkProblems(u, obs);
  return [
    cond(
      'UplinksReady',
      problems.length === 0,
      problems.length === 0 ? 'AllUsable' : 'UplinkUnusable',
      problems.length === 0 ? `${u.uplinks.join(', ')}: up, with IPv6 link-local addresses` : problems.join('; '),
    ),
  ];
}
