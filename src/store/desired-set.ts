// The desired set: routerd's apply semantics (partial upsert by identity,
// --replace for the whole set, delete by Kind/name) and its YAML form.
import { stringify } from 'yaml';
import { identity, type Resource, resourceId } from '../resources/schema.ts';

export function upsert(current: Resource[], candidate: Resource[], replace: boolean): Resource[] {
  if (replace) return sortResources(candidate);
  const byId = new Map(current.map((r) => [identity(r), r]));
  for (const r of candidate) byId.set(identity(r), r);
  return sortResources([...byId.values()]);
}

export function remove(current: Resource[], target: string): { next: Resource[]; removed: Resource[] } {
  const removed = current.filter((r) => resourceId(r) === target);
  return { next: current.filter((r) => resourceId(r) !== target), removed };
}

const KIND_ORDER = ['EVPNFabric', 'EVPNVRF', 'EVPNNetwork'];

export function sortResources(list: Resource[]): Resource[] {
  const rank = (k: string) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);
  return [...list].sort(
    (a, b) =>
      rank(a.kind) - rank(b.kind) ||
      (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
      (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0),
  );
}

export function toYaml(list: Resource[]): string {
  if (list.length === 0) return '';
  return list
    .map((r) =>
      stringify(
        { apiVersion: r.apiVersion, kind: r.kind, metadata: r.metadata, spec: r.spec },
        { sortMapEntries: false },
      ),
    )
    .join('---\n');
}
