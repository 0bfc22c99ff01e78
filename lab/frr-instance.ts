// One FRR instance per fabric node, in the node's namespace, with its own
// pathspace (-N NS): config in /etc/frr/NS, sockets and pid files in
// /run/frr/NS, queried with `vtysh -N NS`. The host's FRR 8.4 runs as is;
// another release runs chrooted into its root (frr-root.ts), with that root's
// own daemons, vtysh and frr-reload.py, and (FRR >= 10) mgmtd first.

import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { type Runner, runChecked } from '../src/system/exec.ts';
import { IGP_DAEMONS, type IgpDaemon } from './fabric-file.ts';
import { FRR_RELEASES, type FrrInstall, HOST_FRR, installOf } from './frr-release.ts';
import { labTimeout } from './timeouts.ts';
import { sleep } from './wait.ts';

export const FRR_BIN_DIR = '/usr/lib/frr';
export const FRR_DAEMONS = ['zebra', 'bgpd', 'staticd', 'bfdd'] as const;
export const ROOT_FRR_DAEMONS = ['mgmtd', 'zebra', 'bgpd', 'staticd', 'bfdd'] as const;
export const ZEBRA_NETLINK_BUFFER = 90_000_000;
export type FrrDaemon = (typeof ROOT_FRR_DAEMONS)[number] | IgpDaemon;

export interface FrrPaths {
  confDir: string; // as seen from the host
  runDir: string;
  config: string;
  inside: { confDir: string; runDir: string }; // as the daemons see them
}

export function frrPaths(namespace: string, install: FrrInstall = HOST_FRR): FrrPaths {
  const base = install.root ?? '';
  const inside = { confDir: `/etc/frr/${namespace}`, runDir: `${install.root ? '' : '/var'}/run/frr/${namespace}` };
  const confDir = `${base}${inside.confDir}`;
  return { confDir, runDir: `${base}${inside.runDir}`, config: `${confDir}/frr.conf`, inside };
}

export function daemonsOf(install: FrrInstall): readonly FrrDaemon[] {
  return install.root ? ROOT_FRR_DAEMONS : FRR_DAEMONS;
}

// Words in front of an FRR command so it runs that install's binaries.
export function frrPrefix(install: FrrInstall): string[] {
  return install.root ? ['chroot', install.root] : [];
}

export function bootConfig(hostname: string): string {
  return `frr defaults datacenter\nhostname ${hostname}\n!\n`;
}

// Writes the boot config and vtysh.conf, owned by frr as the daemons expect
// (a root's frr user is its own, so chown runs inside it).
export async function prepareFrrDirs(
  runner: Runner,
  namespace: string,
  hostname: string,
  install: FrrInstall = HOST_FRR,
  config: string = bootConfig(hostname), // a hand-configured node's own frr.conf
): Promise<FrrPaths> {
  const paths = frrPaths(namespace, install);
  await mkdir(paths.confDir, { recursive: true });
  await mkdir(paths.runDir, { recursive: true });
  await writeFile(`${paths.confDir}/vtysh.conf`, 'service integrated-vtysh-config\n', { mode: 0o644 });
  await writeFile(paths.config, config, { mode: 0o640 });
  const dirs = install.root ? [paths.inside.confDir, paths.inside.runDir] : [paths.confDir, paths.runDir];
  const [cmd, ...args] = [...frrPrefix(install), 'chown', '-R', 'frr:frr', ...dirs] as [string, ...string[]];
  await runChecked(runner, cmd, args);
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

// The argv that starts one daemon in the namespace (-d forks). A chrooted
// daemon needs /proc and /sys inside its root: they are mounted in the mount
// namespace `ip netns exec` makes, so they vanish with the daemon.
export function daemonArgv(namespace: string, daemon: FrrDaemon, install: FrrInstall, binDir = FRR_BIN_DIR): string[] {
  const paths = frrPaths(namespace, install);
  // zebra gets the netlink receive buffer Debian's /etc/frr/daemons gives it
  // (-s 90000000): with the default, creating ~750+ VNIs in one batch drops
  // link events and zebra never learns some VNIs.
  const extra = daemon === 'zebra' ? ['-s', String(ZEBRA_NETLINK_BUFFER)] : [];
  const pidFile = `${paths.inside.runDir}/${daemon}.pid`;
  if (!install.root)
    return [
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
    ];
  // FRR 10 daemons read their config from mgmtd and `vtysh -b`, not -f. The
  // forked daemon keeps the stdio it got, so it gets a file, not our pipes.
  const out = `${paths.runDir}/${daemon}.stdio`;
  const mountAndChroot = `R=$1; shift; mount -t proc proc "$R/proc" && mount -t sysfs sysfs "$R/sys" && exec chroot "$R" "$@" </dev/null >>'${out}' 2>&1`;
  const log = `file:${paths.inside.runDir}/${daemon}.log`;
  return [
    'netns',
    'exec',
    namespace,
    'sh',
    '-c',
    mountAndChroot,
    'sh',
    install.root,
    `${FRR_BIN_DIR}/${daemon}`,
    '-d',
    '-N',
    namespace,
    '-F',
    'datacenter',
    '-A',
    '127.0.0.1',
    ...extra,
    '-i',
    pidFile,
    '--log',
    log,
  ];
}

// Starts one daemon; the pid file holds the daemon's real pid.
export async function startFrrDaemon(
  runner: Runner,
  namespace: string,
  daemon: FrrDaemon,
  install: FrrInstall = HOST_FRR,
  binDir = FRR_BIN_DIR,
): Promise<number> {
  const pidFile = `${frrPaths(namespace, install).runDir}/${daemon}.pid`;
  await runChecked(runner, 'ip', daemonArgv(namespace, daemon, install, binDir), { timeoutMs: labTimeout(30_000) });
  const deadline = Date.now() + labTimeout(10_000);
  while (Date.now() < deadline) {
    const pid = await readPidFile(pidFile);
    if (pid) return pid;
    await sleep(100);
  }
  const said = await readFile(pidFile.replace(/\.pid$/, '.stdio'), 'utf8').catch(() => '');
  throw new Error(
    `${daemon} in ${namespace} wrote no pid file ${pidFile} within 10 s${said ? `: ${said.trim()}` : ''}`,
  );
}

// A chrooted FRR starts without -f: `vtysh -b` hands it the boot config.
export async function loadBootConfig(runner: Runner, namespace: string, install: FrrInstall): Promise<void> {
  if (!install.root) return;
  await runChecked(runner, 'chroot', [install.root, 'vtysh', '-N', namespace, '-b'], { timeoutMs: labTimeout(30_000) });
}

// Polls `vtysh -N NS -c 'show version'` until the instance answers.
export async function waitForVtysh(
  runner: Runner,
  namespace: string,
  install: FrrInstall = HOST_FRR,
  timeoutMs = labTimeout(20_000),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const [cmd, ...args] = [...frrPrefix(install), 'vtysh', '-N', namespace, '-c', 'show version'];
  let last = '';
  while (Date.now() < deadline) {
    const result = await runner(cmd ?? 'vtysh', args, { timeoutMs: labTimeout(5_000) });
    if (result.exitCode === 0) return;
    last = (result.stderr || result.stdout).trim();
    await sleep(200);
  }
  throw new Error(`FRR in ${namespace} did not answer vtysh within ${timeoutMs} ms${last ? `: ${last}` : ''}`);
}

// Every install an instance of `namespace` may have used: the host's and each root's.
function allInstalls(): FrrInstall[] {
  return FRR_RELEASES.map((r) => installOf(r));
}

// The install whose run dir exists for `namespace` (the harness asks this of a running lab).
export function installOfNamespace(namespace: string): FrrInstall {
  const found = allInstalls().find((i) => i.root && existsSync(frrPaths(namespace, i).runDir));
  return found ?? HOST_FRR;
}

// Pid files of an instance, used by `down` when pids.json was never written.
export async function frrPidFilePids(namespace: string): Promise<number[]> {
  const daemons = (i: FrrInstall): FrrDaemon[] => [...daemonsOf(i), ...IGP_DAEMONS]; // with an IGP underlay
  const files = allInstalls().flatMap((i) => daemons(i).map((d) => `${frrPaths(namespace, i).runDir}/${d}.pid`));
  const pids = await Promise.all([...new Set(files)].map((f) => readPidFile(f)));
  return pids.filter((p): p is number => p !== undefined);
}

export async function removeFrrDirs(namespace: string): Promise<void> {
  for (const install of allInstalls()) {
    if (install.root && !existsSync(install.root)) continue;
    const { confDir, runDir } = frrPaths(namespace, install);
    await rm(confDir, { recursive: true, force: true });
    await rm(runDir, { recursive: true, force: true });
  }
}
