// Turns YAML text (a routerd Router document or a multi-document stream) into
// raw resources. Shape checks happen in validate.ts; here the limits, the
// YAML itself (aliases, reserved keys) and the envelope.
import { parseAllDocuments } from 'yaml';
import type { ValidationIssue } from './error-codes.ts';
import { LIMITS, mib } from './limits.ts';
import { ROUTER_API_VERSION, type Resource } from './schema.ts';
import { checkYamlDocument, RESERVED_KEY } from './yaml-check.ts';

export interface LoadResult {
  resources: Resource[];
  issues: ValidationIssue[];
}

type Raw = Record<string, unknown>;

const ENVELOPE_KEYS = new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status']);

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function yamlTooLarge(bytes: number): ValidationIssue {
  return { resource: 'document 1', path: '', code: 'LIMIT_EXCEEDED', message: `the YAML is ${mib(bytes)} (${bytes} bytes); at most ${mib(LIMITS.yamlBytes)} is accepted in one apply` };
}

export function loadYaml(text: string): LoadResult {
  const issues: ValidationIssue[] = [];
  const resources: Resource[] = [];
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > LIMITS.yamlBytes) return { resources, issues: [yamlTooLarge(bytes)] };
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length > LIMITS.documents) {
    return { resources, issues: [{ resource: `document ${LIMITS.documents + 1}`, path: '', code: 'LIMIT_EXCEEDED', message: `the stream holds ${list.length} YAML documents; at most ${LIMITS.documents} are accepted in one apply` }] };
  }
  list.forEach((doc, index) => {
    const where = `document ${index + 1}`;
    // An unknown tag (`!vni 100`) would silently turn the value into a string.
    const errors = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')];
    if (errors.length > 0) {
      for (const err of errors) issues.push({ resource: where, path: '', code: 'YAML_PARSE', message: err.message.split('\n')[0] ?? 'invalid YAML' });
      return;
    }
    const problems = checkYamlDocument(doc, LIMITS.expandedNodes);
    for (const p of problems) issues.push({ resource: where, ...p });
    if (problems.some((p) => p.code !== 'KEY_RESERVED')) return; // aliases that cannot be expanded safely
    let value: unknown;
    try {
      // Aliases were checked above; the reviver drops reserved keys already reported.
      value = doc.toJS({ maxAliasCount: -1, reviver: (key, v) => (key === RESERVED_KEY ? undefined : v) });
    } catch (err) {
      issues.push({ resource: where, path: '', code: 'YAML_PARSE', message: (err as Error).message.split('\n')[0] ?? 'invalid YAML' });
      return;
    }
    if (value === null || value === undefined) return; // empty document (e.g. trailing ---)
    collect(value, where, '', resources, issues);
  });
  if (resources.length > LIMITS.resources) {
    return { resources: [], issues: [...issues, { resource: 'document 1', path: '', code: 'LIMIT_EXCEEDED', message: `the YAML holds ${resources.length} resources; at most ${LIMITS.resources} are accepted in one apply` }] };
  }
  return { resources, issues };
}

function collect(value: unknown, where: string, pathPrefix: string, out: Resource[], issues: ValidationIssue[]): void {
  if (!isRecord(value)) {
    issues.push({ resource: where, path: pathPrefix.replace(/\.$/, ''), code: 'ENVELOPE_INVALID', message: 'expected a mapping with apiVersion, kind, metadata and spec' });
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
    const label = typeof value.kind === 'string' && value.kind !== '' && isRecord(metadata) && typeof metadata.name === 'string' ? `${value.kind}/${metadata.name}` : where;
    issues.push({ resource: label, path: pathPrefix.replace(/\.$/, ''), code: 'ENVELOPE_INVALID', message: `missing or empty ${problems.join(', ')}` });
    return;
  }
  // status is the daemon's (a pasted `get -o yaml` carries it): ignored; any
  // other key (a typo such as "sepc") would otherwise be lost silently.
  const id = `${value.kind as string}/${(metadata as Raw).name as string}`;
  for (const key of Object.keys(value).filter((k) => !ENVELOPE_KEYS.has(k))) {
    issues.push({ resource: id, path: `${pathPrefix}${key}`, code: 'FIELD_UNKNOWN', message: `unknown top-level field "${key}"; a resource has apiVersion, kind, metadata, spec (and status, which the daemon writes)` });
  }
  out.push({
    apiVersion: value.apiVersion as string,
    kind: value.kind as string,
    metadata: metadata as unknown as Resource['metadata'],
    spec: value.spec ?? {},
  });
}
