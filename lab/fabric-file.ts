// Finds the fabric file of a lab and reads which topology nodes run FRR and a
// daemon (the EVPNFabric's spec.nodes[].name). Full validation is the daemon's
// job on apply; here only what the lab runner itself needs is checked.
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { asMapping } from '../src/resources/schema.ts';
import type { Topology } from './topology.ts';
import { atLeast, zod3Message } from './topology-schema.ts';

// Topology label (under topology.defaults.labels) naming the fabric file, relative to the topology file.
export const FABRIC_LABEL = 'routerd-evpn/fabric';

export interface FabricFile {
  path: string;
  text: string;
  nodes: string[];
  igpDaemons: IgpDaemon[]; // with an IGP underlay: started on every fabric node
}

export function topologyBaseName(topologyFile: string): string {
  return basename(topologyFile).replace(/(\.clab)?\.ya?ml$/, '');
}

// --fabric wins, then the topology label, then the sibling <base>.fabric.yaml.
export function resolveFabricPath(topologyFile: string, topology: Topology, explicit?: string): string {
  if (explicit) return resolve(explicit);
  const label = topology.labels[FABRIC_LABEL];
  if (label) return resolve(dirname(topologyFile), label);
  return resolve(dirname(topologyFile), `${topologyBaseName(topologyFile)}.fabric.yaml`);
}

const fabricNodeSchema = asMapping(z.looseObject({ name: z.string().check(atLeast(1)) }));

const fabricSchema = z.object({
  kind: z.literal('EVPNFabric'),
  spec: asMapping(
    z.looseObject({
      nodes: z.array(fabricNodeSchema).check(atLeast(1)),
      underlay: z.looseObject({}).optional(),
    }),
  ),
});

// Accepts both envelopes: a multi-document stream and routerd's Router document.
function resources(docs: unknown[]): unknown[] {
  return docs.flatMap((doc) => {
    const d = doc as { kind?: unknown; spec?: { resources?: unknown } } | null;
    if (d?.kind === 'Router' && Array.isArray(d.spec?.resources)) return d.spec.resources as unknown[];
    return [doc];
  });
}

export function fabricNodeNames(text: string, source: string): string[] {
  return readFabric(text, source).nodes;
}

// The FRR daemons of the IGP underlays. A fabric with `spec.underlay` gets all
// of them, so a lab can move from one IGP to another with an apply.
export const IGP_DAEMONS = ['ospfd', 'isisd', 'fabricd'] as const;
export type IgpDaemon = (typeof IGP_DAEMONS)[number];

// The fabric's node names, and the FRR daemons its IGP underlay needs, if any.
export function readFabric(text: string, source: string): { nodes: string[]; igpDaemons: IgpDaemon[] } {
  const docs = parseAllDocuments(text);
  const yamlErrors = docs.flatMap((d) => d.errors.map((e) => e.message));
  if (yamlErrors.length > 0)
    throw new Error(`fabric file ${source} is not valid YAML:\n  - ${yamlErrors.join('\n  - ')}`);
  const fabrics = resources(docs.map((d) => d.toJS())).filter(
    (r) => (r as { kind?: unknown } | null)?.kind === 'EVPNFabric',
  );
  if (fabrics.length !== 1)
    throw new Error(`fabric file ${source} must hold exactly one EVPNFabric resource, found ${fabrics.length}`);
  // The messages below are printed as they are, in zod 3's wording as always.
  const parsed = fabricSchema.safeParse(fabrics[0], { error: zod3Message });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `EVPNFabric.${i.path.join('.')}: ${i.message}`);
    throw new Error(`fabric file ${source}:\n  - ${issues.join('\n  - ')}`);
  }
  const igpDaemons = parsed.data.spec.underlay ? [...IGP_DAEMONS] : [];
  return { nodes: parsed.data.spec.nodes.map((n) => n.name), igpDaemons };
}

export async function loadFabricFile(path: string): Promise<FabricFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(
      `cannot read fabric file ${path}: ${(err as Error).message} (pass --fabric FILE, or --no-frr to build only the topology)`,
    );
  }
  return { path, text, ...readFabric(text, path) };
}

// Every fabric node must be a linux node of the topology.
export function fabricNodeProblems(topology: Topology, fabric: FabricFile): string[] {
  const byName = new Map(topology.nodes.map((n) => [n.name, n] as const));
  return fabric.nodes.flatMap((name) => {
    const node = byName.get(name);
    if (!node) return [`EVPNFabric spec.nodes "${name}" is not a node of topology ${topology.name}`];
    if (node.kind !== 'linux')
      return [`EVPNFabric spec.nodes "${name}" is kind ${node.kind}; FRR runs only on kind linux`];
    if (node.frrConfig !== undefined)
      return [
        `EVPNFabric spec.nodes "${name}" binds its own frr.conf; the daemon owns a fabric node's FRR (a hand-configured node is not in spec.nodes)`,
      ];
    return [];
  });
}
