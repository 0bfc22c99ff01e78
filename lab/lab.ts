// The lab lifecycle: up (all-or-nothing), down (idempotent, by recorded pid and
// exact namespace name) and exec. Tests drive these functions directly.

import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { type Runner, run, runChecked } from '../src/system/exec.ts';
import { applyFabric, type DaemonStart, REPO_ROOT, startDaemon, waitForDaemon } from './daemon-instance.ts';
import { type FabricFile, fabricNodeProblems, loadFabricFile, resolveFabricPath } from './fabric-file.ts';
import {
  daemonsOf,
  frrPidFilePids,
  loadBootConfig,
  prepareFrrDirs,
  removeFrrDirs,
  startFrrDaemon,
  waitForVtysh,
} from './frr-instance.ts';
import { type FrrInstall, installOf } from './frr-release.ts';
import { ensureFrrRoot } from './frr-root.ts';
import { buildNetwork, createNamespaces, deleteNamespaces, listNamespaces, runExecLines } from './netns.ts';
import { type RecordedProcess, stopProcesses } from './processes.ts';
import { runInherit } from './spawn.ts';
import { type LabPaths, type LabState, labPaths, readState, socketPathProblems, writeState } from './state.ts';
import { type LabNode, loadTopology, type Topology } from './topology.ts';

export { labPaths } from './state.ts';

export interface LabOptions {
  topologyFile: string;
  fabricFile?: string;
  frr?: boolean; // start FRR on fabric nodes (default true)
  daemon?: boolean; // start and configure routerd-evpn daemons (default true; needs frr)
  baseDir?: string;
  daemonEntry?: string; // daemon script (default src/daemon/main.ts); tests may point at a stand-in
  runner?: Runner;
  log?: (message: string) => void;
}

export interface Lab {
  topology: Topology;
  paths: LabPaths;
  fabric?: FabricFile;
  state: LabState;
}

export class LabExistsError extends Error {}

interface Context {
  topology: Topology;
  topologyFile: string;
  paths: LabPaths;
  runner: Runner;
  log: (message: string) => void;
}

async function context(opts: LabOptions): Promise<Context> {
  const topology = await loadTopology(opts.topologyFile);
  return {
    topology,
    topologyFile: opts.topologyFile,
    paths: labPaths(topology, opts.baseDir),
    runner: opts.runner ?? run,
    log: opts.log ?? (() => undefined),
  };
}

// Why: a half-found lab must not be built over or torn down by a second `up`.
async function assertAbsent(ctx: Context, topologyFile: string): Promise<void> {
  const existing = await listNamespaces(ctx.runner);
  const found = ctx.topology.nodes.map((n) => n.namespace).filter((ns) => existing.has(ns));
  if (existsSync(ctx.paths.dir)) found.unshift(ctx.paths.dir);
  if (found.length > 0) {
    throw new LabExistsError(
      `lab ${ctx.topology.name} already exists (${found.join(', ')}); run \`npm run lab -- down ${topologyFile}\` first`,
    );
  }
}

export async function labUp(opts: LabOptions): Promise<Lab> {
  const ctx = await context(opts);
  const withFrr = opts.frr ?? true;
  const withDaemon = withFrr && (opts.daemon ?? true);
  const fabric = withFrr
    ? await loadFabricFile(resolveFabricPath(opts.topologyFile, ctx.topology, opts.fabricFile))
    : undefined;
  const problems = [
    ...(fabric ? fabricNodeProblems(ctx.topology, fabric) : []),
    ...(withDaemon && fabric ? socketPathProblems(ctx.paths, fabric.nodes) : []),
  ];
  if (problems.length > 0) throw new Error(`cannot start lab ${ctx.topology.name}:\n  - ${problems.join('\n  - ')}`);
  await assertAbsent(ctx, opts.topologyFile);

  const state: LabState = {
    lab: ctx.topology.name,
    topologyFile: resolve(opts.topologyFile),
    startedAt: new Date().toISOString(),
    processes: [],
  };
  try {
    await mkdir(ctx.paths.dir, { recursive: true });
    writeState(ctx.paths, state);
    await buildTopology(ctx);
    if (fabric) await startFrrInstances(ctx, fabric, state);
    if (fabric && withDaemon) await startDaemons(ctx, fabric, state, opts.daemonEntry);
    ctx.log(`lab ${ctx.topology.name} is up`);
    return { topology: ctx.topology, paths: ctx.paths, fabric, state };
  } catch (err) {
    const kept = await keepLogs(ctx, fabric);
    ctx.log(`up failed, tearing down lab ${ctx.topology.name}`);
    await teardown(ctx).catch((downErr: Error) => ctx.log(`teardown after failed up also failed: ${downErr.message}`));
    if (kept && err instanceof Error) err.message += `\n(daemon logs kept in ${kept})`;
    throw err;
  }
}

async function buildTopology(ctx: Context): Promise<void> {
  ctx.log(`creating ${ctx.topology.nodes.length} namespaces and ${ctx.topology.links.length} links`);
  await createNamespaces(
    ctx.runner,
    ctx.topology.nodes.map((n) => n.namespace),
  );
  await buildNetwork(ctx.runner, ctx.topology);
  for (const node of ctx.topology.nodes) await runExecLines(ctx.runner, node);
}

function nodeOf(ctx: Context, node: string): LabNode {
  const found = ctx.topology.nodes.find((n) => n.name === node);
  if (!found) throw new Error(`topology has no node ${node}`);
  return found;
}

function namespaceOf(ctx: Context, node: string): string {
  return nodeOf(ctx, node).namespace;
}

// The FRR a fabric node runs, its root built first if this is its first use.
async function frrInstall(ctx: Context, node: string): Promise<FrrInstall> {
  const install = installOf(nodeOf(ctx, node).frr);
  if (install.root) await ensureFrrRoot(install.release, ctx.log);
  return install;
}

function record(ctx: Context, state: LabState, proc: RecordedProcess): void {
  state.processes.push(proc);
  writeState(ctx.paths, state);
}

// FRR on every fabric node (booted empty: its daemon configures it) and on
// every node that binds its own frr.conf (configured by hand, no daemon).
async function startFrrInstances(ctx: Context, fabric: FabricFile, state: LabState): Promise<void> {
  const installs = new Map<string, FrrInstall>();
  const handConfigured = ctx.topology.nodes.filter((n) => n.frrConfig !== undefined).map((n) => n.name);
  for (const node of [...fabric.nodes, ...handConfigured]) installs.set(node, await frrInstall(ctx, node));
  for (const [node, install] of installs) {
    const ns = namespaceOf(ctx, node);
    const own = nodeOf(ctx, node).frrConfig;
    ctx.log(`starting FRR ${install.release} in ${ns}${own ? ` with ${own}` : ''}`);
    const config = own ? await readFile(resolve(dirname(ctx.topologyFile), own), 'utf8') : undefined;
    await prepareFrrDirs(ctx.runner, ns, node, install, config);
    const igp = fabric.nodes.includes(node) ? fabric.igpDaemons : [];
    for (const daemon of [...daemonsOf(install), ...igp]) {
      const pid = await startFrrDaemon(ctx.runner, ns, daemon, install);
      record(ctx, state, { pid, node, role: daemon, namespace: ns });
    }
  }
  // Started in parallel above; waited for one by one so a failure stops all waiting.
  for (const [node, install] of installs) {
    await waitForVtysh(ctx.runner, namespaceOf(ctx, node), install);
    await loadBootConfig(ctx.runner, namespaceOf(ctx, node), install);
  }
}

async function startDaemons(ctx: Context, fabric: FabricFile, state: LabState, entry?: string): Promise<void> {
  const pids = new Map<string, number>();
  for (const node of fabric.nodes) {
    const ns = namespaceOf(ctx, node);
    ctx.log(`starting routerd-evpn for ${node} (log ${ctx.paths.log(node)})`);
    const pid = await startDaemon(ctx.paths, node, ns, { ...daemonStartOf(ctx.topology, node), entry });
    pids.set(node, pid);
    record(ctx, state, { pid, node, role: 'routerd-evpn', namespace: ns });
  }
  for (const [node, pid] of pids) await waitForDaemon(ctx.paths, node, pid);
  // Each node's daemon applies on its own; under qemu one apply takes tens of seconds.
  ctx.log(`applying ${fabric.path} on ${fabric.nodes.join(', ')}`);
  await Promise.all(fabric.nodes.map((node) => applyFabric(ctx.paths, node, fabric.text)));
}

// How a node's daemon is started: aimed at the FRR the node's image selects.
export function daemonStartOf(topology: Topology, node: string): DaemonStart {
  const found = topology.nodes.find((n) => n.name === node);
  if (!found) throw new Error(`topology has no node ${node}`);
  const { root } = installOf(found.frr);
  return root ? { frrRoot: root } : {};
}

// Why: teardown removes the lab dir, so daemon logs of a failed up are copied out first.
async function keepLogs(ctx: Context, fabric?: FabricFile): Promise<string | undefined> {
  const logs = (fabric?.nodes ?? []).map((n) => ctx.paths.log(n)).filter((f) => existsSync(f));
  if (logs.length === 0) return undefined;
  const dest = `${tmpdir()}/routerd-evpn-lab-${ctx.topology.name}-logs`;
  await rm(dest, { recursive: true, force: true });
  await mkdir(dest, { recursive: true });
  for (const file of logs) await cp(file, `${dest}/${file.split('/').pop()}`);
  return dest;
}

export interface DownReport {
  stoppedPids: number[];
  deletedNamespaces: string[];
}

export async function labDown(
  opts: Pick<LabOptions, 'topologyFile' | 'baseDir' | 'runner' | 'log'>,
): Promise<DownReport> {
  return teardown(await context(opts));
}

// The one teardown path, used by `down` and by a failed `up`.
async function teardown(ctx: Context): Promise<DownReport> {
  const recorded = readState(ctx.paths)?.processes ?? [];
  for (const node of ctx.topology.nodes) {
    for (const pid of await frrPidFilePids(node.namespace))
      recorded.push({ pid, node: node.name, role: 'frr', namespace: node.namespace });
  }
  const unique = [...new Map(recorded.map((p) => [p.pid, p] as const)).values()];
  const stoppedPids = await stopProcesses(unique);
  if (stoppedPids.length > 0) ctx.log(`stopped pids ${stoppedPids.join(' ')}`);
  const namespaces = ctx.topology.nodes.map((n) => n.namespace);
  await warnAboutStrays(ctx, namespaces);
  const deletedNamespaces = await deleteNamespaces(ctx.runner, namespaces);
  if (deletedNamespaces.length > 0) ctx.log(`deleted namespaces ${deletedNamespaces.join(' ')}`);
  for (const ns of namespaces) await removeFrrDirs(ns);
  await rm(ctx.paths.dir, { recursive: true, force: true });
  return { stoppedPids, deletedNamespaces };
}

// Processes we did not start are left alone, but they keep a deleted namespace alive: say so.
async function warnAboutStrays(ctx: Context, namespaces: string[]): Promise<void> {
  const existing = await listNamespaces(ctx.runner);
  for (const ns of namespaces.filter((n) => existing.has(n))) {
    const pids = (await ctx.runner('ip', ['netns', 'pids', ns])).stdout.trim();
    if (pids) ctx.log(`warning: processes not started by the lab still run in ${ns}: ${pids.split('\n').join(' ')}`);
  }
}

export interface ExecOptions extends Pick<LabOptions, 'topologyFile' | 'baseDir' | 'runner'> {
  node: string;
  command: string[];
}

// Runs a command in a node's namespace with evpnctl on PATH and aimed at the node's socket.
export async function labExec(opts: ExecOptions): Promise<number> {
  const ctx = await context(opts);
  const node = ctx.topology.nodes.find((n) => n.name === opts.node);
  if (!node)
    throw new Error(
      `node ${opts.node} is not in topology ${ctx.topology.name} (nodes: ${ctx.topology.nodes.map((n) => n.name).join(', ')})`,
    );
  if (!(await listNamespaces(ctx.runner)).has(node.namespace)) {
    throw new Error(`namespace ${node.namespace} does not exist; run \`npm run lab -- up ${opts.topologyFile}\` first`);
  }
  if (opts.command.length === 0) throw new Error('no command given (usage: exec TOPO NODE -- COMMAND...)');
  const env = {
    ...process.env,
    EVPNCTL_SOCKET: ctx.paths.socket(node.name),
    PATH: `${REPO_ROOT}/bin:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`,
  } as Record<string, string>;
  const result = await runInherit('ip', ['netns', 'exec', node.namespace, ...opts.command], env);
  return result.exitCode;
}

// Exposed for tests that need a namespace-scoped command without the CLI.
export async function nodeRun(topology: Topology, node: string, argv: string[], runner: Runner = run) {
  const ns = topology.nodes.find((n) => n.name === node)?.namespace;
  if (!ns) throw new Error(`node ${node} is not in topology ${topology.name}`);
  return runChecked(runner, 'ip', ['netns', 'exec', ns, ...argv]);
}
