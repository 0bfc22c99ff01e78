// Runs the VRF scenarios (test/vrf/*.test.ts, each on FRR 8.4, 10.3 and a mix,
// the Clos one also over an IPv6 underlay on 10.7;
// FRR_VARIANTS=8.4,10.3,mixed picks some) where VRF devices work, through
// `lab run`: on this host if its kernel can create VRF devices, otherwise in
// one qemu VM boot for all of them. Each scenario's result comes back through
// the results dir (test/helpers/json-reporter.mjs) and becomes a subtest here,
// so the host's summary counts and names every VRF scenario.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DAEMON_ENTRY_ENV, RESYNC_ENV } from '../../lab/daemon-instance.ts';
import { ensureFrrRoot } from '../../lab/frr-root.ts';
import { runScenario } from '../../lab/vm/run.ts';
import { run as execute } from '../../src/system/exec.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VRF_DIR = join(ROOT, 'test/vrf');
const root = process.getuid?.() === 0;

interface Result {
  name: string;
  nesting: number;
  ok: boolean;
  skip: boolean;
  todo?: string; // a known, tracked failure: reported, does not fail the run
  error?: string;
  file?: string;
}

test('VRF scenarios in a VRF-capable kernel', { skip: root ? false : 'needs root', timeout: 3_600_000 }, async (t) => {
  const files = readdirSync(VRF_DIR)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join('test/vrf', f));
  assert.ok(files.length > 0, 'VRF scenario files');
  // The guest sees this host's root read-only: FRR 10.3's and 10.7's roots must exist before it boots.
  for (const release of ['10.3', '10.7'] as const)
    await ensureFrrRoot(release, (m) => process.stderr.write(`lab: ${m}\n`));
  // The guest's daemons run the one-file build (dist/bundle/, built here from the
  // current sources): under qemu, loading the sources or ~800 compiled module
  // files in five daemons at once takes minutes.
  const build = await execute('npm', ['run', '-s', 'build'], { cwd: ROOT, timeoutMs: 300_000 });
  assert.equal(build.exitCode, 0, `npm run build: ${build.stderr}`);
  const variants = process.env.FRR_VARIANTS;
  const run = await runScenario({
    // every scenario file (FRR 8.4, 10.3, mixed): about 26 min in one boot (docs/lab.md)
    timeoutMs: 3_000_000,
    env: {
      [DAEMON_ENTRY_ENV]: 'dist/bundle/daemon.js',
      [RESYNC_ENV]: '600', // periodic reconciles would keep an emulated CPU busy; the scenarios apply
      ...(variants ? { FRR_VARIANTS: variants } : {}),
    },
    command: [
      process.execPath,
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=./test/helpers/json-reporter.mjs',
      '--test-reporter-destination=/dev/null',
      ...files,
    ],
    cwd: ROOT,
    onStdout: (chunk) => process.stderr.write(chunk),
    onStderr: (chunk) => process.stderr.write(chunk),
    log: (m) => process.stderr.write(`lab run: ${m}\n`),
  });
  try {
    let results: Result[] = [];
    try {
      results = readFileSync(join(run.resultsDir, 'test-results.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Result);
    } catch {
      // no results: the exit code below says why
    }
    process.stderr.write(
      `lab run: substrate ${run.substrate}, exit ${run.exitCode}, ${results.length} results, ${Math.round(run.durationMs / 1000)} s\n`,
    );
    // Tests inside the scenario suites become subtests here; a failed suite
    // (e.g. its lab never came up) is reported as one failing subtest too.
    for (const r of results.filter((x) => x.nesting > 0 || !x.ok)) {
      await t.test(
        r.nesting > 0 ? r.name : `${r.name} (suite)`,
        { skip: r.skip ? 'skipped in the VRF kernel' : false, todo: r.todo ?? false },
        () => {
          if (!r.ok) throw new Error(r.error ?? 'failed in the VRF kernel');
        },
      );
    }
    assert.ok(results.length > 0, `the scenario run reported no results (exit code ${run.exitCode})`);
    assert.equal(run.exitCode, 0, `the scenario run exited with ${run.exitCode}`);
  } finally {
    rmSync(run.resultsDir, { recursive: true, force: true });
  }
});
