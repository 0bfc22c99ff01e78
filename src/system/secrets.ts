// Reads BGP passwords on the node, from routerd's secret sources: a file or
// an environment variable of the daemon, base64 when the source says so. The
// value goes into FRR's file and nowhere else; problems name the field and
// the source, never the value.
import { readFileSync } from 'node:fs';

// Where a secret is (translate's SecretRef has this shape; system stays a leaf).
export interface SecretRef {
  resource: string; // EVPNFabric/name
  path: string; // the passwordFrom field
  file?: string;
  env?: string;
  base64: boolean;
}

export class SecretUnavailableError extends Error {
  readonly code = 'SECRET_UNAVAILABLE';
  readonly ref: SecretRef;
  constructor(ref: SecretRef, reason: string) {
    super(`${ref.resource} ${ref.path}: ${sourceName(ref)} ${reason}`);
    this.ref = ref;
    this.name = 'SecretUnavailableError';
  }
}

function sourceName(ref: SecretRef): string {
  return ref.file !== undefined ? `file ${ref.file}` : `environment variable ${ref.env}`;
}

// TCP-MD5 keys are at most 80 bytes (TCP_MD5SIG_MAXKEYLEN); FRR's `password
// LINE` would split on whitespace, so a password is printable ASCII without it.
const USABLE = /^[\x21-\x7e]{1,80}$/;

function rawValue(ref: SecretRef, env: NodeJS.ProcessEnv): string {
  if (ref.file !== undefined) {
    try {
      return readFileSync(ref.file, 'utf8');
    } catch (err) {
      throw new SecretUnavailableError(ref, `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  const value = ref.env !== undefined ? env[ref.env] : undefined;
  if (value === undefined) throw new SecretUnavailableError(ref, "is not set in the daemon's environment");
  return value;
}

function decoded(ref: SecretRef, text: string): string {
  if (!ref.base64) return text;
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0)
    throw new SecretUnavailableError(ref, 'is not valid base64 (base64: true)');
  return Buffer.from(compact, 'base64').toString('utf8');
}

// The password from `ref`: one trailing newline of a file is not part of it.
export function readSecret(ref: SecretRef, env: NodeJS.ProcessEnv = process.env): string {
  const value = decoded(ref, rawValue(ref, env)).replace(/\r?\n$/, '');
  if (!USABLE.test(value))
    throw new SecretUnavailableError(
      ref,
      'does not hold a usable password: 1..80 printable ASCII characters, no spaces or line breaks',
    );
  return value;
}

// FRR text (a config, frr-reload's diff or errors) with every BGP password
// replaced: what vtysh and frr-reload print passes through this before it
// reaches a log, a status or an API answer.
export const REDACTED = '<redacted>';
const PASSWORD_CLAUSE = /(\bneighbor\s+\S+\s+password\s+)\S+/g;

export function redactFrrText(text: string): string {
  return text.replace(PASSWORD_CLAUSE, `$1${REDACTED}`);
}
