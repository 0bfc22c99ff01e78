// Minimal JSON-over-HTTP client for the daemon's Unix control socket.
import { request } from 'node:http';

export interface JsonResponse {
  statusCode: number;
  body: unknown;
  text: string;
}

export interface RequestOptions {
  timeoutMs?: number;
}

// Sends one request; the body is parsed as JSON when it is JSON, else left as text.
export function requestJson(socketPath: string, method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<JsonResponse> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        method,
        path,
        host: 'localhost',
        headers: payload === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          resolve({ statusCode: res.statusCode ?? 0, body: parsed, text });
        });
      },
    );
    req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${path} on ${socketPath} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}
