// What the routing rules (rules-vrf.ts, rules-exit.ts, rules-gateway.ts) share:
// the names already claimed, the facts gathered per VRF, and small helpers.
import { cidrProblem } from './address-rules.ts';
import type { Cidr, Family } from './cidr.ts';
import type { Push } from './error-codes.ts';
import type { FabricResource, NetworkResource, VrfResource } from './schema.ts';

// What the L2 rules already handed out; the VRF rules add theirs.
export interface Claimed {
  vnis: Map<number, string>; // VNI -> owner, e.g. EVPNNetwork/blue
  devices: Map<string, string>; // interface name -> owner, e.g. EVPNNetwork/blue (bridge)
  ports: Map<string, string>; // node/interface -> EVPNNetwork/blue
  transfers: Map<string, { owner: string; cidr: Cidr }[]>; // node -> local-routing transfer subnets there
}

export interface RoutingInput {
  fabric?: FabricResource;
  nodes: Set<string>; // EVPNFabric spec.nodes
  transit: Map<string, 'route reflector' | 'spine'>; // nodes that carry no VNIs (names.ts transitNodes)
  vrfs: VrfResource[];
  networks: NetworkResource[];
  failedKinds: ReadonlySet<string>;
}

export interface Subnet {
  owner: string;
  label: string;
  path: string;
  cidr: Cidr;
  push: Push;
}
export interface RouterMac {
  node: string;
  mac: string;
  path?: string;
} // path: where the MAC was given
export interface VrfFacts {
  vrf: VrfResource;
  push: Push;
  nodes: string[];
  macs: RouterMac[];
  subnets: Subnet[];
}

export const ASYMMETRIC =
  'the fabric has irb: asymmetric, which routes at the ingress VTEP between L2VNIs and uses no L3VNI and no type-5 routes; remove it or set EVPNFabric spec.irb: symmetric';
export const MAC_ROLES = 'a router MAC identifies one VTEP, while the anycast gateway MAC is the same on every node';
export const list = (xs: readonly string[]) => xs.join(', ') || 'none';
export const keyPath = (base: string, key: string) =>
  /^[A-Za-z0-9_-]+$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;

export function claim(devices: Map<string, string>, name: string, owner: string, path: string, push: Push): void {
  const prev = devices.get(name);
  if (prev) push(path, 'DEVICE_NAME_DUPLICATE', `interface name "${name}" of ${owner} is already used by ${prev}`);
  else devices.set(name, owner);
}

// A CIDR of one family whose address is a host of its own subnet. Returns the
// parsed CIDR (also after a host-address problem, for the overlap checks).
export function checkCidr(
  push: Push,
  path: string,
  text: string | undefined,
  family: Family,
  what: string,
): Cidr | undefined {
  if (text === undefined) return undefined;
  const { cidr, problem } = cidrProblem(text, family, what);
  if (problem) push(path, problem.code, problem.message);
  return cidr;
}
