// The published package runs the compiled JavaScript in dist/ (`npm run build`,
// which `npm test` runs first) without tsx or esbuild: both bins are started
// with a loader hook that fails on any attempt to load either, and answer.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { API_PREFIX, CONTROL_API_VERSION } from '../../src/api/paths.ts';
import { requestJson } from '../../src/cli/client.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DENY = join(ROOT, 'test/helpers/deny-tsx.mjs');
const run = promisify(execFile);

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

let dir: string;
before(async () => {
  assert.ok(existsSync(join(ROOT, 'dist/daemon/main.js')), 'dist/ is missing: run `npm run build` first');
  dir = await mkdtemp(join(tmpdir(), 'built-package-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the built package', () => {
  it('names neither tsx nor esbuild as a dependency, and dist/ imports neither', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const name of ['tsx', 'esbuild'])
      assert.equal(pkg.dependencies[name], undefined, `${name} is a runtime dependency`);
    const offenders = jsFiles(join(ROOT, 'dist')).filter((f) =>
      /from ['"](tsx|esbuild)|import\(['"](tsx|esbuild)/.test(readFileSync(f, 'utf8')),
    );
    assert.deepEqual(offenders, []);
    assert.ok(
      !readFileSync(join(ROOT, 'dist/daemon/main.js'), 'utf8').includes(".ts'"),
      'relative imports were rewritten to .js',
    );
  });

  it('runs evpnctl validate without tsx: a good file passes, a bad one names its problem', async () => {
    const good = await run(process.execPath, [
      '--import',
      DENY,
      join(ROOT, 'bin/evpnctl.js'),
      'validate',
      '-f',
      join(ROOT, 'lab/l2-fabric.fabric.yaml'),
    ]);
    assert.match(good.stdout, /valid/i);
    const bad = await run(process.execPath, [
      '--import',
      DENY,
      join(ROOT, 'bin/evpnctl.js'),
      'validate',
      '-f',
      join(ROOT, 'package.json'),
    ]).catch((e) => e);
    assert.equal(bad.code, 1, bad.stderr);
    assert.doesNotMatch(bad.stderr, /tsx|esbuild/);
  });

  // The installed entry, and the one-file build the lab VM runs (scripts/bundle.mjs).
  for (const entry of ['bin/routerd-evpn.js', 'dist/bundle/daemon.js'])
    it(`runs the daemon (${entry}) without tsx: its validator worker refuses a bad apply and it stops on SIGTERM`, async () => {
      const socket = join(dir, `${entry.replaceAll('/', '-')}.sock`);
      const args = ['--import', DENY, join(ROOT, entry), 'serve', '--resync-seconds', '0', '--node', 'leaf1'];
      const child = spawn(
        process.execPath,
        [...args, '--socket', socket, '--state-dir', join(dir, `state-${entry.replaceAll('/', '-')}`)],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      try {
        for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
        assert.ok(existsSync(socket), `the daemon did not listen: ${stderr}`);
        const body = { apiVersion: CONTROL_API_VERSION, kind: 'ApplyRequest', candidateYaml: 'kind: EVPNNetwork\n' };
        const res = await requestJson(socket, 'POST', `${API_PREFIX}/apply`, body);
        assert.equal(res.statusCode, 400, JSON.stringify(res.body));
        assert.match(JSON.stringify(res.body), /REQUEST_INVALID/);
      } finally {
        child.kill('SIGTERM');
      }
      assert.equal(await exited, 0, stderr);
      assert.doesNotMatch(stderr, /tsx|esbuild/);
    });
});
