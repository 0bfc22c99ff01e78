// Turns YAML text (a routerd Router document or a multi-document stream) into
// raw resources. Shape checks happen in validate.ts; here only the envelope.
import { parseAllDocuments } from 'yaml';
import type { ValidationIssue } from './error-codes.ts';
import { ROUTER_API_VERSION, type Resource } from './schema.ts';

export interface LoadResult {
  resources: Resource[];
  issues: ValidationIssue[];
}

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function loadYaml(text: string): LoadResult {
  const issues: ValidationIssue[] = [];
  const resources: Resource[] = [];
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, index) => {
    const where = `document ${index + 1}`;
    if (doc.errors.length > 0) {
      for (const err of doc.errors) issues.push({ resource: where, path: '', code: 'YAML_PARSE', message: err.message.split('\n')[0] ?? 'invalid YAML' });
      return;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return; // empty document (e.g. trailing ---)
    collect(value, where, '', resources, issues);
  });
  return { resources, issues };
}

function collect(value: unknown, where: string, pathPrefix: string, out: Resource[], issues: ValidationIssue[]): void {
  if (!isRecord(value)) {
    issues.push({ resource: where, path: pathPrefix, code: 'ENVELOPE_INVALID', message: 'expected a mapping with apiVersion, kind, metadata and spec' });
    return;
  }
  if (value.kind === 'Router' && value.apiVersion === ROUTER_API_VERSION) {
    const spec = value.spec;
    const list = isRecord(spec) ? spec.resources : undefined;
    if (!Array.isArray(list)) {
      issues.push({ resource: where, path: `${pathPrefix}spec.resources`, code: 'ENVELOPE_INVALID', message: 'a routerd Router document needs spec.resources: [ ... ]' });
      return;
    }
    list.forEach((item, i) => collect(item, where, `${pathPrefix}spec.resources[${i}].`, out, issues));
    return;
  }
  const problems: string[] = [];
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') problems.push('apiVersion');
  if (typeof value.kind !== 'string' || value.kind === '') problems.push('kind');
  const metadata = value.metadata;
  if (!isRecord(metadata) || typeof metadata.name !== 'string') problems.push('metadata.name');
  if (problems.length > 0) {
    const label = typeof value.kind === 'string' && isRecord(metadata) && typeof metadata.name === 'string' ? `${value.kind}/${metadata.name}` : where;
    issues.push({ resource: label, path: pathPrefix.replace(/\.$/, ''), code: 'ENVELOPE_INVALID', message: `missing or empty ${problems.join(', ')}` });
    return;
  }
  out.push({
    apiVersion: value.apiVersion as string,
    kind: value.kind as string,
    metadata: metadata as unknown as Resource['metadata'],
    spec: value.spec ?? {},
  });
}
