// Runs the VRF scenarios (test/vrf/*.test.ts) where VRF devices work, through
// `lab run`: on this host if its kernel can create VRF devices, otherwise in
// one qemu VM boot for all of them. Each scenario's result comes back through
// the results dir (test/helpers/json-reporter.mjs) and becomes a subtest here,
// so the host's summary counts and names every VRF scenario.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../lab/vm/run.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VRF_DIR = join(ROOT, 'test/vrf');
const root = process.getuid?.() === 0;

interface Result {
  name: string;
  nesting: number;
  ok: boolean;
  skip: boolean;
  error?: string;
  file?: string;
}

test('VRF scenarios in a VRF-capable kernel', { skip: root ? false : 'needs root', timeout: 3_600_000 }, async (t) => {
  const files = readdirSync(VRF_DIR)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join('test/vrf', f));
  assert.ok(files.length > 0, 'VRF scenario files');
  const run = await runScenario({
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
        { skip: r.skip ? 'skipped in the VRF kernel' : false },
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
