// Request size limits of the control API (docs/operations.md#input-limits).
// An oversized body is read to its end and dropped before the 413 answer, so
// a client still writing gets that answer instead of a broken pipe.
import { once } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { CodedError } from '../resources/error-codes.ts';
import { LIMITS, mib } from '../resources/limits.ts';
import { yamlTooLarge } from '../resources/load.ts';

// JSON escaping can double YAML text (every newline becomes \n), plus the envelope.
export const BODY_LIMIT = 2 * LIMITS.yamlBytes + 64 * 1024;
const DRAIN_MAX = 64 * 1024 * 1024; // beyond this the connection is simply closed

export function tooLargeBody(bytes: number | undefined): CodedError {
  const size = bytes === undefined ? 'larger than that' : mib(bytes);
  return new CodedError(
    'LIMIT_EXCEEDED',
    `the request body is ${size}; the API accepts at most ${mib(BODY_LIMIT)} (candidateYaml at most ${mib(LIMITS.yamlBytes)})`,
  );
}

export function registerBodyLimit(app: FastifyInstance): void {
  app.addHook('preParsing', async (req, _reply, payload) => {
    const length = Number(req.headers['content-length']);
    if (!(length > BODY_LIMIT)) return payload;
    if (length > DRAIN_MAX) req.raw.destroy();
    else {
      payload.resume();
      await once(payload, 'end');
    }
    throw tooLargeBody(length);
  });
}

// candidateYaml itself, before it is handed to the validator.
export function checkYamlSize(text: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > LIMITS.yamlBytes) {
    const issue = yamlTooLarge(bytes);
    throw new CodedError('LIMIT_EXCEEDED', issue.message, [issue]);
  }
}
