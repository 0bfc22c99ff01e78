// Shape of each resource kind (step 1 of validation). Value ranges and
// cross-resource rules live in rules.ts so every problem gets its own code.
import { z } from 'zod';

export const EVPN_API_VERSION = 'evpn.routerd.net/v1alpha1';
export const ROUTER_API_VERSION = 'routerd.net/v1alpha1';

const name = z.string();
const stringList = z.array(z.string());

export const metadataSchema = z
  .object({
    name: z.string(),
    annotations: z.record(z.string()).optional(),
    labels: z.record(z.string()).optional(),
  })
  .strict();

const secretSourceSchema = z
  .object({ file: z.string().optional(), env: z.string().optional(), base64: z.string().optional() })
  .strict();

const fabricNodeSchema = z
  .object({
    name,
    vtepAddress: z.string(),
    routerID: z.string().optional(),
    asn: z.number().int().optional(),
    roles: z.array(z.enum(['leaf', 'route-reflector', 'exit'])).optional(),
    peers: z.array(z.unknown()).optional(),
    uplinks: stringList.optional(),
  })
  .strict();

export const fabricSpecSchema = z
  .object({
    asn: z.number().int().optional(),
    nodes: z.array(fabricNodeSchema),
    routeReflectors: z
      .object({ nodes: stringList.optional(), clusterID: z.string().optional(), external: stringList.optional() })
      .strict()
      .optional(),
    external: stringList.optional(),
    irb: z.enum(['symmetric', 'asymmetric']).optional(),
    arpNdSuppression: z.boolean().optional(),
    macLearning: z.boolean().optional(),
    bfd: z.boolean().optional(),
    passwordFrom: secretSourceSchema.optional(),
    mtu: z.number().int().optional(),
    underlayMTU: z.number().int().optional(),
    udpPort: z.number().int().optional(),
    duplicateAddressDetection: z
      .object({ maxMoves: z.number().int().optional(), time: z.number().int().optional(), freeze: z.union([z.boolean(), z.number().int(), z.literal('permanent')]).optional() })
      .strict()
      .optional(),
  })
  .strict();

export const networkSpecSchema = z
  .object({
    vni: z.number().int(),
    vrf: z.string().optional(),
    gateway: z.object({ ipv4: z.string().optional(), ipv6: z.string().optional(), mac: z.string().optional() }).strict().optional(),
    arpNdSuppression: z.boolean().optional(),
    mtu: z.number().int().optional(),
    rd: z.string().optional(),
    routeTargets: z.object({ import: stringList.optional(), export: stringList.optional() }).strict().optional(),
    nodes: stringList.optional(),
    replication: z.enum(['evpn', 'static', 'multicast']).optional(),
    flood: stringList.optional(),
    group: z.string().optional(),
    bridge: z.string().optional(),
    ports: z.array(z.object({ node: z.string(), interface: z.string() }).strict()).optional(),
  })
  .strict();

const cidrPair = { ipv4: z.string().optional(), ipv6: z.string().optional() };

// An exit node's uplink into the outside world: an interface the daemon moves
// into the VRF, its address(es) and the outside router's address(es).
const exitUplinkSchema = z
  .object({
    node: name,
    interface: z.string(),
    address: z.object(cidrPair).strict(),
    nextHop: z.object(cidrPair).strict(),
  })
  .strict();

export const vrfSpecSchema = z
  .object({
    l3vni: z.number().int().optional(),
    table: z.union([z.number().int(), z.literal('auto')]).optional(),
    routerMAC: z.union([z.string(), z.record(z.string())]).optional(),
    rd: z.string().optional(),
    routeTargets: z.object({ import: stringList.optional(), export: stringList.optional() }).strict().optional(),
    advertise: z.object({ ipv4Unicast: z.boolean().optional(), ipv6Unicast: z.boolean().optional() }).strict().optional(),
    exit: z
      .object({
        nodes: stringList,
        primary: name.optional(),
        defaultRoute: z.boolean().optional(),
        snat: z.unknown().optional(),
        uplinks: z.array(exitUplinkSchema).optional(),
      })
      .strict()
      .optional(),
    nodes: stringList.optional(),
  })
  .strict();

export type FabricSpec = z.infer<typeof fabricSpecSchema>;
export type VrfSpec = z.infer<typeof vrfSpecSchema>;
export type ExitUplinkSpec = z.infer<typeof exitUplinkSchema>;
export type FabricNode = z.infer<typeof fabricNodeSchema>;
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

export const SPEC_SCHEMAS: Record<string, Record<string, z.ZodTypeAny>> = {
  [EVPN_API_VERSION]: { EVPNFabric: fabricSpecSchema, EVPNNetwork: networkSpecSchema, EVPNVRF: vrfSpecSchema },
};

export function resourceId(r: { kind: string; metadata: { name: string } }): string {
  return `${r.kind}/${r.metadata.name}`;
}

export function identity(r: { apiVersion: string; kind: string; metadata: { name: string } }): string {
  return `${r.apiVersion}/${r.kind}/${r.metadata.name}`;
}
