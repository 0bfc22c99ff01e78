// Shape of each resource kind (step 1 of validation). Value ranges and
// cross-resource rules live in rules.ts so every problem gets its own code.
import { z } from 'zod';

export const EVPN_API_VERSION = 'evpn.routerd.net/v1alpha1';
export const ROUTER_API_VERSION = 'routerd.net/v1alpha1';

// zod 3 refused a Map, Set or Date (YAML !!omap, !!set, !!timestamp) where a
// mapping belongs; zod 4 takes any non-array object, so those are refused first.
export function asMapping<T extends z.ZodType>(schema: T) {
  const mapping = z.custom<unknown>().check((ctx) => {
    const v = ctx.value;
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && !isMapSetOrDate(v)) return;
    ctx.issues.push({ code: 'invalid_type', expected: 'object', input: v });
  });
  return mapping.pipe(schema);
}

function isMapSetOrDate(v: object): boolean {
  return v instanceof Map || v instanceof Set || v instanceof Date;
}

// zod 3 read any object as a record, a YAML !!binary Buffer too (key by key);
// zod 4 refuses a Buffer outright.
export function asRecord<T extends z.ZodType>(record: T) {
  return z.preprocess((v) => (v instanceof Uint8Array ? { ...v } : v), record);
}

function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  return asMapping(z.strictObject(shape));
}

// zod 3's number().int(): a number that is not whole (.inf too) is a failed
// check rather than a wrong type, so a union reports it as such; there is no
// safe-integer cap (rules.ts checks each range).
function integer() {
  return z.custom<number>().check((ctx) => {
    const input: unknown = ctx.value;
    if (typeof input !== 'number' || Number.isNaN(input)) {
      ctx.issues.push({ code: 'invalid_type', expected: 'number', input });
    } else if (!Number.isInteger(input)) {
      ctx.issues.push({ code: 'invalid_type', expected: 'integer', input, continue: true });
    }
  });
}

const name = z.string();
const stringList = z.array(z.string());
const stringMap = asRecord(z.record(z.string(), z.string()));

export const metadataSchema = strictObject({
  name: z.string(),
  annotations: stringMap.optional(),
  labels: stringMap.optional(),
});

// routerd's secret source: the secret is read on the node, from a file or an
// environment variable of the daemon; base64: true when that text is base64.
const secretSourceSchema = strictObject({
  file: z.string().optional(),
  env: z.string().optional(),
  base64: z.boolean().optional(),
});

// BFD on BGP sessions: true for FRR's defaults, or timers (milliseconds).
const bfdSchema = z.union([
  z.boolean(),
  strictObject({
    detectMultiplier: integer().optional(),
    receiveInterval: integer().optional(),
    transmitInterval: integer().optional(),
  }),
]);

export const ADDRESS_FAMILIES = ['ipv4Unicast', 'ipv6Unicast', 'l2vpnEvpn'] as const;

// A BGP neighbor outside the fabric's own sessions: an upstream router, an
// external route server, a node configured by other means.
const peerSchema = strictObject({
  address: z.string().optional(),
  interface: z.string().optional(),
  asn: integer().optional(),
  remoteAs: z.enum(['internal', 'external']).optional(),
  description: z.string().optional(),
  passwordFrom: secretSourceSchema.optional(),
  multihop: z.union([z.boolean(), integer()]).optional(),
  bfd: bfdSchema.optional(),
  addressFamilies: z.array(z.enum(ADDRESS_FAMILIES)).optional(),
});

const fabricNodeSchema = strictObject({
  name,
  vtepAddress: z.string().optional(), // required but on spines (rules.ts)
  routerID: z.string().optional(),
  asn: integer().optional(),
  roles: z.array(z.enum(['leaf', 'route-reflector', 'exit', 'spine'])).optional(),
  peers: z.array(peerSchema).optional(),
  uplinks: stringList.optional(),
  vxlanDevice: z.enum(['perVni', 'single']).optional(),
});

const routeTargetsSchema = strictObject({ import: stringList.optional(), export: stringList.optional() });

const duplicateAddressDetectionSchema = strictObject({
  maxMoves: integer().optional(),
  time: integer().optional(),
  freeze: z.union([z.boolean(), integer(), z.literal('permanent')]).optional(),
});

export const fabricSpecSchema = strictObject({
  asn: integer().optional(),
  nodes: z.array(fabricNodeSchema),
  routeReflectors: strictObject({
    nodes: stringList.optional(),
    clusterID: z.string().optional(),
    external: stringList.optional(),
  }).optional(),
  external: stringList.optional(),
  irb: z.enum(['symmetric', 'asymmetric']).optional(),
  arpNdSuppression: z.boolean().optional(),
  macLearning: z.boolean().optional(),
  bfd: bfdSchema.optional(),
  passwordFrom: secretSourceSchema.optional(),
  mtu: integer().optional(),
  underlayMTU: integer().optional(),
  udpPort: integer().optional(),
  duplicateAddressDetection: duplicateAddressDetectionSchema.optional(),
  vxlanDevice: z.enum(['perVni', 'single']).optional(),
  underlay: strictObject({
    protocol: z.enum(['ospf', 'isis', 'openfabric']),
    area: z.string().optional(),
  }).optional(),
});

export const networkSpecSchema = strictObject({
  vni: integer(),
  vlan: integer().optional(),
  vrf: z.string().optional(),
  // One CIDR per family, or a list: several subnets on one network, each
  // with its gateway address (the first of each family is the primary).
  gateway: strictObject({
    ipv4: z.union([z.string(), stringList]).optional(),
    ipv6: z.union([z.string(), stringList]).optional(),
    mac: z.string().optional(),
    snat: z.boolean().optional(), // source-NAT the subnets at the VRF's exits
  }).optional(),
  arpNdSuppression: z.boolean().optional(),
  mtu: integer().optional(),
  rd: z.string().optional(),
  routeTargets: routeTargetsSchema.optional(),
  nodes: stringList.optional(),
  replication: z.enum(['evpn', 'static', 'multicast']).optional(),
  flood: stringList.optional(),
  group: z.string().optional(),
  bridge: z.string().optional(),
  ports: z.array(strictObject({ node: z.string(), interface: z.string() })).optional(),
});

const cidrPair = { ipv4: z.string().optional(), ipv6: z.string().optional() };

// An exit node's uplink into the outside world: an interface the daemon moves
// into the VRF, its address(es) and the outside router's address(es).
const exitUplinkSchema = strictObject({
  node: name,
  interface: z.string(),
  address: strictObject(cidrPair),
  nextHop: strictObject(cidrPair),
});

const vrfExitSchema = strictObject({
  nodes: stringList,
  primary: name.optional(),
  defaultRoute: z.boolean().optional(),
  snat: z.unknown().optional(),
  uplinks: z.array(exitUplinkSchema).optional(),
  // Proxmox VE's exitnodes-local-routing: a veth pair instead of leaking
  localRouting: z.union([z.boolean(), strictObject({ subnet: z.string() })]).optional(),
});

export const vrfSpecSchema = strictObject({
  l3vni: integer().optional(),
  vlan: integer().optional(),
  table: z.union([integer(), z.literal('auto')]).optional(),
  routerMAC: z.union([z.string(), stringMap]).optional(),
  rd: z.string().optional(),
  routeTargets: routeTargetsSchema.optional(),
  advertise: strictObject({ ipv4Unicast: z.boolean().optional(), ipv6Unicast: z.boolean().optional() }).optional(),
  exit: vrfExitSchema.optional(),
  nodes: stringList.optional(),
});

export type FabricSpec = z.infer<typeof fabricSpecSchema>;
export type VrfSpec = z.infer<typeof vrfSpecSchema>;
export type ExitUplinkSpec = z.infer<typeof exitUplinkSchema>;
export type FabricNode = z.infer<typeof fabricNodeSchema>;
export type PeerSpec = z.infer<typeof peerSchema>;
export type SecretSource = z.infer<typeof secretSourceSchema>;
export type BfdSpec = z.infer<typeof bfdSchema>;
export type NetworkSpec = z.infer<typeof networkSpecSchema>;

export interface ResourceMeta {
  name: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface Resource<K extends string = string, S = unknown> {
  apiVersion: string;
  kind: K;
  metadata: ResourceMeta;
  spec: S;
}

export type FabricResource = Resource<'EVPNFabric', FabricSpec>;
export type NetworkResource = Resource<'EVPNNetwork', NetworkSpec>;
export type VrfResource = Resource<'EVPNVRF', VrfSpec>;
export type KnownResource = FabricResource | NetworkResource | VrfResource;

export const SPEC_SCHEMAS: Record<string, Record<string, z.ZodType>> = {
  [EVPN_API_VERSION]: { EVPNFabric: fabricSpecSchema, EVPNNetwork: networkSpecSchema, EVPNVRF: vrfSpecSchema },
};

export function resourceId(r: { kind: string; metadata: { name: string } }): string {
  return `${r.kind}/${r.metadata.name}`;
}

export function identity(r: { apiVersion: string; kind: string; metadata: { name: string } }): string {
  return `${r.apiVersion}/${r.kind}/${r.metadata.name}`;
}
