// Messages between the daemon and its validation worker (validator.ts,
// validator-worker.ts), and the checks both sides run.
import type { Resource } from '../resources/schema.ts';
import { type CandidateCheck, checkCandidate, checkSet, checkStored, type SetCheck } from '../store/candidate.ts';

export type ValidationRequest =
  | { op: 'candidate'; text: string; current: Resource[]; replace: boolean }
  | { op: 'set'; next: Resource[] }
  | { op: 'stored'; text: string };

export type ValidationAnswer = { id: number; result: CandidateCheck | SetCheck } | { id: number; error: string };

export function runRequest(req: ValidationRequest): CandidateCheck | SetCheck {
  if (req.op === 'candidate') return checkCandidate(req.text, req.current, req.replace);
  if (req.op === 'set') return checkSet(req.next);
  return checkStored(req.text);
}
