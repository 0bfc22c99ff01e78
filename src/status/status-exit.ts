// Pure: an exit node's way out of a VRF - the uplink enslaved to the VRF with
// its addresses, and the static default routes in the VRF's table; or, with
// host routing, no default in the VRF and its routes leaked into main.

import type { Observation } from '../observe/collect.ts';
import { canonicalCidr } from '../resources/cidr.ts';
import { DEFAULT_DST, type KernelRoute, MAIN_TABLE } from '../system/parse-ip-route.ts';
import type { ExitIntent, HostExitIntent, LocalRoutingIntent, VrfIntent } from '../translate/intent.ts';
import { type Condition, cond } from './conditions.ts';

function routeVia(r: KernelRoute, nextHop: string): boolean {
  const hops = r.nexthops?.map((h) => h.gateway) ?? [r.gateway];
  return hops.some((g) => g !== undefined && canonicalCidr(g) === canonicalCidr(nextHop));
}

export function exitView(
  v: VrfIntent,
  exit: ExitIntent,
  obs: Observation,
): { condition: Condition; view: Record<string, unknown> } {
  const link = obs.links.find((l) => l.name === exit.interface);
  const have = new Set((link?.addresses ?? []).map(canonicalCidr));
  const addresses = exit.addresses.map((a) => ({ address: a, present: have.has(canonicalCidr(a)) }));
  const table = obs.routes.filter((r) => r.tableId === v.table && r.type === 'unicast');
  const defaultRoutes = exit.defaultRoutes.map((d) => ({
    family: d.family,
    nextHop: d.nextHop,
    present: table.some((r) => r.family === d.family && r.dst === DEFAULT_DST[d.family] && routeVia(r, d.nextHop)),
  }));
  const p: string[] = [];
  if (!link) p.push(`uplink ${exit.interface} missing`);
  else {
    if (link.master !== v.name) p.push(`uplink ${exit.interface} master ${link.master ?? 'none'} != ${v.name}`);
    if (!link.up) p.push(`uplink ${exit.interface} down`);
  }
  for (const a of addresses) if (!a.present) p.push(`address ${a.address} missing on ${exit.interface}`);
  if (obs.routeError) p.push(`routes unreadable: ${obs.routeError}`);
  else
    for (const d of defaultRoutes)
      if (!d.present) p.push(`${d.family} default route via ${d.nextHop} missing from table ${v.table}`);
  const condition = cond(
    'ExitReady',
    p.length === 0,
    p.length ? 'ExitDiffers' : 'AsDesired',
    p.join('; ') || `uplink ${exit.interface} in VRF ${v.name}, ${defaultRoutes.length} default routes present`,
  );
  return {
    condition,
    view: {
      primary: exit.primary,
      uplink: {
        name: exit.interface,
        present: link !== undefined,
        inVrf: link?.master === v.name,
        up: link?.up ?? false,
      },
      addresses,
      defaultRoutes,
      originateDefault: exit.originateDefault,
    },
  };
}

// A host-routing exit (no uplink): outside traffic must fall through the
// VRF's table, so it must hold no default route (another exit's would pull
// the traffic there), unless another node is the primary, whose default it
// takes; and the VRF's routes leaked into the main table (by `import vrf`)
// bring the replies back: counted, those through a device of the VRF (its
// L3VNI SVI, its bridges).
export function hostExitView(
  v: VrfIntent,
  exit: HostExitIntent,
  obs: Observation,
): { condition: Condition; view: Record<string, unknown> } {
  const vrfDevices = new Set(obs.links.filter((l) => l.master === v.name).map((l) => l.name));
  const inVrf = (r: KernelRoute) =>
    [r.dev, ...(r.nexthops?.map((h) => h.dev) ?? [])].some((d) => d && vrfDevices.has(d));
  const defaults = obs.routes.filter(
    (r) => r.tableId === v.table && r.type === 'unicast' && (r.dst === DEFAULT_DST.ipv4 || r.dst === DEFAULT_DST.ipv6),
  );
  const leaked = obs.routes.filter((r) => r.tableId === MAIN_TABLE && inVrf(r));
  const p: string[] = [];
  if (obs.routeError) p.push(`routes unreadable: ${obs.routeError}`);
  for (const d of exit.takesDefaults ? [] : defaults)
    p.push(
      `${d.family} default route in table ${v.table} (via ${d.gateway ?? d.nexthops?.map((h) => h.gateway).join(', ') ?? d.dev}): outside traffic goes there, not through this node's own table`,
    );
  const condition = cond(
    'ExitReady',
    p.length === 0,
    p.length ? 'ExitDiffers' : 'AsDesired',
    p.join('; ') ||
      (exit.takesDefaults
        ? `host routing, ${defaults.length > 0 ? 'outside traffic to the primary exit' : 'no default from the primary exit: outside traffic through this node'}, ${leaked.length} of its routes in the main table`
        : `host routing: no default route in VRF ${v.name}, ${leaked.length} of its routes in the main table`),
  );
  return {
    condition,
    view: {
      primary: exit.primary,
      hostRouting: true,
      leakedFamilies: exit.families,
      leakedRoutes: leaked.map((r) => r.dst).sort(),
      originateDefault: exit.originateDefault,
      takesDefaults: exit.takesDefaults,
      ...(exit.localRouting ? { localRouting: localRoutingView(exit.localRouting, obs) } : {}),
    },
  };
}

// Local routing: the veth pair as the kernel has it, and the routes to the
// VRF's subnets in the main table through it.
function localRoutingView(lr: LocalRoutingIntent, obs: Observation): Record<string, unknown> {
  const end = (name: string) => {
    const link = obs.links.find((l) => l.name === name);
    return { name, present: link !== undefined, up: link?.up ?? false, master: link?.master };
  };
  const routed = new Set(
    obs.routes.filter((r) => r.tableId === MAIN_TABLE && r.dev === lr.hostDevice).map((r) => r.dst),
  );
  return {
    hostEnd: end(lr.hostDevice),
    vrfEnd: end(lr.vrfDevice),
    routes: lr.routes.map((dst) => ({ dst, present: routed.has(dst) })),
  };
}
