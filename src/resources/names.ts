// Names and derived defaults shared by validation, translation and rendering.
import { isIP } from 'node:net';
import type { FabricSpec, NetworkResource } from './schema.ts';

export const IFNAME_MAX_BYTES = 15;
export const IFNAME_PATTERN = /^[A-Za-z0-9_.-]+$/;
export const RESOURCE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
export const DEFAULT_UDP_PORT = 4789;
export const DEFAULT_UNDERLAY_MTU = 1500;
export const VNI_MIN = 1;
export const VNI_MAX = 16_777_215;
export const MTU_MIN = 576;
export const MTU_MAX = 9216;

// VXLAN encapsulation: outer Ethernet 14 + IP (20 or 40) + UDP 8 + VXLAN 8.
export function vxlanOverhead(ipv6Underlay: boolean): number {
  return ipv6Underlay ? 70 : 50;
}

export function bridgeName(network: NetworkResource): string {
  return network.spec.bridge ?? network.metadata.name;
}

// Always fits 15 bytes: "vxlan" + at most 8 digits.
export function vxlanName(vni: number): string {
  return `vxlan${vni}`;
}

export function ifnameProblem(value: string): { code: 'IFNAME_TOO_LONG' | 'IFNAME_INVALID'; message: string } | undefined {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > IFNAME_MAX_BYTES) return { code: 'IFNAME_TOO_LONG', message: `interface name "${value}" is ${bytes} bytes; Linux allows at most ${IFNAME_MAX_BYTES}` };
  if (value === '' || value === '.' || value === '..' || !IFNAME_PATTERN.test(value)) return { code: 'IFNAME_INVALID', message: `interface name "${value}" must be non-empty and use only [A-Za-z0-9_.-]` };
  return undefined;
}

export function isIpv6Underlay(fabric: FabricSpec): boolean {
  return fabric.nodes.some((n) => isIP(n.vtepAddress) === 6);
}

export function overlayMtu(fabric: FabricSpec): number {
  return fabric.mtu ?? (fabric.underlayMTU ?? DEFAULT_UNDERLAY_MTU) - vxlanOverhead(isIpv6Underlay(fabric));
}

export function ownerTag(kind: string, name: string): string {
  return `routerd-evpn:${kind}/${name}`;
}

// RRs are the nodes named in routeReflectors.nodes or carrying the role.
export function routeReflectorNodes(spec: FabricSpec): Set<string> {
  return new Set([...(spec.routeReflectors?.nodes ?? []), ...spec.nodes.filter((n) => n.roles?.includes('route-reflector')).map((n) => n.name)]);
}
