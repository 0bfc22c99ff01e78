// `routerd-evpn serve` flags: the token file (empty, whitespace, missing,
// unreadable, short) refuses to start the TCP listener with a clear error,
// every flag is checked before anything is bound, and the socket path is
// never deleted unless it is a stale socket. The real daemon binary is
// started for the cases that bind (loopback only; nothing is ever applied).

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OptionsError, parseListen, parseServeOptions, readToken, TOKEN_MIN_LENGTH } from '../../src/daemon/options.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DAEMON = join(ROOT, 'bin/routerd-evpn.js');
const GOOD_TOKEN = 'a3f1c9e0b7d24e6f8a1b2c3d4e5f6a7b';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'serve-options-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text, { mode: 0o600 });
  return path;
};

const refused = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (err: Error) => err instanceof OptionsError && pattern.test(err.message), pattern.source);

describe('the token file', () => {
  it('is refused when empty, only whitespace, missing, a directory, short or with spaces inside', async () => {
    refused(() => readToken(join(dir, 'missing')), /cannot be read \(no such file\); the TCP listener is not started/);
    refused(() => readToken(dir), /cannot be read \(it is a directory\)/);
    refused(() => readToken(join(dir, 'x')), /no such file/);
    const empty = await file('empty', '');
    refused(() => readToken(empty), /is empty or holds only whitespace/);
    const blank = await file('blank', ' \n\t \n');
    refused(() => readToken(blank), /is empty or holds only whitespace/);
    const short = await file('short', 's3cret\n');
    refused(() => readToken(short), new RegExp(`has 6 characters; use at least ${TOKEN_MIN_LENGTH}`));
    const spaced = await file('spaced', 'correct horse battery staple\n');
    refused(() => readToken(spaced), /printable characters without spaces/);
  });

  it('gives the trimmed token, and says when others can read the file', async () => {
    const good = await file('good', `${GOOD_TOKEN}\n`);
    assert.deepEqual(readToken(good), { token: GOOD_TOKEN, shared: false });
    await chmod(good, 0o644);
    assert.deepEqual(readToken(good), { token: GOOD_TOKEN, shared: true });
  });

  it('is required by --listen-tcp, and only used with it', async () => {
    refused(() => parseServeOptions(['--listen-tcp', '127.0.0.1:9179']), /--listen-tcp requires --token-file/);
    const good = await file('good2', GOOD_TOKEN);
    refused(() => parseServeOptions(['--token-file', good]), /only used with --listen-tcp/);
    const opts = parseServeOptions(['--node', 'leaf1', '--listen-tcp', '[::1]:9179', '--token-file', good]);
    assert.ok(opts !== 'help');
    assert.deepEqual(opts.tcp && { host: opts.tcp.host, port: opts.tcp.port, token: opts.tcp.token }, {
      host: '::1',
      port: 9179,
      token: GOOD_TOKEN,
    });
  });
});

describe('flags', () => {
  it('--listen-tcp needs a literal address and a port in range', () => {
    for (const bad of [
      '127.0.0.1',
      '127.0.0.1:',
      'localhost:9179',
      '127.0.0.1:0',
      '127.0.0.1:70000',
      '::1:9179',
      '[fe80::1%eth0]:9179',
      ':9179',
    ]) {
      assert.throws(() => parseListen(bad), OptionsError, bad);
    }
    assert.deepEqual(parseListen('0.0.0.0:9179'), { host: '0.0.0.0', port: 9179 });
  });

  it('--resync-seconds, --node and empty values are checked', () => {
    refused(() => parseServeOptions(['--resync-seconds', 'soon']), /--resync-seconds must be a number/);
    refused(() => parseServeOptions(['--resync-seconds=-5']), /--resync-seconds must be a number/);
    refused(() => parseServeOptions(['--node', 'leaf 1']), /--node "leaf 1" is not a node name/);
    refused(() => parseServeOptions(['--socket', '']), /--socket needs a value/);
    refused(() => parseServeOptions(['--bogus']), /Unknown option '--bogus'/);
  });
});

// The real daemon: exit code, stderr, and what it left behind.
function serve(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [DAEMON, 'serve', '--resync-seconds', '0', ...args],
      { timeout: 30_000 },
      (err, _stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stderr }),
    );
  });
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const portOpen = (port: number) =>
  new Promise<boolean>((done) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => {
      c.destroy();
      done(true);
    });
    c.once('error', () => done(false));
  });

describe('the daemon refuses to start, binding nothing', () => {
  for (const [what, text] of [
    ['an empty token file', ''],
    ['a whitespace-only token file', '  \n'],
  ] as const) {
    it(`with ${what}: exit 1, a clear error, no socket and no TCP listener`, async () => {
      const run = await mkdtemp(join(dir, 'run-'));
      const socket = join(run, 'evpn.sock');
      const port = await freePort();
      const token = join(run, 'token');
      await writeFile(token, text, { mode: 0o600 });
      const r = await serve([
        '--node',
        'leaf1',
        '--socket',
        socket,
        '--state-dir',
        join(run, 'state'),
        '--listen-tcp',
        `127.0.0.1:${port}`,
        '--token-file',
        token,
      ]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /--token-file .* is empty or holds only whitespace/);
      assert.equal(existsSync(socket), false, 'no socket file');
      assert.equal(existsSync(join(run, 'state')), false, 'no state dir');
      assert.equal(await portOpen(port), false, 'no TCP listener');
    });
  }

  it('with --listen-tcp HOST without a port: no NaN, no socket file left behind', async () => {
    const run = await mkdtemp(join(dir, 'run-'));
    const socket = join(run, 'evpn.sock');
    const token = await file('tok-noport', GOOD_TOKEN);
    const r = await serve([
      '--node',
      'leaf1',
      '--socket',
      socket,
      '--state-dir',
      join(run, 'state'),
      '--listen-tcp',
      '127.0.0.1',
      '--token-file',
      token,
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--listen-tcp "127\.0\.0\.1" is not HOST:PORT/);
    assert.doesNotMatch(r.stderr, /NaN/);
    assert.equal(existsSync(socket), false);
  });

  it('when --socket is a regular file: refused and the file kept', async () => {
    const run = await mkdtemp(join(dir, 'run-'));
    const socket = join(run, 'evpn.sock');
    await writeFile(socket, 'not a socket\n');
    const r = await serve(['--node', 'leaf1', '--socket', socket, '--state-dir', join(run, 'state')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /exists and is not a socket \(a regular file\)/);
    assert.equal(await readFile(socket, 'utf8'), 'not a socket\n');
  });
});

describe('the daemon with a good token', () => {
  it('answers on TCP only with Authorization: Bearer <token>, and stops cleanly', async () => {
    const run = await mkdtemp(join(dir, 'run-'));
    const socket = join(run, 'evpn.sock');
    const state = join(run, 'state');
    await mkdir(join(state, 'generations'), { recursive: true });
    await writeFile(join(state, 'generations', '.gen-000001.yaml.4242.0badf00d.tmp'), 'torn');
    const port = await freePort();
    const token = await file('tok-good', `${GOOD_TOKEN}\n`);
    const child = spawn(
      process.execPath,
      [
        DAEMON,
        'serve',
        '--resync-seconds',
        '0',
        '--node',
        'leaf1',
        '--socket',
        socket,
        '--state-dir',
        state,
        '--listen-tcp',
        `127.0.0.1:${port}`,
        '--token-file',
        token,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const url = `http://127.0.0.1:${port}/api/control.routerd.net/v1alpha1/get?subject=generations`;
      let res: Response | undefined;
      for (let i = 0; i < 100 && !res; i++) {
        res = await fetch(url).catch(() => undefined);
        if (!res) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(res, `the TCP listener came up (${stderr})`);
      assert.equal(res.status, 401);
      assert.equal((await fetch(url, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status, 401);
      const ok = await fetch(url, { headers: { authorization: `Bearer ${GOOD_TOKEN}` } });
      assert.equal(ok.status, 200);
      assert.deepEqual((await ok.json()).ledger.generations, []);
      assert.equal(
        existsSync(join(state, 'generations', '.gen-000001.yaml.4242.0badf00d.tmp')),
        false,
        'the torn temp file was removed on start',
      );
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    assert.equal(existsSync(socket), false, 'the socket is removed on shutdown');
  });
});
