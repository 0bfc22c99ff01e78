// Response bodies in routerd's control-API shapes (every object is
// additionalProperties: false there, so only listed fields are emitted).
import { type CodedError, ERROR_CODES, formatIssue } from '../resources/error-codes.ts';
import type { ResourceResult } from '../service/outcome.ts';
import { CONTROL_API_VERSION } from './paths.ts';

export function errorBody(message: string) {
  return { apiVersion: CONTROL_API_VERSION, kind: 'Error', error: { message } };
}

export function codedErrorBody(err: CodedError) {
  const lines = err.issues.length > 0 ? err.issues.map(formatIssue) : [];
  const head = `${err.code}: ${err.message}`;
  return { status: ERROR_CODES[err.code].httpStatus, body: errorBody([head, ...lines].join('\n')) };
}

export function applyResult(generation: number, phase: string, resources: ResourceResult[], warnings: string[] = []) {
  return {
    apiVersion: CONTROL_API_VERSION,
    kind: 'ApplyResult',
    result: {
      generation,
      timestamp: new Date().toISOString(),
      phase,
      resources,
      ...(warnings.length ? { warnings } : {}),
    },
  };
}
