// The three validation steps in order: envelope (load), shape (zod), rules.
// Returns every problem found, never only the first.
import type { ValidationIssue } from './error-codes.ts';
import { loadYaml } from './load.ts';
import { checkRules } from './rules.ts';
import type { KnownResource, Resource } from './schema.ts';
import { checkShape } from './shape.ts';

export interface ValidationResult {
  ok: boolean;
  resources: KnownResource[];
  issues: ValidationIssue[];
}

export function validateResources(raw: Resource[]): ValidationResult {
  const shape = checkShape(raw);
  const issues = [...shape.issues, ...checkRules(shape.valid, shape.failedKinds)];
  return { ok: issues.length === 0, resources: shape.valid, issues };
}

export function validateYaml(text: string): ValidationResult & { raw: Resource[] } {
  const loaded = loadYaml(text);
  const result = validateResources(loaded.resources);
  const issues = [...loaded.issues, ...result.issues];
  return { ok: issues.length === 0, resources: result.resources, issues, raw: loaded.resources };
}
