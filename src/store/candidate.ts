// What an apply would make the desired set, decided from text alone (no I/O),
// so the CLI's `validate` and the daemon's apply answer the same file with the
// same problems. The daemon runs it in a worker thread (service/validator.ts).
import type { ValidationIssue } from '../resources/error-codes.ts';
import { LIMITS } from '../resources/limits.ts';
import { loadYaml } from '../resources/load.ts';
import { type KnownResource, type Resource, resourceId } from '../resources/schema.ts';
import { dropDuplicates, validateResources } from '../resources/validate.ts';
import { toYaml, upsert } from './desired-set.ts';

export interface SetCheck {
  ok: boolean;
  issues: ValidationIssue[]; // the first LIMITS.issuesShown problems
  issueCount: number; // all problems
  resources: KnownResource[]; // the validated desired set after the change
  yaml: string; // that set as stored in a generation ('' unless ok)
}

export interface CandidateCheck extends SetCheck {
  touched: string[]; // Kind/name of each resource the candidate names
}

// Every problem is counted; a pathological file (one port in 3000 networks)
// lists only the first ones, so an answer stays readable and small.
function shown(ok: boolean, issues: ValidationIssue[]): Pick<SetCheck, 'ok' | 'issues' | 'issueCount'> {
  return { ok, issues: issues.slice(0, LIMITS.issuesShown), issueCount: issues.length };
}

// A whole desired set (after an apply, a delete, or as stored): limits, then
// every validation step; the YAML only once it is valid.
export function checkSet(next: Resource[]): SetCheck {
  if (next.length > LIMITS.resources) {
    const issue: ValidationIssue = {
      resource: 'desired set',
      path: '',
      code: 'LIMIT_EXCEEDED',
      message: `the desired set would hold ${next.length} resources; at most ${LIMITS.resources} are accepted`,
    };
    return { ...shown(false, [issue]), resources: [], yaml: '' };
  }
  const v = validateResources(next);
  return { ...shown(v.ok, v.issues), resources: v.resources, yaml: v.ok ? toYaml(next) : '' };
}

// A stored generation read back at start: its text is kept as it is.
export function checkStored(text: string): SetCheck {
  const loaded = loadYaml(text);
  const v = validateResources(loaded.resources);
  const issues = [...loaded.issues, ...v.issues];
  return { ...shown(issues.length === 0, issues), resources: v.resources, yaml: text };
}

// An apply of `text` onto `current` (partial upsert, or the whole set with replace).
export function checkCandidate(text: string, current: Resource[], replace: boolean): CandidateCheck {
  const loaded = loadYaml(text);
  const { unique, issues: duplicates } = dropDuplicates(loaded.resources);
  const touched = unique.map(resourceId);
  const empty: ValidationIssue[] =
    loaded.resources.length === 0 && loaded.issues.length === 0
      ? [
          {
            resource: 'document 1',
            path: '',
            code: 'CANDIDATE_EMPTY',
            message:
              'the input holds no resources (it is empty, or only comments and "---"); nothing was stored. To remove resources, use delete',
          },
        ]
      : [];
  const set = checkSet(upsert(current, unique, replace));
  const before = [...loaded.issues, ...duplicates, ...empty];
  const ok = before.length === 0 && set.ok;
  return {
    ...set,
    ...shown(ok, [...before, ...set.issues]),
    issueCount: before.length + set.issueCount,
    touched,
    yaml: ok ? set.yaml : '',
  };
}
