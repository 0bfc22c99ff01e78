// The routed underlay's part of EVPNFabric status: are the node's uplinks
// usable for BGP unnumbered (present, up, with an IPv6 link-local address)?
// The daemon does not create or address them, so it only reports. And is
// every remote VTEP in the kernel's routing table, over how many paths?
import type { Observation } from '../observe/collect.ts';
import { cidrContains, isLinkLocal, parseCidr, parseIp } from '../resources/cidr.ts';
import type { KernelRoute } from '../system/parse-ip-route.ts';
import type { UnderlayIntent } from '../translate/intent.ts';
import { type Condition, cond } from './conditions.ts';

// BGP unnumbered needs an IPv6 link-local address on each link; OSPF only an up link.
export function uplinkProblems(u: Pick<UnderlayIntent, 'uplinks' | 'igp'>, obs: Observation): string[] {
  return u.uplinks.flatMap((name) => {
    const link = obs.links.find((l) => l.name === name);
    if (!link) return [`${name} missing`];
    if (!link.up) return [`${name} down`];
    if (u.igp) return [];
    const linkLocal = (link.addresses ?? []).some((a) => {
      const c = parseCidr(a);
      return c !== undefined && c.family === 6 && isLinkLocal(c);
    });
    return linkLocal ? [] : [`${name} has no IPv6 link-local address (IPv6 off, or addrgenmode none?)`];
  });
}

// Links the node's sessions or IGP run over: one condition naming each that
// is missing, down or (for BGP unnumbered) without an IPv6 link-local address.
function linksCondition(
  type: string,
  badReason: string,
  links: Pick<UnderlayIntent, 'uplinks' | 'igp'>,
  obs: Observation,
): Condition {
  const problems = uplinkProblems(links, obs);
  const ok = `${links.uplinks.join(', ')}: up${links.igp ? '' : ', with IPv6 link-local addresses'}`;
  return cond(
    type,
    problems.length === 0,
    problems.length === 0 ? 'AllUsable' : badReason,
    problems.length === 0 ? ok : problems.join('; '),
  );
}

// A node with BGP-unnumbered peers (nodes[].peers[].interface).
export function peerLinkConditions(interfaces: string[], obs: Observation): Condition[] {
  return interfaces.length === 0
    ? []
    : [linksCondition('PeerLinksReady', 'PeerLinkUnusable', { uplinks: interfaces }, obs)];
}

// Only on a node of a routed underlay.
export function underlayConditions(u: UnderlayIntent | undefined, obs: Observation): Condition[] {
  return u ? [linksCondition('UplinksReady', 'UplinkUnusable', u, obs)] : [];
}

const loAddresses = (obs: Observation) => obs.links.find((l) => l.name === 'lo')?.addresses ?? [];

export interface VtepReach {
  node: string;
  address: string;
  route?: string; // the main-table prefix that covers it (a /32 or /128 when advertised as the daemon does)
  paths: number; // next hops of that route; 0 when unrouted
  via: string[]; // their devices
}

// The main-table route that covers `address` (longest prefix), not counting
// a default route: a VTEP only a default route reaches is not in the underlay.
function coveringRoute(address: string, routes: KernelRoute[]): KernelRoute | undefined {
  const ip = parseIp(address);
  if (!ip) return undefined;
  let best: { route: KernelRoute; prefix: number } | undefined;
  for (const r of routes) {
    if (r.table !== 'main' || r.type !== 'unicast') continue;
    const c = parseCidr(r.dst.includes('/') ? r.dst : `${r.dst}/${ip.family === 4 ? 32 : 128}`);
    if (!c || c.family !== ip.family || c.prefix === 0 || !cidrContains(c, ip)) continue;
    if (!best || c.prefix > best.prefix) best = { route: r, prefix: c.prefix };
  }
  return best?.route;
}

export function vtepReachability(u: UnderlayIntent, obs: Observation): VtepReach[] {
  return u.remoteVteps.map(({ node, address }) => {
    const r = coveringRoute(address, obs.routes);
    if (!r) return { node, address, paths: 0, via: [] };
    const hops = r.nexthops ?? [{ dev: r.dev }];
    const via = hops.map((h) => h.dev).filter((d): d is string => d !== undefined);
    return { node, address, route: r.dst, paths: hops.length, via: [...new Set(via)].sort() };
  });
}

// The node's own VTEP address on lo, and a route to every remote VTEP.
export function underlayReadyCondition(u: UnderlayIntent | undefined, obs: Observation): Condition[] {
  if (!u) return [];
  if (obs.routeError) return [cond('UnderlayReady', false, 'RoutesUnreadable', obs.routeError)];
  const lo = loAddresses(obs);
  const missing = u.loopback.filter((a) => !lo.includes(a)).map((a) => `${a} not on lo`);
  const reach = vtepReachability(u, obs);
  const unrouted = reach.filter((r) => r.paths === 0).map((r) => `no route to ${r.node} (${r.address})`);
  const problems = [...missing, ...unrouted];
  const routed = reach.map((r) => `${r.node} ${r.paths}`).join(', ');
  return [
    cond(
      'UnderlayReady',
      problems.length === 0,
      problems.length === 0 ? 'VtepsRouted' : 'VtepUnreachable',
      problems.length === 0
        ? `${reach.length}/${reach.length} remote VTEPs routed (paths: ${routed || 'none'})`
        : problems.join('; '),
    ),
  ];
}

// A routed underlay: the loopback's VTEP address, and how each remote VTEP is reached.
export function underlayView(u: UnderlayIntent, obs: Observation) {
  const lo = loAddresses(obs);
  return {
    uplinks: u.uplinks,
    loopback: u.loopback.map((address) => ({ address, present: lo.includes(address) })),
    vteps: vtepReachability(u, obs),
  };
}
