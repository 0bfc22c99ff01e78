// View models for the VRF parts of the FRR file: `vrf X / vni N` blocks (with
// an exit's static default routes), the per-VRF BGP instances (type-5), and
// the route-map that makes a primary exit's default routes win. Pure.
import { isLinkLocal, parseIp } from '../resources/cidr.ts';
import { autoRouteTarget } from '../resources/names.ts';
import type { ExitIntent, NodeIntent, VrfIntent } from '../translate/intent.ts';

export const EXIT_ROUTE_MAP = 'RDEVPN-EXIT-OUT';
const PRIMARY_LOCAL_PREFERENCE = 200; // FRR's default is 100

// Distance of the unreachable defaults: above every routing protocol (EVPN
// type-5 defaults are 20 or 200), below 255, which FRR never installs.
export const UNREACHABLE_DISTANCE = 250;

// A VRF's static routes: an exit's default routes, a host-routing exit's
// null routes for the other leaked VRFs' subnets, then the unreachable
// defaults (zebra installs them as kernel `unreachable` routes whenever no
// other default is there), as `ip route` / `ipv6 route` lines.
function staticRoutes(vrf: VrfIntent): string[] {
  const unreachable = vrf.unreachableDefault
    ? [`ip route 0.0.0.0/0 reject ${UNREACHABLE_DISTANCE}`, `ipv6 route ::/0 reject ${UNREACHABLE_DISTANCE}`]
    : [];
  const nullRoutes = (vrf.hostExit?.nullRoutes ?? []).map(
    (p) => `${p.includes(':') ? 'ipv6' : 'ip'} route ${p} blackhole`,
  );
  return [...exitRoutes(vrf.exit), ...nullRoutes, ...unreachable];
}

// An exit's static default routes.
function exitRoutes(exit: ExitIntent | undefined): string[] {
  if (!exit) return [];
  return exit.defaultRoutes.map((r) => {
    if (r.family === 'ipv4') return `ip route 0.0.0.0/0 ${r.nextHop}`;
    // A link-local next hop is only meaningful together with its interface.
    const hop = parseIp(r.nextHop);
    return hop && isLinkLocal(hop) ? `ipv6 route ::/0 ${r.nextHop} ${exit.interface}` : `ipv6 route ::/0 ${r.nextHop}`;
  });
}

// Only VRFs FRR must be told about: an L3VNI to map, or routes to install.
export function vrfBlocks(intent: NodeIntent) {
  return intent.vrfs
    .map((v) => ({ name: v.name, l3vniNumber: v.l3vni?.vni, staticRoutes: staticRoutes(v) }))
    .filter((v) => v.l3vniNumber !== undefined || v.staticRoutes.length > 0);
}

// Static routes of the default table: local routing's routes to the VRF's
// IPv4 subnets through the veth pair (the VRF end's address, the host end).
export function globalRoutes(intent: NodeIntent): string[] {
  return intent.vrfs.flatMap((v) => {
    const lr = v.hostExit?.localRouting;
    const via = lr?.vrfAddress.split('/')[0];
    return lr ? lr.routes.map((r) => `ip route ${r} ${via} ${lr.hostDevice}`) : [];
  });
}

// Symmetric IRB: one BGP instance per VRF carries its type-5 routes. Its
// router-id is the node's own: the anycast gateway IPs are the same on every
// node and must not end up in auto-derived RDs. A host-routing exit
// redistributes the VRF's connected subnets so the default table can leak them.
export function bgpVrfs(intent: NodeIntent) {
  return intent.vrfs
    .filter((v) => v.l3vni)
    .map((v) => ({
      name: v.name,
      asn: intent.asn,
      routerId: intent.routerId,
      advertiseIpv4: v.advertiseIpv4,
      advertiseIpv6: v.advertiseIpv6,
      redistributeIpv4: v.advertiseIpv4 || (v.hostExit?.families.includes('ipv4') ?? false),
      redistributeIpv6: v.advertiseIpv6 || (v.hostExit?.families.includes('ipv6') ?? false),
      originateDefault: exitOf(v)?.originateDefault ?? [],
      rd: v.rd,
      importRTs: v.importRTs,
      exportRTs: v.exportRTs,
    }));
}

// The VRFs a host-routing exit leaks into the default table, per family.
export function leakedVrfs(intent: NodeIntent, family: 'ipv4' | 'ipv6'): string[] {
  return intent.vrfs.filter((v) => v.l3vni && v.hostExit?.families.includes(family)).map((v) => v.name);
}

// A VRF with an L3VNI (symmetric IRB): the only kind that has type-5 routes.
type L3Vrf = VrfIntent & Required<Pick<VrfIntent, 'l3vni'>>;

const exitOf = (v: VrfIntent) => v.exit ?? v.hostExit;

// The route target a VRF's type-5 routes carry: the first export RT, or
// FRR's auto RT.
function vrfRouteTarget(asn: number, v: L3Vrf): string {
  return v.exportRTs[0] ?? autoRouteTarget(asn, v.l3vni.vni);
}

export const EVPN_IN_ROUTE_MAP = 'RDEVPN-EVPN-IN';

// Two policies on the EVPN sessions, each entry matching one VRF's type-5
// default routes (IPv4 and IPv6) by `match evpn default-route`, guarded by
// the route type, and by the VRF's route target (FRR 8.4 never matches an
// EVPN default against `match ip address prefix-list`, seen in the VRF lab):
// - out (RDEVPN-EXIT-OUT): a primary exit raises the local preference of the
//   defaults it originates, so every other node sends outside traffic to it;
//   without a primary, equal defaults from every exit give ECMP;
// - in (RDEVPN-EVPN-IN): a host-routing exit takes no other exit's default
//   for the VRF: its outside traffic falls through to its own routing table;
//   unless another node is the VRF's primary: then it takes the defaults,
//   and its tenants go out through the primary while that is up.
export function exitPolicyView(intent: NodeIntent) {
  const l3 = intent.vrfs.filter((v): v is L3Vrf => v.l3vni !== undefined);
  const primaryOf = l3.filter((v) => exitOf(v)?.primary === true && (exitOf(v)?.originateDefault.length ?? 0) > 0);
  const hostExits = l3.filter((v) => v.hostExit !== undefined && !v.hostExit.takesDefaults);
  if (primaryOf.length === 0 && hostExits.length === 0) return undefined;
  const rtLists = [...new Set([...primaryOf, ...hostExits])]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((v) => ({ vrf: v.name, rt: vrfRouteTarget(intent.asn, v) }));
  const out = primaryOf.map((v, i) => ({ seq: 10 * (i + 1), vrf: v.name, localPreference: PRIMARY_LOCAL_PREFERENCE }));
  const deny = hostExits.map((v, i) => ({ seq: 10 * (i + 1), vrf: v.name }));
  return {
    rtLists,
    out: out.length > 0 ? { entries: out, routeMap: EXIT_ROUTE_MAP } : undefined,
    in: deny.length > 0 ? { entries: deny, routeMap: EVPN_IN_ROUTE_MAP } : undefined,
  };
}
