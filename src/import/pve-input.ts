// The Proxmox VE files the importer reads, parsed: the SDN running config
// (/etc/pve/sdn/.running-config, JSON), the cluster members (/etc/pve/.members,
// JSON) and a node's /etc/network/interfaces (ifupdown2). Pure: text in, data
// out; a file that is not what it should be is an ImportInputError naming it.
import { z } from 'zod';

export class ImportInputError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'ImportInputError';
  }
}

// Proxmox writes numbers as strings or numbers depending on the key's history.
const scalar = z.union([z.string(), z.number()]);
const section = <T extends z.ZodType>(item: T) =>
  z
    .object({ ids: z.record(z.string(), item).optional() })
    .passthrough()
    .optional();

const controllerSchema = z
  .object({
    type: z.string(),
    asn: scalar.optional(),
    peers: z.string().optional(),
    node: z.string().optional(),
    fabric: z.string().optional(),
    ebgp: scalar.optional(),
    'ebgp-multihop': scalar.optional(),
    loopback: z.string().optional(),
    'bgp-multipath-as-path-relax': scalar.optional(),
    'isis-domain': z.string().optional(),
    'isis-ifaces': z.string().optional(),
    'isis-net': z.string().optional(),
  })
  .passthrough();

const zoneSchema = z
  .object({
    type: z.string(),
    controller: z.string().optional(),
    'vrf-vxlan': scalar.optional(),
    mac: z.string().optional(),
    exitnodes: z.union([z.record(z.string(), scalar), z.string()]).optional(),
    'exitnodes-primary': z.string().optional(),
    'exitnodes-local-routing': scalar.optional(),
    'advertise-subnets': scalar.optional(),
    'disable-arp-nd-suppression': scalar.optional(),
    'rt-import': z.string().optional(),
    'vxlan-port': scalar.optional(),
    mtu: scalar.optional(),
    nodes: z.union([z.record(z.string(), scalar), z.string()]).optional(),
  })
  .passthrough();

const vnetSchema = z.object({ zone: z.string(), tag: scalar.optional(), alias: z.string().optional() }).passthrough();
const subnetSchema = z
  .object({ vnet: z.string(), gateway: z.string().optional(), snat: scalar.optional() })
  .passthrough();
const fabricItemSchema = z
  .object({
    type: z.string(),
    id: z.string().optional(),
    ip: z.string().optional(),
    ip_prefix: z.string().optional(),
    area: scalar.optional(),
    hello_interval: scalar.optional(),
    interfaces: z.array(z.string()).optional(),
  })
  .passthrough();

export const runningConfigSchema = z
  .object({
    version: scalar.optional(),
    controllers: section(controllerSchema),
    zones: section(zoneSchema),
    vnets: section(vnetSchema),
    subnets: section(subnetSchema),
    fabrics: section(fabricItemSchema),
  })
  .passthrough();

export type RunningConfig = z.infer<typeof runningConfigSchema>;
export type PveController = z.infer<typeof controllerSchema>;
export type PveZone = z.infer<typeof zoneSchema>;
export type PveVnet = z.infer<typeof vnetSchema>;
export type PveSubnet = z.infer<typeof subnetSchema>;
export type PveFabricItem = z.infer<typeof fabricItemSchema>;

export function parseRunningConfig(text: string, file: string): RunningConfig {
  const r = runningConfigSchema.safeParse(parseJson(text, file));
  if (!r.success) throw new ImportInputError(file, `not an SDN running config: ${zodProblem(r.error)}`);
  return r.data;
}

// /etc/pve/.members: {nodename, nodelist: {NAME: {id, online, ip}}}.
const membersSchema = z
  .object({
    nodename: z.string().optional(),
    nodelist: z.record(z.string(), z.object({ ip: z.string().optional() }).passthrough()).optional(),
  })
  .passthrough();

export interface Members {
  self?: string; // the node these files were read on
  nodes: { name: string; ip?: string }[];
}

export function parseMembers(text: string, file: string): Members {
  const r = membersSchema.safeParse(parseJson(text, file));
  if (!r.success) throw new ImportInputError(file, `not a cluster members file: ${zodProblem(r.error)}`);
  const nodes = Object.entries(r.data.nodelist ?? {}).map(([name, n]) => ({ name, ...(n.ip ? { ip: n.ip } : {}) }));
  return { ...(r.data.nodename ? { self: r.data.nodename } : {}), nodes };
}

// One `iface` stanza of /etc/network/interfaces: its options in file order
// (`address` may repeat; `inet`/`inet6` stanzas of one name are merged).
export interface IfaceStanza {
  name: string;
  methods: string[]; // static, manual, loopback, ...
  options: [string, string][];
}

export function parseInterfaces(text: string): Map<string, IfaceStanza> {
  const out = new Map<string, IfaceStanza>();
  let current: IfaceStanza | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trimEnd();
    if (line.trim() === '') continue;
    const words = line.trim().split(/\s+/);
    const [first = '', second = ''] = words;
    if (!/^\s/.test(line) && first === 'iface') {
      current = out.get(second) ?? { name: second, methods: [], options: [] };
      if (words[3]) current.methods.push(words[3]);
      out.set(second, current);
    } else if (!/^\s/.test(line))
      current = undefined; // auto, allow-*, source, mapping
    else if (current) current.options.push([first, words.slice(1).join(' ')]);
  }
  return out;
}

// The addresses (CIDRs as written) on one interface.
export function addressesOf(stanza: IfaceStanza | undefined): string[] {
  return (stanza?.options ?? []).filter(([k]) => k === 'address').map(([, v]) => v);
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ImportInputError(file, `not JSON: ${(err as Error).message}`);
  }
}

function zodProblem(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
}
