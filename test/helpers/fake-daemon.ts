// The daemon's real composition root (compose.ts) over the fake tools, for
// tests that talk to the control API through app.inject() or a socket.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeDaemon, type DaemonOptions } from '../../src/daemon/compose.ts';
import { createFakeTools, type FakeTools, silentLogger } from './fake-tools.ts';

export interface Answer {
  status: number;
  body: any;
}

export interface FakeDaemon {
  fake: FakeTools;
  stateDir: string;
  daemon: ReturnType<typeof composeDaemon>;
  inject(method: 'GET' | 'POST', url: string, body?: object, headers?: Record<string, string>): Promise<Answer>;
  // Another daemon on the same state dir and fake tools, as after a restart (started, not closed by close()).
  again(): Promise<ReturnType<typeof composeDaemon>>;
  close(): Promise<void>;
}

// Node rec-a: the node the recorded vtysh answers come from (recorded-fabric.ts).
export async function startFakeDaemon(opts: Partial<DaemonOptions> = {}): Promise<FakeDaemon> {
  const fake = await createFakeTools();
  const stateDir = await mkdtemp(join(tmpdir(), 'routerd-evpn-state-'));
  const options = { node: 'rec-a', stateDir, runner: fake.runner, reloadScript: fake.reloadScript, ...opts };
  const compose = () => composeDaemon(options, silentLogger());
  const daemon = compose();
  await daemon.service.start();
  return {
    fake,
    stateDir,
    daemon,
    async inject(method, url, body, headers) {
      const payload = body !== undefined ? { payload: body } : {};
      const res = await daemon.app.inject({ method, url, ...payload, ...(headers ? { headers } : {}) });
      return { status: res.statusCode, body: res.json() };
    },
    async again() {
      const other = compose();
      await other.service.start();
      return other;
    },
    async close() {
      await daemon.reconciler.stop();
      await daemon.app.close();
      await daemon.service.close();
      await rm(stateDir, { recursive: true, force: true });
      await fake.cleanup();
      assert.deepEqual(fake.refused, [], 'the daemon ran a tool the fake tools do not fake');
    },
  };
}
