// The cache lock: holders run one after the other, and a lock left by a dead
// process is taken over instead of waited for.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withLock } from '../../lab/vm/lock.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('cache lock', () => {
  let base = '';
  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'lab-vm-lock-'));
  });
  after(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('lets one holder in at a time and removes the lock afterwards', async () => {
    const lock = join(base, 'serial.lock');
    const events: string[] = [];
    const holder = (name: string) =>
      withLock(
        lock,
        async () => {
          events.push(`${name} in`);
          await sleep(300);
          events.push(`${name} out`);
        },
        () => undefined,
      );
    await Promise.all([holder('a'), holder('b')]);
    assert.deepEqual(
      events.map((e) => e.split(' ')[1]),
      ['in', 'out', 'in', 'out'],
    );
    assert.equal(existsSync(lock), false);
  });

  it('takes over a lock whose owner has exited', async () => {
    const lock = join(base, 'stale.lock');
    const gone = spawnSync('true').pid; // has exited (and been reaped) by now
    await mkdir(lock);
    await writeFile(join(lock, 'pid'), String(gone));
    const value = await withLock(
      lock,
      async () => 'ran',
      () => undefined,
      10_000,
    );
    assert.equal(value, 'ran');
  });

  it('gives up after its timeout while a live owner holds the lock', async () => {
    const lock = join(base, 'held.lock');
    await mkdir(lock);
    await writeFile(join(lock, 'pid'), String(process.pid));
    const messages: string[] = [];
    await assert.rejects(
      withLock(
        lock,
        async () => 'never',
        (m) => messages.push(m),
        500,
      ),
      /timed out waiting for .*held by pid/,
    );
    assert.match(messages[0], /waiting for .*held\.lock \(held by pid \d+\)/);
  });
});
