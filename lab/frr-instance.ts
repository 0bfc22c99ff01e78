// One FRR instance (zebra + bgpd) per fabric node, in the node's namespace,
// with its own pathspace (-N NS): config in /etc/frr/NS, sockets and pid files
// in /var/run/frr/NS, queried with `vtysh -N NS`.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { type Runner, runChecked } from '../src/system/exec.ts';
import { labTimeout } from './timeouts.ts';
import { sleep } from './wait.ts';

export const FRR_BIN_DIR = '/usr/lib/frr';
export const FRR_DAEMONS = ['zebra', 'bgpd', 'staticd'] as const;
export const ZEBRA_NETLINK_BUFFER = 90_000_000;
export type FrrDaemon = (typeof FRR_DAEMONS)[number];

export interface FrrPaths {
  confDir: string;
  runDir: string;
  config: string;
}

export function frrPaths(namespace: string): FrrPaths {
  const confDir = `/etc/frr/${namespace}`;
  return { confDir, runDir: `/var/run/frr/${namespace}`, config: `${confDir}/frr.conf` };
}

export function bootConfig(hostname: string): string {
  return `frr defaults datacenter\nhostname ${hostname}\n!\n`;
}

// Writes the boot config and vtysh.conf, owned by frr as the daemons expect.
export async function prepareFrrDirs(runner: Runner, namespace: string, hostname: string): Promise<FrrPaths> {
  const paths = frrPaths(namespace);
  await mkdir(paths.confDir, { recursive: true });
  await mkdir(paths.runDir, { recursive: true });
  await writeFile(`${paths.confDir}/vtysh.conf`, 'service integrated-vtysh-config\n', { mode: 0o644 });
  await writeFile(paths.config, bootConfig(hostname), { mode: 0o640 });
  await runChecked(runner, 'chown', ['-R', 'frr:frr', paths.confDir, paths.runDir]);
  return paths;
}

export async function readPidFile(file: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(file, 'utf8')).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

// Starts one daemon (-d forks; the pid file holds the daemon's real pid).
export async function startFrrDaemon(
  runner: Runner,
  namespace: string,
  daemon: FrrDaemon,
  binDir = FRR_BIN_DIR,
): Promise<number> {
  const paths = frrPaths(namespace);
  const pidFile = `${paths.runDir}/${daemon}.pid`;
  // zebra gets the netlink receive buffer Debian's /etc/frr/daemons gives it
  // (-s 90000000): with the default, creating ~750+ VNIs in one batch drops
  // link events and zebra never learns some VNIs.
  const extra = daemon === 'zebra' ? ['-s', String(ZEBRA_NETLINK_BUFFER)] : [];
  await runChecked(
    runner,
    'ip',
    [
      'netns',
      'exec',
      namespace,
      `${binDir}/${daemon}`,
      '-d',
      '-N',
      namespace,
      ...extra,
      '-f',
      paths.config,
      '-i',
      pidFile,
    ],
    {
      timeoutMs: labTimeout(30_000),
    },
  );
  const deadline = Date.now() + labTimeout(10_000);
  while (Date.now() < deadline) {
    const pid = await readPidFile(pidFile);
    if (pid) return pid;
    await sleep(100);
  }
  throw new Error(`${daemon} in ${namespace} wrote no pid file ${pidFile} within 10 s`);
}

// Polls `vtysh -N NS -c 'show version'` until the instance answers.
export async function waitForVtysh(runner: Runner, namespace: string, timeoutMs = labTimeout(20_000)): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const result = await runner('vtysh', ['-N', namespace, '-c', 'show version'], { timeoutMs: labTimeout(5_000) });
    if (result.exitCode === 0) return;
    last = (result.stderr || result.stdout).trim();
    await sleep(200);
  }
  throw new Error(`FRR in ${namespace} did not answer vtysh within ${timeoutMs} ms${last ? `: ${last}` : ''}`);
}

// Pid files of an instance, used by `down` when pids.json was never written.
export async function frrPidFilePids(namespace: string): Promise<number[]> {
  const { runDir } = frrPaths(namespace);
  const pids = await Promise.all(FRR_DAEMONS.map((d) => readPidFile(`${runDir}/${d}.pid`)));
  return pids.filter((p): p is number => p !== undefined);
}

export async function removeFrrDirs(namespace: string): Promise<void> {
  const { confDir, runDir } = frrPaths(namespace);
  await rm(confDir, { recursive: true, force: true });
  await rm(runDir, { recursive: true, force: true });
}
