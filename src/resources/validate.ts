// The validation steps in order: envelope (load), identity (no resource
// twice), shape (zod), rules. Returns every problem found, never only the first.
import type { ValidationIssue } from './error-codes.ts';
import { loadYaml } from './load.ts';
import { checkRules } from './rules.ts';
import { identity, type KnownResource, type Resource, resourceId } from './schema.ts';
import { checkShape } from './shape.ts';

export interface ValidationResult {
  ok: boolean;
  resources: KnownResource[];
  issues: ValidationIssue[];
}

// A second copy of one identity is reported and left out, so it causes no
// follow-on problems (its bridge and VNI would clash with the first copy's).
export function dropDuplicates(raw: Resource[]): { unique: Resource[]; issues: ValidationIssue[] } {
  const seen = new Set<string>();
  const unique: Resource[] = [];
  const issues: ValidationIssue[] = [];
  for (const r of raw) {
    const id = identity(r);
    if (seen.has(id))
      issues.push({
        resource: resourceId(r),
        path: 'metadata.name',
        code: 'RESOURCE_DUPLICATE',
        message: `${id} is given more than once; an apply may name each resource once`,
      });
    else unique.push(r);
    seen.add(id);
  }
  return { unique, issues };
}

export function validateResources(raw: Resource[]): ValidationResult {
  const { unique, issues: duplicates } = dropDuplicates(raw);
  const shape = checkShape(unique);
  const issues = [...duplicates, ...shape.issues, ...checkRules(shape.valid, shape.failedKinds)];
  return { ok: issues.length === 0, resources: shape.valid, issues };
}

export function validateYaml(text: string): ValidationResult & { raw: Resource[] } {
  const loaded = loadYaml(text);
  const result = validateResources(loaded.resources);
  const issues = [...loaded.issues, ...result.issues];
  return { ok: issues.length === 0, resources: result.resources, issues, raw: loaded.resources };
}
