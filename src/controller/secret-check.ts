// Before a generation is stored: can this node read every BGP password the
// candidate names? Each one it cannot is a problem of its own (resource, field,
// source and why, never a value), and nothing is stored or touched.

import type { SecretReader } from '../render/frr-sessions.ts';
import type { ValidationIssue } from '../resources/error-codes.ts';
import type { NodeIntent, SecretRef } from '../translate/intent.ts';

export function secretRefs(intent: NodeIntent | undefined): SecretRef[] {
  if (!intent) return [];
  const refs = [intent.sessions.password, ...intent.peers.map((p) => p.password)];
  return refs.filter((r): r is SecretRef => r !== undefined);
}

export function secretIssues(intent: NodeIntent | undefined, read: SecretReader): ValidationIssue[] {
  return secretRefs(intent).flatMap((ref) => {
    try {
      read(ref);
      return [];
    } catch (err) {
      const message = (err as Error).message.replace(`${ref.resource} ${ref.path}: `, '');
      return [{ resource: ref.resource, path: ref.path, code: 'SECRET_UNAVAILABLE' as const, message }];
    }
  });
}
