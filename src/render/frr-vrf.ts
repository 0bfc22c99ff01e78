// View models for the VRF parts of the FRR file: `vrf X / vni N` blocks (with
// an exit's static default routes), the per-VRF BGP instances (type-5), and
// the route-map that makes a primary exit's default routes win. Pure.
import { isLinkLocal, parseIp } from '../resources/cidr.ts';
import { autoRouteTarget } from '../resources/names.ts';
import type { ExitIntent, NodeIntent, VrfIntent } from '../translate/intent.ts';

export const EXIT_ROUTE_MAP = 'RDEVPN-EXIT-OUT';
const PRIMARY_LOCAL_PREFERENCE = 200; // FRR's default is 100

// An exit's static default routes, as `ip route` / `ipv6 route` lines.
function staticRoutes(exit: ExitIntent | undefined): string[] {
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
    .filter((v) => v.l3vni || v.exit?.defaultRoutes.length)
    .map((v) => ({
      name: v.name,
      l3vniNumber: v.l3vni?.vni,
      staticRoutes: staticRoutes(v.exit),
    }));
}

// Symmetric IRB: one BGP instance per VRF carries its type-5 routes. Its
// router-id is the node's own: the anycast gateway IPs are the same on every
// node and must not end up in auto-derived RDs.
export function bgpVrfs(intent: NodeIntent) {
  return intent.vrfs
    .filter((v) => v.l3vni)
    .map((v) => ({
      name: v.name,
      asn: intent.asn,
      routerId: intent.routerId,
      advertiseIpv4: v.advertiseIpv4,
      advertiseIpv6: v.advertiseIpv6,
      originateDefault: v.exit?.originateDefault ?? [],
      rd: v.rd,
      importRTs: v.importRTs,
      exportRTs: v.exportRTs,
    }));
}

// A VRF with an L3VNI (symmetric IRB): the only kind that has type-5 routes.
type L3Vrf = VrfIntent & Required<Pick<VrfIntent, 'l3vni'>>;

// The route target a VRF's type-5 routes carry: the first export RT, or
// FRR's auto RT.
function vrfRouteTarget(asn: number, v: L3Vrf): string {
  return v.exportRTs[0] ?? autoRouteTarget(asn, v.l3vni.vni);
}

// A primary exit raises the local preference of the default routes it
// originates for its VRFs, so every other node sends outside traffic to it;
// without a primary, equal defaults from every exit give ECMP. One entry per
// VRF matches its type-5 default routes (IPv4 and IPv6) by `match evpn
// default-route`, guarded by the route type, and by the VRF's route target.
// FRR 8.4 never matches an EVPN default against `match ip address
// prefix-list` (seen in the VRF lab), so no prefix list is used.
export function exitPolicyView(intent: NodeIntent) {
  const primaryOf = intent.vrfs.filter(
    (v): v is L3Vrf => v.l3vni !== undefined && v.exit?.primary === true && v.exit.originateDefault.length > 0,
  );
  if (primaryOf.length === 0) return undefined;
  const entries = primaryOf.map((v, i) => ({
    seq: 10 * (i + 1),
    vrf: v.name,
    rt: vrfRouteTarget(intent.asn, v),
    localPreference: PRIMARY_LOCAL_PREFERENCE,
  }));
  return { entries };
}
