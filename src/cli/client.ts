// HTTP+JSON over the daemon's Unix socket. Two failure classes on purpose:
// TransportError (the daemon could not be reached: exit 2) and ApiError (the
// daemon answered with a non-2xx status: exit 1).
import { request } from 'node:http';
import { API_PREFIX, CONTROL_API_VERSION } from '../api/paths.ts';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface JsonResponse {
  statusCode: number;
  body: unknown;
}

export class TransportError extends Error {
  readonly socket: string;
  readonly errno: string;
  constructor(socket: string, errno: string, message: string) {
    super(message);
    this.name = 'TransportError';
    this.socket = socket;
    this.errno = errno;
  }
}

export class ApiError extends Error {
  readonly statusCode: number;
  readonly method: string;
  readonly path: string;
  constructor(method: string, path: string, statusCode: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.method = method;
    this.path = path;
    this.statusCode = statusCode;
  }
}

// Turns a socket-level failure into a message that says what to check.
function transportError(socket: string, err: NodeJS.ErrnoException): TransportError {
  const code = err.code ?? 'EIO';
  const hint =
    code === 'ENOENT'
      ? 'no such socket (is routerd-evpn running? use --socket or EVPNCTL_SOCKET)'
      : code === 'ECONNREFUSED'
        ? 'connection refused (stale socket: is routerd-evpn running?)'
        : code === 'EACCES'
          ? 'permission denied (socket is mode 0660: run as root or a member of its group)'
          : code === 'ETIMEDOUT'
            ? err.message
            : code === 'EPIPE' || code === 'ECONNRESET'
              ? `the daemon closed the connection before the whole request was sent (${err.message}); an apply over the daemon's size limit is one cause, see docs/operations.md#input-limits`
              : err.message;
  return new TransportError(socket, code, `cannot reach routerd-evpn at ${socket}: ${hint}`);
}

// Sends one request; a JSON answer is parsed, anything else is kept as text.
export function requestJson(
  socket: string,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<JsonResponse> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string | number> = { accept: 'application/json' };
  if (payload !== undefined)
    Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, method, path, host: 'localhost', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (err) => reject(transportError(socket, err)));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text === '' ? undefined : JSON.parse(text);
        } catch {
          // not JSON: keep the text so the caller can show it
        }
        resolve({ statusCode: res.statusCode ?? 0, body: parsed });
      });
    });
    req.setTimeout(timeoutMs, () => {
      const err: NodeJS.ErrnoException = new Error(`no answer to ${method} ${path} within ${timeoutMs} ms`);
      err.code = 'ETIMEDOUT';
      req.destroy(err);
    });
    req.on('error', (err: NodeJS.ErrnoException) => reject(transportError(socket, err)));
    req.end(payload);
  });
}

// The message of a routerd Error body, or the raw text when the body is not one.
function errorMessage(body: unknown): string {
  if (typeof body === 'object' && body !== null) {
    const error = (body as { error?: { message?: unknown } }).error;
    if (error && typeof error.message === 'string') return error.message;
    return JSON.stringify(body);
  }
  return typeof body === 'string' && body !== '' ? body : '(empty answer)';
}

export type Body = Record<string, unknown>;

// Typed calls of the routerd control API; every non-2xx answer throws ApiError.
export class ControlClient {
  readonly socket: string;
  private readonly timeoutMs: number;

  constructor(socket: string, timeoutMs = DEFAULT_TIMEOUT_MS) {
    this.socket = socket;
    this.timeoutMs = timeoutMs;
  }

  async call(method: 'GET' | 'POST', endpoint: string, body?: unknown): Promise<Body> {
    const path = `${API_PREFIX}/${endpoint}`;
    const res = await requestJson(this.socket, method, path, body, this.timeoutMs);
    if (res.statusCode < 200 || res.statusCode > 299)
      throw new ApiError(method, path, res.statusCode, errorMessage(res.body));
    if (typeof res.body !== 'object' || res.body === null)
      throw new ApiError(method, path, res.statusCode, `answer is not a JSON object: ${errorMessage(res.body)}`);
    return res.body as Body;
  }

  apply(candidateYaml: string, options: { replace?: boolean; noReconcile?: boolean; dryRun?: boolean }): Promise<Body> {
    const req: Body = { apiVersion: CONTROL_API_VERSION, kind: 'ApplyRequest', candidateYaml };
    if (options.replace) req.replace = true;
    if (options.noReconcile) req.noReconcile = true;
    if (options.dryRun) req.dryRun = true;
    return this.call('POST', 'apply', req);
  }

  delete(target: string, dryRun: boolean): Promise<Body> {
    const req: Body = { apiVersion: CONTROL_API_VERSION, kind: 'DeleteRequest', target };
    if (dryRun) req.dryRun = true;
    return this.call('POST', 'delete', req);
  }

  get(subject: string): Promise<Body> {
    return this.call('GET', `get?subject=${encodeURIComponent(subject)}`);
  }

  describe(target: string): Promise<Body> {
    return this.call('GET', `describe?target=${encodeURIComponent(target)}`);
  }

  status(): Promise<Body> {
    return this.call('GET', 'status');
  }
}
