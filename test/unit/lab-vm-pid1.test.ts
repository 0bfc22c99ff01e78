// The guest's PID 1 (lab/vm/pid1.pl) run on the host with plain files for
// ports: output lands on the right port, /dev/stderr can be reopened, the exit
// code (or 128+signal) is reported, and outside PID 1 it only exits.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

const PID1 = resolve(import.meta.dirname, '../../lab/vm/pid1.pl');

describe('guest pid1.pl', () => {
  let base = '';
  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'lab-vm-pid1-'));
  });
  after(async () => {
    await rm(base, { recursive: true, force: true });
  });

  async function runPid1(name: string, cwd: string, command: string[]) {
    const ports = join(base, name);
    await mkdir(ports);
    const result = spawnSync('perl', [PID1, ports, cwd, ...command], { encoding: 'utf8', timeout: 30_000 });
    const port = (p: string) => readFile(join(ports, `lab.${p}`), 'utf8').catch(() => '');
    return {
      status: result.status,
      stdout: await port('stdout'),
      stderr: await port('stderr'),
      control: await port('control'),
    };
  }

  it('relays stdout and stderr separately and reports the exit code', async () => {
    const r = await runPid1('basic', base, [
      'sh',
      '-c',
      'echo out; echo err >&2; echo reopened > /dev/stderr; pwd; exit 3',
    ]);
    assert.equal(r.stdout, `out\n${base}\n`);
    assert.equal(r.stderr, 'err\nreopened\n');
    assert.equal(r.control, 'ready\nexit 3\n');
    assert.equal(r.status, 3);
  });

  it('reports death by signal as 128 + N', async () => {
    const r = await runPid1('signal', base, ['sh', '-c', 'kill -KILL $$']);
    assert.equal(r.control, 'ready\nexit 137\n');
  });

  it('says so when the command or cwd does not exist', async () => {
    const missing = await runPid1('missing', base, ['/nonexistent/command']);
    assert.match(missing.stderr, /lab: cannot run \/nonexistent\/command: No such file or directory/);
    assert.equal(missing.control, 'ready\nexit 127\n');
    const noCwd = await runPid1('nocwd', join(base, 'nowhere'), ['true']);
    assert.match(noCwd.stderr, /lab: cannot change to .*nowhere/);
    assert.equal(noCwd.control, 'ready\nexit 127\n');
  });

  it('looks a bare command name up on PATH and gives it stdin from /dev/null', async () => {
    const r = await runPid1('path', base, ['cat']);
    assert.equal(r.control, 'ready\nexit 0\n');
    assert.equal(r.stdout, '');
  });
});
