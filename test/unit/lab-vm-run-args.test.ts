// `lab run` argument parsing: options before SCRIPT, everything after it (or
// after --) belongs to the job, and --env copies or sets variables.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRunArgs } from '../../lab/vm/run-args.ts';

const hostEnv = { FOO: 'from host', EMPTY: '' };

describe('lab run arguments', () => {
  it('takes options before SCRIPT and leaves the job its own flags', () => {
    const parsed = parseRunArgs(
      ['--vm', '--memory', '4096', '--timeout=60', '--env', 'FOO', '--env', 'BAR=1=2', './t.sh', '--vm', '-x'],
      hostEnv,
    );
    assert.deepEqual(parsed, {
      ok: true,
      args: {
        command: ['./t.sh', '--vm', '-x'],
        forceVm: true,
        memoryMiB: 4096,
        timeoutMs: 60_000,
        env: { FOO: 'from host', BAR: '1=2' },
      },
    });
  });

  it('runs any command after --', () => {
    const parsed = parseRunArgs(['--results', '/tmp/r', '--', 'node', '--version'], hostEnv);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.args.command, ['node', '--version']);
    assert.equal(parsed.args.forceVm, false);
    assert.equal(parsed.args.resultsDir, '/tmp/r');
  });

  it('passes an empty host variable as empty', () => {
    const parsed = parseRunArgs(['--env', 'EMPTY', 'true'], hostEnv);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.args.env, { EMPTY: '' });
  });

  it('refuses what it cannot honour, saying why', () => {
    const cases: [string[], RegExp][] = [
      [[], /needs SCRIPT/],
      [['--vm'], /needs SCRIPT/],
      [['--memory', 'lots', 'x'], /--memory needs a positive whole number \(got lots\)/],
      [['--timeout', '0', 'x'], /--timeout needs a positive whole number/],
      [['--env', 'NOT_SET', 'x'], /--env NOT_SET: not set/],
      [['--env', '1BAD=x', 'x'], /not a variable name/],
      [['--fast', 'x'], /unknown option --fast/],
      [['--results'], /--results needs a directory/],
    ];
    for (const [argv, error] of cases) {
      const parsed = parseRunArgs(argv, hostEnv);
      assert.equal(parsed.ok, false, argv.join(' '));
      if (!parsed.ok) assert.match(parsed.error, error);
    }
  });
});
