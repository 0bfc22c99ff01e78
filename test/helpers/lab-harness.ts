// Shared pieces for integration tests: run commands inside a lab node, talk
// to a node's daemon socket, and poll with a bounded deadline.
import { run, type CommandResult } from '../../src/apply/exec.ts';
import { requestJson } from '../../src/cli/client.ts';
import { labTimeout } from '../../lab/timeouts.ts';

export const API = '/api/control.routerd.net/v1alpha1';

export async function inNs(ns: string, args: string[]): Promise<CommandResult> {
  return run('ip', ['netns', 'exec', ns, ...args], { timeoutMs: 60_000 });
}

export async function api(socket: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ statusCode: number; body: any }> {
  const res = await requestJson(socket, method, `${API}${path}`, body, labTimeout(120_000)); // an apply under qemu TCG can take minutes
  return { statusCode: res.statusCode, body: res.body as any };
}

export function applyBody(candidateYaml: string, extra: Record<string, unknown> = {}) {
  return { apiVersion: 'control.routerd.net/v1alpha1', kind: 'ApplyRequest', candidateYaml, ...extra };
}

// Polls until check() returns a value (not undefined); throws with the last seen state.
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 90_000, intervalMs = 1000): Promise<T> {
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
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}`);
}

export async function vtyshJson(ns: string, command: string): Promise<any> {
  const r = await run('vtysh', ['-N', ns, '-c', command]);
  if (r.exitCode !== 0) throw new Error(`vtysh -N ${ns} -c '${command}' failed: ${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : {};
}

export async function links(ns: string): Promise<any[]> {
  const r = await run('ip', ['-n', ns, '-j', '-d', 'link', 'show']);
  if (r.exitCode !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

export async function ping(ns: string, address: string, count = 2): Promise<boolean> {
  const r = await inNs(ns, ['ping', '-c', String(count), '-W', '1', '-i', '0.3', address]);
  return r.exitCode === 0;
}
