// Step 1 of validation: each resource against its zod schema, with zod's
// issues mapped onto our error codes and field paths.
import type { z } from 'zod';
import type { ErrorCode, ValidationIssue } from './error-codes.ts';
import { own } from './own.ts';
import { type KnownResource, metadataSchema, type Resource, resourceId, SPEC_SCHEMAS } from './schema.ts';

export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part),
    '',
  );
}

// Fields that hold a secret, or say where one is: their values are never
// echoed in a message, not even a mistyped one.
export const SECRET_FIELDS = new Set([
  'passwordFrom',
  'password',
  'privateKey',
  'privateKeyFile',
  'presharedKey',
  'preSharedKey',
  'token',
  'secret',
]);

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

type ZodIssue = z.core.$ZodIssue;
type Path = readonly (string | number)[];
type MappedIssue = { code: ErrorCode; path: string; message: string };

// YAML keys are never symbols, so a zod path holds only strings and numbers.
function pathOf(issue: ZodIssue): Path {
  return issue.path as (string | number)[];
}

function fieldPath(prefix: string, path: Path): string {
  return [prefix, formatPath(path)].filter(Boolean).join('.');
}

// The type name zod 3 reported as "received"; messages have always shown it.
export function zodTypeName(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'nan' : 'number';
  if (typeof value !== 'object') return typeof value;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Map) return 'map';
  if (value instanceof Set) return 'set';
  return value instanceof Date ? 'date' : 'object';
}

// zod 3's names for what was expected, where zod 4 names it differently.
const ZOD3_EXPECTED: Record<string, string> = { record: 'object', tuple: 'array' };

export function zodExpectedName(expected: string): string {
  return ZOD3_EXPECTED[expected] ?? expected;
}

function typeIssue(expected: string, value: unknown, base: string, path: Path): MappedIssue {
  if (value === undefined) {
    return { code: 'FIELD_REQUIRED', path: base, message: `required field is missing (expected ${expected})` };
  }
  // zod 3 called every number that is not whole a float (schema.ts's integer() keeps its checks).
  const received = expected === 'integer' ? 'float' : zodTypeName(value);
  const message = `expected ${expected}, got ${received} ${describeValue(value, path)}`;
  return { code: 'FIELD_TYPE', path: base, message };
}

function unknownKeyIssues(keys: readonly string[], base: string): MappedIssue[] {
  return keys.map((key) => ({
    code: 'FIELD_UNKNOWN' as const,
    path: base ? `${base}.${key}` : key,
    message: `unknown field "${key}" is not part of the schema`,
  }));
}

// zod 4 reports any value outside an enum as invalid_value; zod 3 called a
// value that is not even a string a wrong type, so the message still does.
function enumIssue(values: readonly unknown[], value: unknown, base: string, path: Path): MappedIssue {
  if (typeof value !== 'string') return typeIssue(values.map((v) => `'${String(v)}'`).join(' | '), value, base, path);
  const allowed = values.map((o) => JSON.stringify(o)).join(', ');
  return { code: 'FIELD_VALUE', path: base, message: `value ${describeValue(value, path)} is not one of ${allowed}` };
}

// A branch whose type matched but failed deeper (a routerMAC map with one bad
// value) says more than "none of the forms": report its issues. zod 4 gives
// their paths from the union, so they are rebased onto the union's path.
function unionIssues(issue: z.core.$ZodIssueInvalidUnion, root: unknown, prefix: string): MappedIssue[] {
  const deeper = issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
  if (deeper) return deeper.flatMap((i) => mapIssue({ ...i, path: [...issue.path, ...i.path] }, root, prefix));
  const path = pathOf(issue);
  const message = `value ${describeValue(valueAt(root, path), path)} matches none of the allowed forms`;
  return [{ code: 'FIELD_TYPE', path: fieldPath(prefix, path), message }];
}

function mapIssue(issue: ZodIssue, root: unknown, prefix: string): MappedIssue[] {
  const path = pathOf(issue);
  const base = fieldPath(prefix, path);
  const value = valueAt(root, path);
  switch (issue.code) {
    case 'invalid_type':
      return [typeIssue(zodExpectedName(issue.expected), value, base, path)];
    case 'unrecognized_keys':
      return unknownKeyIssues(issue.keys, base);
    case 'invalid_value':
      return [enumIssue(issue.values, value, base, path)];
    case 'invalid_union':
      return unionIssues(issue, root, prefix);
    default:
      return [{ code: 'FIELD_TYPE', path: base, message: `${issue.message} (value ${describeValue(value, path)})` }];
  }
}

// Unknown keys are reported, then dropped, so the rules can still check the rest.
function withoutUnknownKeys(value: unknown, issues: readonly ZodIssue[]): unknown {
  const copy = structuredClone(value);
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const target = valueAt(copy, pathOf(issue));
    if (target && typeof target === 'object')
      for (const key of issue.keys) delete (target as Record<string, unknown>)[key];
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
      const known = Object.entries(SPEC_SCHEMAS).flatMap(([api, kinds]) =>
        Object.keys(kinds).map((k) => `${api} ${k}`),
      );
      issues.push({
        resource: id,
        path: 'kind',
        code: 'KIND_UNKNOWN',
        message: `${r.apiVersion} ${r.kind} is not handled; known: ${known.join(', ')}`,
      });
      continue;
    }
    const before = issues.length;
    const meta = metadataSchema.safeParse(r.metadata);
    if (!meta.success)
      for (const i of meta.error.issues)
        for (const m of mapIssue(i, r.metadata, 'metadata')) issues.push({ resource: id, ...m });
    const spec = schema.safeParse(r.spec);
    if (!spec.success)
      for (const i of spec.error.issues)
        for (const m of mapIssue(i, r.spec, 'spec')) issues.push({ resource: id, ...m });
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
