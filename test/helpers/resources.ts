// Resource documents for tests: a fabric, networks and VRFs with sensible
// defaults, any spec field overridable, and a YAML stream of them.
import { stringify } from 'yaml';
import { EVPN_API_VERSION } from '../../src/resources/schema.ts';

export const API = EVPN_API_VERSION;

export type Obj = Record<string, unknown>;

export type Doc = {
  apiVersion: string;
  kind: string;
  metadata: Obj & { name: string };
  spec: Obj;
};

export interface FabricNode {
  name: string;
  vtepAddress: string;
  roles?: string[];
  routerID?: string;
  asn?: number;
  uplinks?: string[];
}

// Two leaves and a route reflector that is not named as one (tests add the role or list).
export const LEAVES_AND_RR: FabricNode[] = [
  { name: 'leaf1', vtepAddress: '10.0.0.1' },
  { name: 'leaf2', vtepAddress: '10.0.0.2' },
  { name: 'rr1', vtepAddress: '10.0.0.9' },
];

export const THREE_LEAVES: FabricNode[] = [
  { name: 'leaf1', vtepAddress: '10.0.0.1' },
  { name: 'leaf2', vtepAddress: '10.0.0.2' },
  { name: 'leaf3', vtepAddress: '10.0.0.3' },
];

// leaf1, leaf2, exit1, exit2 carry VNIs; rr1 is the route reflector.
export const LEAVES_EXITS_RR: FabricNode[] = [
  { name: 'leaf1', vtepAddress: '10.0.0.1' },
  { name: 'leaf2', vtepAddress: '10.0.0.2' },
  { name: 'exit1', vtepAddress: '10.0.0.3', roles: ['exit'] },
  { name: 'exit2', vtepAddress: '10.0.0.4', roles: ['exit'] },
  { name: 'rr1', vtepAddress: '10.0.0.9', roles: ['route-reflector'] },
];

export function resource(kind: string, name: string, spec: Obj): Doc {
  return { apiVersion: API, kind, metadata: { name }, spec };
}

// A fabric builder whose default nodes are `nodes`: fabric(spec overrides, name).
export function fabricOn(nodes: readonly FabricNode[]): (spec?: Obj, name?: string) => Doc {
  return (spec = {}, name = 'lab') => resource('EVPNFabric', name, { asn: 65000, nodes, ...spec });
}

export const network = (name: string, spec: Obj): Doc => resource('EVPNNetwork', name, spec);

export const vrf = (name: string, spec: Obj): Doc => resource('EVPNVRF', name, spec);

// A multi-document YAML stream, one document per resource.
export function stream(...docs: object[]): string {
  return docs.map((d) => stringify(d)).join('---\n');
}
