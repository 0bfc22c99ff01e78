// The FRR releases a lab scenario runs on, containerlab style: a variant sets
// the `image` of fabric nodes in a copy of the scenario's topology, so the
// same scenario runs on FRR 8.4 (the host's), FRR 10.3 or 10.7 (cached Debian
// trixie and forky roots) or a mix, as an operator sees mid-upgrade.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';

export const IMAGE_8_4 = 'frrouting/frr:8.4.4';
export const IMAGE_10_3 = 'frrouting/frr:10.3.1';
export const IMAGE_10_7 = 'frrouting/frr:10.7.1'; // a cached Debian forky root: the release with IPv6 VTEPs

export interface FrrVariant {
  name: string; // "FRR 8.4", "FRR 10.3", "mixed 8.4/10.3"
  images: Record<string, string>; // node -> image; nodes not named keep the topology's image
}

export function uniform(name: string, image: string, nodes: readonly string[]): FrrVariant {
  return { name, images: Object.fromEntries(nodes.map((n) => [n, image])) };
}

// The FRR release a node runs in this variant ("8.4", "10.3" or "10.7").
export function releaseOf(variant: FrrVariant, node: string): string {
  const image = variant.images[node];
  return image === IMAGE_10_3 ? '10.3' : image === IMAGE_10_7 ? '10.7' : '8.4';
}

// Writes the variant's topology into a fresh temp dir; remove() deletes it.
export function variantTopology(file: string, variant: FrrVariant): { file: string; remove: () => void } {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  for (const [node, image] of Object.entries(variant.images)) {
    if (!doc.hasIn(['topology', 'nodes', node])) throw new Error(`${file} has no node ${node}`);
    doc.setIn(['topology', 'nodes', node, 'image'], image);
  }
  // binds name files next to the original: keep them found from the copy
  const nodes = (doc.toJS() as { topology?: { nodes?: Record<string, { binds?: string[] } | null> } }).topology?.nodes;
  for (const [name, node] of Object.entries(nodes ?? {})) {
    const binds = node?.binds;
    if (!binds) continue;
    const absolute = binds.map((b) => (b.startsWith('/') ? b : resolve(dirname(file), b)));
    doc.setIn(['topology', 'nodes', name, 'binds'], absolute);
  }
  const dir = mkdtempSync(join(tmpdir(), 'frr-variant-'));
  const out = join(dir, file.split('/').pop() ?? 'topology.clab.yml');
  writeFileSync(out, doc.toString());
  return { file: out, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// Which variants to run: FRR_VARIANTS=8.4,10.3,mixed picks them by key, so a
// developer can rerun one release quickly; without it every variant runs but
// those marked optIn, which run only when named.
export function selected<T extends { key: string; optIn?: boolean }>(variants: readonly T[]): T[] {
  const wanted = process.env.FRR_VARIANTS?.split(',').map((s) => s.trim());
  return wanted ? variants.filter((v) => wanted.includes(v.key)) : variants.filter((v) => !v.optIn);
}
