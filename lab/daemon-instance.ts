// One routerd-evpn daemon per fabric node, started detached inside the node's
// namespace, reached through its Unix control socket.

import { mkdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_PREFIX, CONTROL_API_VERSION } from '../src/api/paths.ts';
import { requestJson } from '../src/cli/client.ts';
import { isAlive } from './processes.ts';
import { spawnDetached } from './spawn.ts';
import type { LabPaths } from './state.ts';
import { labTimeout } from './timeouts.ts';
import { sleep } from './wait.ts';

export { API_PREFIX };
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const DAEMON_ENTRY = `${REPO_ROOT}/src/daemon/main.ts`;
// LAB_DAEMON_ENTRY=dist/bundle/daemon.js runs the one-file build instead (or
// dist/daemon/main.js the compiled files), without tsx: under qemu, five
// daemons transpiling the sources at once take minutes to start, and loading
// ~800 module files through tsx's resolver still over two
// (test/integration/vrf-suite.test.ts builds dist/ and sets it for the guest).
export const DAEMON_ENTRY_ENV = 'LAB_DAEMON_ENTRY';

// LAB_RESYNC_SECONDS=N starts each daemon with --resync-seconds N (default:
// the daemon's 60). A resync is a whole reconcile, frr-reload.py --test
// included: under qemu six daemons resyncing every minute keep one emulated
// CPU busy, so the VM suite (vrf-suite.test.ts) sets 600.
export const RESYNC_ENV = 'LAB_RESYNC_SECONDS';

function defaultEntry(): string {
  const chosen = process.env[DAEMON_ENTRY_ENV];
  return chosen ? resolve(REPO_ROOT, chosen) : DAEMON_ENTRY;
}

// The daemon gets systemd's default PATH, as in production: a developer's
// shims (pyenv's python3) would run frr-reload.py instead of Debian's python3,
// seconds slower per call under qemu.
export const DAEMON_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface DaemonStart {
  entry?: string | undefined; // default src/daemon/main.ts
  frrRoot?: string | undefined; // the node's FRR runs from this root (--frr-root)
}

export function daemonArgs(paths: LabPaths, node: string, namespace: string, start: DaemonStart = {}): string[] {
  const entry = start.entry ?? defaultEntry();
  return [
    'netns',
    'exec',
    namespace,
    process.execPath,
    ...loaderFor(entry),
    entry,
    'serve',
    '--node',
    node,
    '--socket',
    paths.socket(node),
    '--state-dir',
    paths.stateDir(node),
    '--frr-pathspace',
    namespace,
    ...(start.frrRoot ? ['--frr-root', start.frrRoot] : []),
    ...(process.env[RESYNC_ENV] ? ['--resync-seconds', process.env[RESYNC_ENV]] : []),
  ];
}

// TypeScript sources need tsx's loader; compiled JavaScript runs as it is.
function loaderFor(entry: string): string[] {
  return entry.endsWith('.ts') ? ['--import', tsxLoader()] : [];
}

// Why: `--import tsx` resolves from the cwd; the resolved URL works from any directory.
function tsxLoader(): string {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return 'tsx';
  }
}

export async function startDaemon(
  paths: LabPaths,
  node: string,
  namespace: string,
  start: DaemonStart = {},
): Promise<number> {
  await mkdir(paths.stateDir(node), { recursive: true });
  const env = { PATH: DAEMON_PATH };
  const { pid } = await spawnDetached('ip', daemonArgs(paths, node, namespace, start), paths.log(node), env);
  return pid;
}

export async function logTail(file: string, lines = 20): Promise<string> {
  try {
    const text = (await readFile(file, 'utf8')).trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// Polls GET status until the daemon answers 200; fails early if the process died.
export async function waitForDaemon(
  paths: LabPaths,
  node: string,
  pid: number,
  timeoutMs = labTimeout(30_000),
): Promise<void> {
  const socket = paths.socket(node);
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      throw new Error(
        `daemon for ${node} (pid ${pid}) exited before answering on ${socket}; see ${paths.log(node)}:\n${await logTail(paths.log(node))}`,
      );
    }
    try {
      const res = await requestJson(socket, 'GET', `${API_PREFIX}/status`, undefined, labTimeout(2_000));
      if (res.statusCode === 200) return;
      last = `HTTP ${res.statusCode}: ${JSON.stringify(res.body).slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(250);
  }
  throw new Error(
    `daemon for ${node} did not answer GET ${API_PREFIX}/status on ${socket} within ${timeoutMs} ms (${last}); see ${paths.log(node)}:\n${await logTail(paths.log(node))}`,
  );
}

// Applies the fabric file as the whole desired set; a rejection carries every validation error.
export async function applyFabric(paths: LabPaths, node: string, candidateYaml: string): Promise<void> {
  const body = { apiVersion: CONTROL_API_VERSION, kind: 'ApplyRequest', candidateYaml, replace: true };
  const res = await requestJson(paths.socket(node), 'POST', `${API_PREFIX}/apply`, body, labTimeout(60_000));
  if (res.statusCode !== 200) {
    const detail = typeof res.body === 'object' ? JSON.stringify(res.body, null, 2) : String(res.body);
    throw new Error(`apply on ${node} failed with HTTP ${res.statusCode}:\n${detail}`);
  }
}
