// Pure parsers of zebra's L3VNI views: `show vrf vni json`, `show evpn rmac
// vni all json` and `show evpn next-hops vni all json` (FRR 8.4 shapes, later
// versions tolerated). zebra prints "None" for an L3VNI's missing devices and
// MAC, `{}` when there is nothing; both parse to "absent", never to a throw.

import { unmapIpv4 } from '../resources/cidr.ts';
import { asArray, asRecord, compareNatural, defined, num, present, recordEntries, str } from './json-narrow.ts';
import { perVni } from './parse-evpn.ts';

export interface VrfVni {
  vrf: string;
  vni: number;
  vxlanIntf?: string;
  sviIntf?: string;
  /** "Up" or "Down" (zebra's words). */
  state: string;
  routerMac?: string;
}

/** A remote VTEP's router MAC, learned from type-2/type-5 routes of one L3VNI. */
export interface RemoteRouterMac {
  vni: number;
  routerMac: string;
  vtepIp: string;
}

/** A remote VTEP as a next hop of one L3VNI (one entry per address family). */
export interface EvpnNextHop {
  vni: number;
  /** As zebra prints it: "10.99.2.2", or "::ffff:a63:202" for IPv6 routes over an IPv4 VTEP. */
  ip: string;
  /** The VTEP address: `ip` with an IPv4-mapped IPv6 address turned back into IPv4. */
  vtep: string;
  routerMac?: string;
}

// The "vni all" form keys by VNI; a bare single-VNI answer without the VNI
// to file it under is skipped rather than thrown on.
function l3vniEntries(json: unknown, marker: string, vni: number | undefined): ReturnType<typeof perVni> {
  const rec = asRecord(json);
  if (rec && marker in rec && vni === undefined) return [];
  return perVni(json, marker, vni, marker);
}

/** `show vrf vni json`: {"vrfs": [{vrf, vni, vxlanIntf, sviIntf, state, routerMac}]}, sorted by VRF. */
export function parseVrfVnis(json: unknown): VrfVni[] {
  const out: VrfVni[] = [];
  for (const item of asArray(asRecord(json)?.vrfs)) {
    const v = asRecord(item);
    const vrf = v ? str(v.vrf) : undefined;
    const vni = v ? num(v.vni) : undefined;
    if (!v || vrf === undefined || vni === undefined) continue;
    out.push(
      defined({
        vrf,
        vni,
        vxlanIntf: present(v.vxlanIntf) ?? present(v.vxlanIf),
        sviIntf: present(v.sviIntf) ?? present(v.sviIf),
        state: str(v.state) ?? 'Unknown',
        routerMac: present(v.routerMac),
      }),
    );
  }
  return out.sort((a, b) => compareNatural(a.vrf, b.vrf));
}

/**
 * `show evpn rmac vni all json`: {"<l3vni>": {numRmacs, "<mac>": {routerMac, vtepIp}}}
 * (or `show evpn rmac vni <N> json` with `vni`). Sorted by VNI, then MAC.
 */
export function parseEvpnRmacs(json: unknown, vni?: number): RemoteRouterMac[] {
  const out: RemoteRouterMac[] = [];
  for (const [n, v] of l3vniEntries(json, 'numRmacs', vni)) {
    for (const [key, m] of recordEntries(v)) {
      const routerMac = present(m.routerMac) ?? key;
      const vtepIp = present(m.vtepIp);
      if (vtepIp !== undefined) out.push({ vni: n, routerMac, vtepIp });
    }
  }
  return out.sort((a, b) => a.vni - b.vni || compareNatural(a.routerMac, b.routerMac));
}

/**
 * `show evpn next-hops vni all json`: {"<l3vni>": {numNextHops, "<ip>": {nexthopIp, routerMac}}}
 * (or `show evpn next-hops vni <N> json` with `vni`). Sorted by VNI, then IP.
 */
export function parseEvpnNextHops(json: unknown, vni?: number): EvpnNextHop[] {
  const out: EvpnNextHop[] = [];
  for (const [n, v] of l3vniEntries(json, 'numNextHops', vni)) {
    for (const [key, h] of recordEntries(v)) {
      const ip = present(h.nexthopIp) ?? present(h.ip) ?? key;
      out.push(defined({ vni: n, ip, vtep: unmapIpv4(ip), routerMac: present(h.routerMac) }));
    }
  }
  return out.sort((a, b) => a.vni - b.vni || compareNatural(a.ip, b.ip));
}
