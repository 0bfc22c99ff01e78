// Turns YAML text (a routerd Router document or a multi-document stream) into
// raw resources. Shape checks happen in validate.ts; here the limits, the
// YAML itself (aliases, reserved keys) and the envelope.
import { type Document, parseAllDocuments } from 'yaml';
import type { ValidationIssue } from './error-codes.ts';
import { LIMITS, mib } from './limits.ts';
import { type Resource, ROUTER_API_VERSION } from './schema.ts';
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
  return {
    resource: 'document 1',
    path: '',
    code: 'LIMIT_EXCEEDED',
    message: `the YAML is ${mib(bytes)} (${bytes} bytes); at most ${mib(LIMITS.yamlBytes)} is accepted in one apply`,
  };
}

// The whole stream: each document in turn, within the limits on documents
// and resources (over a limit, nothing of the stream is applied).
export function loadYaml(text: string): LoadResult {
  const issues: ValidationIssue[] = [];
  const resources: Resource[] = [];
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > LIMITS.yamlBytes) return { resources, issues: [yamlTooLarge(bytes)] };
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.length > LIMITS.documents) return { resources, issues: [tooManyDocuments(list.length)] };
  for (const [index, doc] of list.entries()) loadDocument(doc, `document ${index + 1}`, resources, issues);
  if (resources.length > LIMITS.resources)
    return { resources: [], issues: [...issues, tooManyResources(resources.length)] };
  return { resources, issues };
}

function tooManyDocuments(count: number): ValidationIssue {
  return {
    resource: `document ${LIMITS.documents + 1}`,
    path: '',
    code: 'LIMIT_EXCEEDED',
    message: `the stream holds ${count} YAML documents; at most ${LIMITS.documents} are accepted in one apply`,
  };
}

function tooManyResources(count: number): ValidationIssue {
  return {
    resource: 'document 1',
    path: '',
    code: 'LIMIT_EXCEEDED',
    message: `the YAML holds ${count} resources; at most ${LIMITS.resources} are accepted in one apply`,
  };
}

// A YAML error: its first line only (prettyErrors adds a source excerpt).
function yamlParseIssue(where: string, message: string): ValidationIssue {
  return { resource: where, path: '', code: 'YAML_PARSE', message: message.split('\n')[0] ?? 'invalid YAML' };
}

// One document of the stream: its YAML problems, else the resources it holds.
function loadDocument(doc: Document.Parsed, where: string, resources: Resource[], issues: ValidationIssue[]): void {
  // An unknown tag (`!vni 100`) would silently turn the value into a string.
  const errors = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')];
  if (errors.length > 0) {
    for (const err of errors) issues.push(yamlParseIssue(where, err.message));
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
    issues.push(yamlParseIssue(where, (err as Error).message));
    return;
  }
  if (value === null || value === undefined) return; // empty document (e.g. trailing ---)
  collect(value, where, '', resources, issues);
}

// A resource, or a routerd Router document whose spec.resources are collected
// in turn (pathPrefix then says where in the document each one is).
function collect(value: unknown, where: string, pathPrefix: string, out: Resource[], issues: ValidationIssue[]): void {
  const path = pathPrefix.replace(/\.$/, '');
  if (!isRecord(value)) {
    issues.push({
      resource: where,
      path,
      code: 'ENVELOPE_INVALID',
      message: 'expected a mapping with apiVersion, kind, metadata and spec',
    });
    return;
  }
  if (value.kind === 'Router' && value.apiVersion === ROUTER_API_VERSION) {
    collectRouter(value, where, pathPrefix, out, issues);
    return;
  }
  const missing = missingEnvelope(value);
  if (missing.length > 0) {
    const message = `missing or empty ${missing.join(', ')}`;
    issues.push({ resource: envelopeLabel(value, where), path, code: 'ENVELOPE_INVALID', message });
    return;
  }
  const metadata = value.metadata as Raw;
  const id = `${value.kind as string}/${metadata.name as string}`;
  checkTopLevelKeys(value, id, pathPrefix, issues);
  out.push({
    apiVersion: value.apiVersion as string,
    kind: value.kind as string,
    metadata: metadata as unknown as Resource['metadata'],
    spec: value.spec ?? {},
  });
}

function collectRouter(
  router: Raw,
  where: string,
  pathPrefix: string,
  out: Resource[],
  issues: ValidationIssue[],
): void {
  const spec = router.spec;
  const list = isRecord(spec) ? spec.resources : undefined;
  if (!Array.isArray(list)) {
    issues.push({
      resource: where,
      path: `${pathPrefix}spec.resources`,
      code: 'ENVELOPE_INVALID',
      message: 'a routerd Router document needs spec.resources: [ ... ]',
    });
    return;
  }
  for (const [i, item] of list.entries()) collect(item, where, `${pathPrefix}spec.resources[${i}].`, out, issues);
}

// The envelope fields a resource lacks, in the order the message names them.
function missingEnvelope(value: Raw): string[] {
  const missing: string[] = [];
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') missing.push('apiVersion');
  if (typeof value.kind !== 'string' || value.kind === '') missing.push('kind');
  const metadata = value.metadata;
  if (!isRecord(metadata) || typeof metadata.name !== 'string') missing.push('metadata.name');
  return missing;
}

// Kind/name when both are there (only apiVersion is missing), else the document.
function envelopeLabel(value: Raw, where: string): string {
  const metadata = value.metadata;
  return typeof value.kind === 'string' && value.kind !== '' && isRecord(metadata) && typeof metadata.name === 'string'
    ? `${value.kind}/${metadata.name}`
    : where;
}

// status is the daemon's (a pasted `get -o yaml` carries it): ignored; any
// other key (a typo such as "sepc") would otherwise be lost silently.
function checkTopLevelKeys(value: Raw, id: string, pathPrefix: string, issues: ValidationIssue[]): void {
  for (const key of Object.keys(value).filter((k) => !ENVELOPE_KEYS.has(k))) {
    issues.push({
      resource: id,
      path: `${pathPrefix}${key}`,
      code: 'FIELD_UNKNOWN',
      message: `unknown top-level field "${key}"; a resource has apiVersion, kind, metadata, spec (and status, which the daemon writes)`,
    });
  }
}
