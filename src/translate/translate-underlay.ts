// The routed underlay of one node (EVPNFabric nodes with uplinks): its BGP
// unnumbered uplinks and the VTEP address it puts on the loopback and
// advertises. Pure; assumes validation passed (rules-underlay.ts).
import { canonicalIp, parseIp } from '../resources/cidr.ts';
import { isIpv6Underlay, transitNodes } from '../resources/names.ts';
import { hasIgp, isRouted } from '../resources/rules-underlay.ts';
import type { FabricNode, FabricResource } from '../resources/schema.ts';
import type { UnderlayIntent } from './intent.ts';

export function underlayFor(
  fabric: FabricResource,
  self: FabricNode,
  vtep: string,
  routerId: string,
): UnderlayIntent | undefined {
  if (!isRouted(fabric.spec)) return undefined;
  // A spine without a VTEP address advertises nothing of its own, but still
  // carries the leaves' loopbacks, in the family of the fabric's VTEPs.
  const v6 = vtep === '' ? isIpv6Underlay(fabric.spec) : parseIp(vtep)?.family === 6;
  const family = v6 ? 'ipv6' : 'ipv4';
  const host = vtep === '' ? [] : [`${vtep}/${v6 ? 128 : 32}`];
  const base = {
    owner: `EVPNFabric/${fabric.metadata.name}`,
    uplinks: [...(self.uplinks ?? [])],
    loopback: host,
    remoteVteps: remoteVteps(fabric, self),
  };
  const igp = fabric.spec.underlay;
  if (!hasIgp(fabric.spec) || !igp) return { ...base, families: [{ name: family, networks: host }] };
  if (igp.protocol === 'ospf')
    return {
      ...base,
      families: [],
      igp: { protocol: 'ospf', area: igp.area ?? '0.0.0.0', routerId, linkAddresses: host },
    };
  const net = `${(igp.area ?? DEFAULT_ISO_AREA).toLowerCase()}.${systemId(routerId)}.00`;
  return { ...base, families: [], igp: { protocol: igp.protocol, net, linkAddresses: host } };
}

export const DEFAULT_ISO_AREA = '49.0001';

// The IS-IS system ID of an IPv4 router ID, the usual way: each octet as three
// digits, the twelve digits in groups of four (10.1.1.1 -> 0100.0100.1001).
export function systemId(routerId: string): string {
  const digits = routerId
    .split('.')
    .map((o) => o.padStart(3, '0'))
    .join('');
  return `${digits.slice(0, 4)}.${digits.slice(4, 8)}.${digits.slice(8, 12)}`;
}

// Whose VTEP address this node must reach over the underlay: every other node
// that carries VNIs. Sorted by node name.
function remoteVteps(fabric: FabricResource, self: FabricNode): UnderlayIntent['remoteVteps'] {
  const transit = transitNodes(fabric.spec);
  return fabric.spec.nodes
    .flatMap((n) =>
      n.name !== self.name && !transit.has(n.name) && n.vtepAddress !== undefined
        ? [{ node: n.name, address: canonicalIp(n.vtepAddress) }]
        : [],
    )
    .sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
}

// A routed underlay forwards the VTEPs' traffic between uplinks (a spine
// always, a leaf whenever a path runs through it), in the family of the VTEP
// addresses. FRR 8.4 and 10.3's zebra switch IP forwarding on at start, 10.7's
// does not: the daemon asks for it itself.
export function underlayForwarding(u: UnderlayIntent | undefined): { ipv4: boolean; ipv6: boolean } {
  const addresses = [...(u?.loopback ?? []), ...(u?.remoteVteps.map((v) => v.address) ?? [])];
  const families = new Set(addresses.map((a) => parseIp(a.split('/')[0] as string)?.family));
  return { ipv4: families.has(4), ipv6: families.has(6) };
}
