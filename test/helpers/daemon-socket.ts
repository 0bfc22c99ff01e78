// A Unix socket in front of a fake daemon's control API, for evpnctl running as
// a child process: each request is recorded with the daemon's own answer
// (app.inject()), or held unanswered to test the client's timeout.
import { createServer } from 'node:http';
import type { FakeDaemon } from './fake-daemon.ts';

export interface Exchange {
  method: string;
  path: string;
  query: Record<string, string>;
  body: any; // the request body, parsed
  status?: number;
  answer?: any; // the daemon's response body, parsed
}

export interface DaemonSocket {
  socket: string;
  exchanges: Exchange[];
  daemon?: FakeDaemon; // who answers; requests fail with 503 while unset
  hang: boolean; // when true, requests are recorded and never answered
  close(): Promise<void>;
}

async function readBody(req: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function serveDaemon(socket: string): Promise<DaemonSocket> {
  const front: DaemonSocket = { socket, exchanges: [], hang: false, close: async () => {} };
  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://daemon');
    const query = Object.fromEntries(url.searchParams);
    const body = text ? JSON.parse(text) : undefined;
    const exchange: Exchange = { method: req.method ?? '', path: url.pathname, query, body };
    front.exchanges.push(exchange);
    if (front.hang) return;
    if (!front.daemon) return void res.writeHead(503).end();
    const method = req.method as 'GET' | 'POST';
    const type = req.headers['content-type'] ?? 'application/json';
    const payload = text ? { payload: text, headers: { 'content-type': type } } : {};
    const answer = await front.daemon.daemon.app.inject({ method, url: req.url ?? '/', ...payload });
    Object.assign(exchange, { status: answer.statusCode, answer: answer.json() });
    res.writeHead(answer.statusCode, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((ok) => server.listen(socket, ok));
  front.close = async () => {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  };
  return front;
}
