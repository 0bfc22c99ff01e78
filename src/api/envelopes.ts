// Response bodies in routerd's control-API shapes (every object is
// additionalProperties: false there, so only listed fields are emitted).
import { ERROR_CODES, formatIssue, type CodedError } from '../resources/error-codes.ts';

export const CONTROL_API_VERSION = 'control.routerd.net/v1alpha1';
export const API_PREFIX = '/api/control.routerd.net/v1alpha1';

export function errorBody(message: string) {
  return { apiVersion: CONTROL_API_VERSION, kind: 'Error', error: { message } };
}

export function codedErrorBody(err: CodedError) {
  const lines = err.issues.length > 0 ? err.issues.map(formatIssue) : [];
  const head = `${err.code}: ${err.message}`;
  return { status: ERROR_CODES[err.code].httpStatus, body: errorBody([head, ...lines].join('\n')) };
}

export interface ResourceResult {
  id: string;
  phase: string;
  plan?: string[];
  warnings?: string[];
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

export function applyResult(generation: number, phase: string, resources: ResourceResult[], warnings: string[] = []) {
  return {
    apiVersion: CONTROL_API_VERSION,
    kind: 'ApplyResult',
    result: { generation, timestamp: new Date().toISOString(), phase, resources, ...(warnings.length ? { warnings } : {}) },
  };
}
