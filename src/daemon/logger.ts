// pino with the project's fixed redaction list: secrets never reach a log line.
import pino, { type Logger } from 'pino';

export const REDACT_PATHS = [
  'password',
  '*.password',
  'passwordFrom',
  '*.passwordFrom',
  'privateKey',
  '*.privateKey',
  'candidateYaml',
  '*.candidateYaml',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    { level, base: { component: 'routerd-evpn' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    destination,
  );
}
