// The one lab harness for integration and VRF scenario tests: run commands
// inside a lab node, talk to a node's daemon (API socket, evpnctl), read FRR
// and kernel state, and poll with a bounded deadline.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { frrPrefix, installOfNamespace } from '../../lab/frr-instance.ts';
import { labTimeout } from '../../lab/timeouts.ts';
import { API_PREFIX, CONTROL_API_VERSION } from '../../src/api/paths.ts';
import { requestJson } from '../../src/cli/client.ts';
import { type CommandResult, run } from '../../src/system/exec.ts';

export const API = API_PREFIX;

// Lab progress on stderr, so a slow `up` (FRR 10 under qemu) shows where it is.
export const labLog = (message: string) => process.stderr.write(`lab: ${message}\n`);

export async function inNs(ns: string, args: string[]): Promise<CommandResult> {
  return run('ip', ['netns', 'exec', ns, ...args], { timeoutMs: 60_000 });
}

export async function api(
  socket: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ statusCode: number; body: any }> {
  const timeout = labTimeout(120_000); // an apply under qemu TCG can take minutes
  const res = await requestJson(socket, method, `${API}${path}`, body, timeout);
  return { statusCode: res.statusCode, body: res.body as any };
}

// A resource's status from `describe`; anything but a 200 answer fails the test.
export async function describeStatus(socket: string, target: string): Promise<any> {
  const r = await api(socket, 'GET', `/describe?target=${target}`);
  assert.equal(r.statusCode, 200, JSON.stringify(r.body));
  return r.body.resource.status;
}

export const EVPNCTL = fileURLToPath(new URL('../../bin/evpnctl.js', import.meta.url));

// evpnctl run inside a node's namespace against that node's daemon socket.
export async function evpnctl(ns: string, socket: string, args: string[]): Promise<CommandResult> {
  return inNs(ns, [process.execPath, EVPNCTL, '--socket', socket, ...args]);
}

export function applyBody(candidateYaml: string, extra: Record<string, unknown> = {}) {
  return { apiVersion: CONTROL_API_VERSION, kind: 'ApplyRequest', candidateYaml, ...extra };
}

// Polls until check() returns a value (not undefined); throws with the last seen state.
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 90_000,
  intervalMs = 1000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const last = lastError ? ` (last error: ${lastError})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last}`);
}

// vtysh of the FRR the node runs (the host's, or a root's through chroot).
export async function vtysh(ns: string, commands: string[]): Promise<CommandResult> {
  const argv = [...frrPrefix(installOfNamespace(ns)), 'vtysh', '-N', ns, ...commands.flatMap((c) => ['-c', c])];
  return inNs(ns, argv);
}

export async function vtyshJson(ns: string, command: string): Promise<any> {
  const r = await vtysh(ns, [command]);
  if (r.exitCode !== 0) throw new Error(`vtysh -N ${ns} -c '${command}' failed: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : {};
}

export async function runningConfig(ns: string): Promise<string> {
  const r = await vtysh(ns, ['show running-config']);
  assert.equal(r.exitCode, 0, r.stderr);
  return r.stdout;
}

export async function links(ns: string): Promise<any[]> {
  const r = await run('ip', ['-n', ns, '-j', '-d', 'link', 'show']);
  if (r.exitCode !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

// True when the pings from `ns` were answered, each within waitSeconds.
export async function ping(ns: string, address: string, count = 2, waitSeconds = 1): Promise<boolean> {
  const r = await inNs(ns, ['ping', '-c', String(count), '-W', String(waitSeconds), '-i', '0.3', address]);
  return r.exitCode === 0;
}

// ---- VRF state ----

export async function counters(ns: string, dev: string): Promise<{ rx: number; tx: number }> {
  const r = await run('ip', ['-n', ns, '-j', '-s', 'link', 'show', 'dev', dev]);
  if (r.exitCode !== 0) throw new Error(`ip -n ${ns} -s link show ${dev}: ${r.stderr}`);
  const stats = JSON.parse(r.stdout)[0].stats64;
  return { rx: stats.rx.packets, tx: stats.tx.packets };
}

export async function hasRoute(ns: string, vrf: string, dst: string): Promise<boolean> {
  const family = dst.includes(':') ? ['-6'] : [];
  const r = await run('ip', ['-n', ns, ...family, '-j', 'route', 'show', 'vrf', vrf]);
  if (r.exitCode !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout || '[]') as { dst: string }[]).some((x) => x.dst === dst);
}

export async function l3vniUp(ns: string, vrf: string, vni: number): Promise<boolean> {
  const out = await vtyshJson(ns, 'show vrf vni json');
  return (out.vrfs ?? []).some((v: any) => v.vrf === vrf && Number(v.vni) === vni && v.state === 'Up');
}
