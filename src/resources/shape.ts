// Step 1 of validation: each resource against its zod schema, with zod's
// issues mapped onto our error codes and field paths.
import type { z } from 'zod';
import type { ErrorCode, ValidationIssue } from './error-codes.ts';
import { own } from './own.ts';
import { metadataSchema, SPEC_SCHEMAS, resourceId, type KnownResource, type Resource } from './schema.ts';

export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

// Fields that hold a secret, or say where one is: their values are never
// echoed in a message, not even a mistyped one.
export const SECRET_FIELDS = new Set(['passwordFrom', 'password', 'privateKey', 'privateKeyFile', 'presharedKey', 'preSharedKey', 'token', 'secret']);

export function isSecretPath(path: readonly (string | number)[]): boolean {
  return path.some((p) => typeof p === 'string' && SECRET_FIELDS.has(p));
}

function describeValue(value: unknown, path: readonly (string | number)[]): string {
  if (value === undefined) return 'nothing';
  if (isSecretPath(path)) return '(a secret field: value not shown)';
  return JSON.stringify(value) ?? String(value);
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

function mapIssue(issue: z.ZodIssue, root: unknown, prefix: string): { code: ErrorCode; path: string; message: string }[] {
  const base = [prefix, formatPath(issue.path)].filter(Boolean).join('.');
  const value = valueAt(root, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === 'undefined') return [{ code: 'FIELD_REQUIRED', path: base, message: `required field is missing (expected ${issue.expected})` }];
      return [{ code: 'FIELD_TYPE', path: base, message: `expected ${issue.expected}, got ${issue.received} ${describeValue(value, issue.path)}` }];
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ code: 'FIELD_UNKNOWN' as const, path: base ? `${base}.${key}` : key, message: `unknown field "${key}" is not part of the schema` }));
    case 'invalid_enum_value':
      return [{ code: 'FIELD_VALUE', path: base, message: `value ${describeValue(value, issue.path)} is not one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}` }];
    case 'invalid_union': {
      // A branch whose type matched but failed deeper (a routerMAC map with
      // one bad value) says more than "none of the forms": report its issues.
      const deeper = issue.unionErrors.find((e) => e.issues.every((i) => i.path.length > issue.path.length));
      if (deeper) return deeper.issues.flatMap((i) => mapIssue(i, root, prefix));
      return [{ code: 'FIELD_TYPE', path: base, message: `value ${describeValue(value, issue.path)} matches none of the allowed forms` }];
    }
    default:
      return [{ code: 'FIELD_TYPE', path: base, message: `${issue.message} (value ${describeValue(value, issue.path)})` }];
  }
}

// Unknown keys are reported, then dropped, so the rules can still check the rest.
function withoutUnknownKeys(value: unknown, issues: readonly z.ZodIssue[]): unknown {
  const copy = structuredClone(value);
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const target = valueAt(copy, issue.path);
    if (target && typeof target === 'object') for (const key of issue.keys) delete (target as Record<string, unknown>)[key];
  }
  return copy;
}

export interface ShapeResult {
  valid: KnownResource[];
  issues: ValidationIssue[];
  // kinds present in the input whose shape failed (so rules do not also call them missing)
  failedKinds: Set<string>;
}

export function checkShape(resources: Resource[]): ShapeResult {
  const issues: ValidationIssue[] = [];
  const valid: KnownResource[] = [];
  const failedKinds = new Set<string>();
  for (const r of resources) {
    const id = resourceId(r);
    const schema = own(own(SPEC_SCHEMAS, r.apiVersion), r.kind);
    if (!schema) {
      const known = Object.entries(SPEC_SCHEMAS).flatMap(([api, kinds]) => Object.keys(kinds).map((k) => `${api} ${k}`));
      issues.push({ resource: id, path: 'kind', code: 'KIND_UNKNOWN', message: `${r.apiVersion} ${r.kind} is not handled; known: ${known.join(', ')}` });
      continue;
    }
    const before = issues.length;
    const meta = metadataSchema.safeParse(r.metadata);
    if (!meta.success) for (const i of meta.error.issues) for (const m of mapIssue(i, r.metadata, 'metadata')) issues.push({ resource: id, ...m });
    const spec = schema.safeParse(r.spec);
    if (!spec.success) for (const i of spec.error.issues) for (const m of mapIssue(i, r.spec, 'spec')) issues.push({ resource: id, ...m });
    if (issues.length === before) {
      valid.push({ ...r, spec: spec.data } as KnownResource);
      continue;
    }
    const retry = spec.success ? spec : schema.safeParse(withoutUnknownKeys(r.spec, spec.error.issues));
    if (meta.success && retry.success) valid.push({ ...r, spec: retry.data } as KnownResource);
    else failedKinds.add(r.kind);
  }
  return { valid, issues, failedKinds };
}
