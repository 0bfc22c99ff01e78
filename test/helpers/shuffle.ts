// Seeded shuffles: of a list, and of resource documents in a YAML stream
// (document order, mapping keys and the lists whose order carries no
// meaning). The same seed gives the same order on every run, so a failing
// order can be replayed.
import { parseAllDocuments, stringify } from 'yaml';

export function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648; // the classic C rand() LCG
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// Lists a resource's meaning does not depend on the order of, as Kind:path ([] for any index).
export const ORDER_FREE = new Set([
  'Router:spec.resources',
  'EVPNFabric:spec.nodes',
  'EVPNFabric:spec.nodes[].roles',
  'EVPNFabric:spec.routeReflectors.nodes',
  'EVPNFabric:spec.routeReflectors.external',
  'EVPNNetwork:spec.nodes',
  'EVPNNetwork:spec.ports',
  'EVPNNetwork:spec.routeTargets.import',
  'EVPNNetwork:spec.routeTargets.export',
  'EVPNVRF:spec.nodes',
  'EVPNVRF:spec.routeTargets.import',
  'EVPNVRF:spec.routeTargets.export',
  'EVPNVRF:spec.exit.nodes',
  'EVPNVRF:spec.exit.uplinks',
]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Each list item and mapping value gets its own seed, so nested orders vary independently.
function shuffleValue(value: Json, kind: string, path: string, seed: number): Json {
  if (Array.isArray(value)) {
    // A Router's resources are documents of their own kinds.
    const items = value.map((v, i) =>
      kind === 'Router' && path === 'spec.resources'
        ? shuffleResource(v, seed + i + 1)
        : shuffleValue(v, kind, `${path}[]`, seed + i + 1),
    );
    return ORDER_FREE.has(`${kind}:${path}`) ? shuffled(items, seed) : items;
  }
  if (value === null || typeof value !== 'object') return value;
  const keys = shuffled(Object.keys(value), seed);
  const entries = keys.map((k, i) => [k, shuffleValue(value[k]!, kind, path ? `${path}.${k}` : k, seed + 7 * (i + 1))]);
  return Object.fromEntries(entries);
}

export function shuffleResource(doc: Json, seed: number): Json {
  const kind = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? String(doc.kind) : '';
  return shuffleValue(doc, kind, '', seed);
}

// The same resources as `yaml`, reordered (comments and anchors do not survive).
export function shuffleYaml(yaml: string, seed: number): string {
  const docs = parseAllDocuments(yaml)
    .map((d) => d.toJS() as Json)
    .filter((d) => d !== null);
  return shuffled(docs, seed)
    .map((d, i) => stringify(shuffleResource(d, seed + 31 * (i + 1))))
    .join('---\n');
}
