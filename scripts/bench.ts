// npm run bench [-- --vnis N --reps R]: how long routerd-evpn takes for N
// L2VNIs on one node, against the real kernel and a real FRR instance in a
// scratch namespace (bench-evpn). Prints figures and ratios, never asserts on
// time. Exit codes: 0 ok, 1 a no-op reconcile wrote something, 2 the bench
// itself failed (setup, or a reconcile that should have succeeded did not).
//
// The outer process owns the scratch world (namespace, FRR, state dir) and
// always removes it; the measuring part re-runs this file under
// `ip netns exec bench-evpn`, so every ip/bridge/vtysh/frr-reload the daemon
// code spawns runs in the namespace exactly as it would in production.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { frrPidFilePids, prepareFrrDirs, removeFrrDirs, startFrrDaemon, waitForVtysh } from '../lab/frr-instance.ts';
import { deleteNamespaces, ipBatch, listNamespaces } from '../lab/netns.ts';
import { stopProcesses } from '../lab/processes.ts';
import { runInherit } from '../lab/spawn.ts';
import { sleep } from '../lab/wait.ts';
import { applyKernel } from '../src/apply/kernel-apply.ts';
import type { KernelChanges } from '../src/apply/kernel-changes.ts';
import type { ReconcileState } from '../src/controller/reconcile-state.ts';
import { createLogger } from '../src/daemon/logger.ts';
import type { DevicePlan } from '../src/render/devices.ts';
import { loadTemplates } from '../src/render/frr.ts';
import { renderNode } from '../src/render/node-render.ts';
import { loadYaml } from '../src/resources/load.ts';
import { validateResources } from '../src/resources/validate.ts';
import { type CommandResult, type Runner, run, runChecked } from '../src/system/exec.ts';
import { Kernel } from '../src/system/kernel.ts';

// The daemon as it is deployed: the compiled dist/ (`npm run build`), so its validator
// worker runs plain JavaScript; the rest of this script runs from the sources.
const { composeDaemon } = (await import(
  new URL('../dist/daemon/compose.js', import.meta.url).href
)) as typeof import('../src/daemon/compose.ts');

const NS = 'bench-evpn';
const NODE = 'bench';
const VTEP = '10.255.0.1';
const PEER_VTEP = '10.255.0.2'; // a fabric peer that never answers
const VNI_BASE = 10_000;

interface Args {
  vnis: number;
  reps: number;
  teardown: boolean;
  inner: boolean;
  stateDir?: string;
}

function parseCli(): Args {
  const { values } = parseArgs({
    options: {
      vnis: { type: 'string' },
      reps: { type: 'string' },
      teardown: { type: 'boolean' },
      inner: { type: 'boolean' },
      'state-dir': { type: 'string' },
    },
  });
  const vnis = Number(values.vnis ?? 1000);
  const reps = Number(values.reps ?? 3);
  if (!Number.isInteger(vnis) || vnis < 1 || vnis > 99_999)
    throw new Error(`--vnis ${values.vnis} must be an integer in 1..99999`);
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps ${values.reps} must be a positive integer`);
  return {
    vnis,
    reps,
    teardown: values.teardown ?? false,
    inner: values.inner ?? false,
    ...(values['state-dir'] ? { stateDir: values['state-dir'] } : {}),
  };
}

// One fabric (this node + an absent peer) and N L2VNIs, all on this node.
function fabricYaml(n: number): string {
  const fabric = `apiVersion: evpn.routerd.net/v1alpha1\nkind: EVPNFabric\nmetadata: {name: bench}\nspec:\n  asn: 65000\n  nodes:\n    - {name: ${NODE}, vtepAddress: ${VTEP}}\n    - {name: peer, vtepAddress: ${PEER_VTEP}}\n`;
  const nets = Array.from(
    { length: n },
    (_, i) =>
      `apiVersion: evpn.routerd.net/v1alpha1\nkind: EVPNNetwork\nmetadata: {name: net${i + 1}}\nspec: {vni: ${VNI_BASE + i + 1}, bridge: b${i + 1}, nodes: [${NODE}]}\n`,
  );
  return [fabric, ...nets].join('---\n');
}

// ---- timing and process accounting -------------------------------------

const round = (x: number) => Math.round(x * 10) / 10;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return round(s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2);
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [round(performance.now() - start), value];
}

function label(c: CommandResult): string {
  if (c.command.includes('frr-reload.py'))
    return c.command.includes('--test') ? 'frr-reload --test' : 'frr-reload --reload';
  const [file, ...args] = c.command.split(' ');
  if (args.includes('-batch')) return `${file} -batch`;
  if (args[0] === '-j') return c.command;
  return file ?? c.command;
}

// Why: the processes a step spawns, not only its time, show per-item spawning.
class Recorder {
  readonly calls: CommandResult[] = [];
  readonly runner: Runner = async (file, args, options) => {
    const r = await run(file, args, options);
    this.calls.push(r);
    return r;
  };

  breakdown(from: number): Record<string, { count: number; ms: number }> {
    const out: Record<string, { count: number; ms: number }> = {};
    for (const c of this.calls.slice(from)) {
      const entry = out[label(c)] ?? { count: 0, ms: 0 };
      out[label(c)] = entry;
      entry.count += 1;
      entry.ms += c.durationMs;
    }
    return out;
  }
}

// ---- the measuring part (runs inside the namespace) ---------------------

interface Row {
  figure: string;
  ms: number | string;
  spawns?: number;
  notes?: string;
}

// What one reconcile wrote, from reconciler.state: this run's step results
// plus how far the cumulative counters moved.
interface NoopCounts {
  kernelWrites: number; // state.kernel.writes
  frrCommands: number; // state.reload.commands
  counters: { kernelWrites: number; frrCommands: number; reloads: number; failures: number };
  lastError?: string;
}

function noopCounts(s: ReconcileState, before: ReconcileState['counters']): NoopCounts {
  return {
    kernelWrites: s.kernel.writes,
    frrCommands: s.reload.commands,
    counters: {
      kernelWrites: s.counters.kernelWrites - before.kernelWrites,
      frrCommands: s.counters.frrCommands - before.frrCommands,
      reloads: s.counters.reloads - before.reloads,
      failures: s.counters.failures,
    },
    ...(s.lastError ? { lastError: s.lastError } : {}),
  };
}

const isNoop = (c: NoopCounts) =>
  c.kernelWrites === 0 && c.frrCommands === 0 && Object.values(c.counters).every((v) => v === 0) && !c.lastError;
const noopNotes = (c: NoopCounts) =>
  `${c.kernelWrites} kernel writes, ${c.frrCommands} FRR commands, ${c.counters.reloads} reloads`;

// Between repetitions only, before FRR runs. One `link del` per device costs
// the kernel ~25 ms; tagging the devices with a group and deleting the group is
// ~2.5x faster (but floods zebra, which is why FRR starts after this step).
const CLEANUP_GROUP = 4242;

async function removeDevices(names: Set<string>): Promise<void> {
  const kernel = new Kernel(run);
  const present = (await kernel.readLinks()).filter((l) => names.has(l.name));
  if (present.length === 0) return;
  await runChecked(run, 'ip', ['-batch', '-'], {
    input: `${present.map((l) => `link set dev ${l.name} group ${CLEANUP_GROUP}`).join('\n')}\n`,
  });
  await runChecked(run, 'ip', ['link', 'del', 'group', String(CLEANUP_GROUP)], { timeoutMs: 600_000 });
}

interface FrrVnis {
  zebra: number; // L2VNIs zebra knows (`show evpn`)
  bgpd: number; // L2VNIs bgpd advertises (`show bgp l2vpn evpn vni`)
  ms: number; // until both reached N, or until the counts stopped moving
}

// Why: zebra and bgpd take in the VNIs after the reconcile has returned; this
// waits until both know all N, or until their counts stop moving for 15 s.
async function waitForFrrVnis(n: number, capMs = 180_000): Promise<FrrVnis> {
  const start = performance.now();
  const count = (out: string, re: RegExp) => Number(re.exec(out)?.[1] ?? -1);
  let last = { zebra: -1, bgpd: -1 };
  let changedAt = start;
  for (;;) {
    const r = await run('vtysh', ['-N', NS, '-c', 'show evpn', '-c', 'show bgp l2vpn evpn vni'], { timeoutMs: 60_000 });
    const now = { zebra: count(r.stdout, /^L2 VNIs: (\d+)/m), bgpd: count(r.stdout, /^Number of L2 VNIs: (\d+)/m) };
    const ms = round(performance.now() - start);
    if (now.zebra === n && now.bgpd === n) return { ...now, ms };
    if (now.zebra !== last.zebra || now.bgpd !== last.bgpd) {
      last = now;
      changedAt = performance.now();
    }
    if (performance.now() - changedAt > 15_000 || ms > capMs) return { ...now, ms };
    await sleep(250);
  }
}

// Messages the kernel dropped on rtnetlink listener sockets in this namespace
// (zebra is the only long-lived one): a drop means zebra missed a link event.
async function rtnetlinkDrops(): Promise<number> {
  const rows = (await readFile('/proc/net/netlink', 'utf8'))
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/));
  return rows.filter((c) => c[1] === '0').reduce((sum, c) => sum + Number(c[8] ?? 0), 0);
}

// Everything the steps report into; printed as a table and one JSON line.
interface Report {
  rows: Row[];
  figures: Record<string, unknown>;
  spawns: Record<string, unknown>;
  problems: string[]; // make the exit code non-zero
  warnings: string[]; // reported only
}

// 1. parse + validate + render: pure and in-process.
async function benchPure(r: Report, yaml: string, n: number, reps: number): Promise<ReturnType<typeof renderNode>> {
  const templates = loadTemplates();
  const parseMs: number[] = [];
  const validateMs: number[] = [];
  const renderMs: number[] = [];
  let rendered!: ReturnType<typeof renderNode>;
  for (let i = 0; i < Math.max(reps, 5); i++) {
    const [pms, loaded] = await timed(() => loadYaml(yaml));
    const [vms, v] = await timed(() => validateResources(loaded.resources));
    const issues = [...loaded.issues, ...v.issues];
    if (issues.length > 0)
      throw new Error(
        `the generated fabric does not validate: ${issues
          .slice(0, 3)
          .map((x) => `${x.resource} ${x.path}: ${x.message}`)
          .join('; ')}`,
      );
    const [rms, out] = await timed(() => renderNode(v.resources, NODE, templates));
    parseMs.push(pms);
    validateMs.push(vms);
    renderMs.push(rms);
    rendered = out;
  }
  const f = Object.assign(r.figures, {
    parse_yaml_ms: median(parseMs),
    validate_ms: median(validateMs),
    render_ms: median(renderMs),
    frr_config_lines: rendered.frr.trimEnd().split('\n').length,
    devices: rendered.devices.devices.length,
  });
  r.rows.push({
    figure: 'parse YAML',
    ms: f.parse_yaml_ms,
    spawns: 0,
    notes: `${yaml.length} bytes, ${n + 1} documents`,
  });
  r.rows.push({ figure: 'validate (shape, rules)', ms: f.validate_ms, spawns: 0 });
  r.rows.push({
    figure: 'render (intent, FRR text, device plan)',
    ms: f.render_ms,
    spawns: 0,
    notes: `${f.devices} devices, ${f.frr_config_lines} FRR lines`,
  });
  return rendered;
}

// 2. first kernel apply vs the raw `ip -batch` floor, each from a clean state,
// before FRR starts: zebra would compete for the CPU and lose track of a bulk delete.
async function benchKernel(r: Report, rec: Recorder, plan: DevicePlan, reps: number): Promise<void> {
  const kernel = new Kernel(rec.runner);
  const names = new Set(plan.devices.map((d) => d.name));
  const applyMs: number[] = [];
  const ipMs: number[] = [];
  const bridgeMs: number[] = [];
  let changes: KernelChanges | undefined;
  let spawned = 0;
  for (let i = 0; i < reps; i++) {
    await removeDevices(names);
    const mark = rec.calls.length;
    const [ams, k] = await timed(() => applyKernel(kernel, plan, []));
    spawned = rec.calls.length - mark;
    r.spawns.kernel_apply = rec.breakdown(mark);
    changes = k.changes;
    applyMs.push(ams);
    await removeDevices(names);
    const [ims] = await timed(() =>
      runChecked(run, 'ip', ['-batch', '-'], { input: `${k.changes.ipBatch.join('\n')}\n`, timeoutMs: 300_000 }),
    );
    const [bms] = await timed(() =>
      runChecked(run, 'bridge', ['-batch', '-'], {
        input: `${k.changes.bridgeBatch.join('\n')}\n`,
        timeoutMs: 300_000,
      }),
    );
    ipMs.push(ims);
    bridgeMs.push(bms);
  }
  await removeDevices(names);
  const apply = median(applyMs);
  const ip = median(ipMs);
  const bridge = median(bridgeMs);
  const vsIp = ratio(apply, ip);
  const vsBoth = ratio(apply, ip + bridge);
  Object.assign(r.figures, {
    kernel_apply_ms: apply,
    ip_batch_floor_ms: ip,
    bridge_batch_floor_ms: bridge,
    kernel_apply_vs_ip_floor: vsIp,
    kernel_apply_vs_ip_bridge_floor: vsBoth,
  });
  r.rows.push({
    figure: 'first kernel apply (applyKernel)',
    ms: apply,
    spawns: spawned,
    notes: `${changes?.ipBatch.length ?? 0} ip + ${changes?.bridgeBatch.length ?? 0} bridge lines`,
  });
  r.rows.push({ figure: '  floor: raw ip -batch, same lines', ms: ip, spawns: 1 });
  r.rows.push({ figure: '  floor: raw bridge -batch, same lines', ms: bridge, spawns: 1 });
  r.rows.push({ figure: '  ratio apply / ip floor', ms: `${vsIp}x`, notes: `${vsBoth}x of ip+bridge floor` });
}

// FRR (zebra + bgpd with -N bench-evpn) in this namespace; the outer process stops it by pid file.
async function startFrr(r: Report): Promise<void> {
  const [ms] = await timed(async () => {
    for (const daemon of ['zebra', 'bgpd'] as const) await startFrrDaemon(run, NS, daemon);
    await waitForVtysh(run, NS);
  });
  r.figures.frr_start_ms = ms;
  r.rows.push({ figure: 'start FRR (zebra, bgpd; vtysh answers)', ms, notes: 'setup, not a daemon figure' });
}

type Daemon = ReturnType<typeof composeDaemon>;

// 3. first full reconcile through the composed daemon (store + kernel + FRR test/reload),
// then how long until zebra and bgpd have taken in every VNI.
async function benchFirstReconcile(r: Report, rec: Recorder, d: Daemon, yaml: string, n: number): Promise<number> {
  await d.service.start();
  const mark = rec.calls.length;
  const [ms, outcome] = await timed(() => d.service.apply(yaml, {}));
  const s = d.reconciler.state;
  if (outcome.phase !== 'Applied')
    throw new Error(`first reconcile ended ${outcome.phase}: ${s.lastError ?? outcome.warnings.join('; ')}`);
  r.spawns.first_reconcile = rec.breakdown(mark);
  Object.assign(r.figures, {
    first_reconcile_ms: ms,
    first_reconcile_loop_ms: s.lastDurationMs,
    first_reconcile_kernel_writes: s.kernel.writes,
    first_reconcile_frr_commands: s.reload.commands,
  });
  r.rows.push({
    figure: 'first reconcile (apply: store + kernel + FRR)',
    ms,
    spawns: rec.calls.length - mark,
    notes: `loop ${s.lastDurationMs} ms; ${s.kernel.writes} kernel writes, ${s.reload.commands} FRR commands`,
  });
  const vnis = await waitForFrrVnis(n);
  const drops = await rtnetlinkDrops();
  const complete = vnis.zebra === n && vnis.bgpd === n;
  Object.assign(r.figures, {
    frr_settle_ms: vnis.ms,
    frr_zebra_l2vnis: vnis.zebra,
    frr_bgpd_l2vnis: vnis.bgpd,
    rtnetlink_drops: drops,
  });
  r.rows.push({
    figure: '  then until zebra+bgpd have all VNIs',
    ms: complete ? vnis.ms : 'never',
    notes: `zebra ${vnis.zebra}, bgpd ${vnis.bgpd} of ${n} L2VNIs; ${drops} rtnetlink messages dropped`,
  });
  if (!complete)
    r.warnings.push(
      `FRR did not take in all ${n} L2VNIs after the first reconcile (zebra ${vnis.zebra}, bgpd ${vnis.bgpd}; counts stopped moving); the kernel dropped ${drops} rtnetlink messages to zebra's socket`,
    );
  return outcome.generation;
}

// Runs `once` reps times; keeps the median time and the worst counts.
async function benchNoop(
  r: Report,
  rec: Recorder,
  key: string,
  figure: string,
  reps: number,
  once: () => Promise<{ ms: number; counts: NoopCounts }>,
): Promise<void> {
  const times: number[] = [];
  let worst: NoopCounts | undefined;
  let spawned = 0;
  for (let i = 0; i < reps; i++) {
    const mark = rec.calls.length;
    const { ms, counts } = await once();
    times.push(ms);
    spawned = rec.calls.length - mark;
    r.spawns[key] = rec.breakdown(mark);
    if (!worst || !isNoop(counts)) worst = counts;
  }
  if (!worst) throw new Error(`${figure}: no repetitions were run`);
  Object.assign(r.figures, {
    [`${key}_ms`]: median(times),
    [`${key}_kernel_writes`]: worst.kernelWrites,
    [`${key}_frr_commands`]: worst.frrCommands,
    [`${key}_counters`]: worst.counters,
  });
  r.rows.push({ figure, ms: median(times), spawns: spawned, notes: noopNotes(worst) });
  if (!isNoop(worst)) r.problems.push(`${figure} was not a no-op: ${JSON.stringify(worst)}`);
}

// 6. (--teardown) remove every network in one reconcile: the daemon's own delete path.
async function benchTeardown(r: Report, rec: Recorder, d: Daemon, generation: number): Promise<void> {
  await d.service.start();
  d.reconciler.setDesired({ generation: generation + 1, resources: [] });
  const mark = rec.calls.length;
  const [ms] = await timed(() => d.reconciler.trigger('bench-teardown'));
  await d.reconciler.stop();
  const s = d.reconciler.state;
  const ok = s.appliedGeneration === generation + 1;
  r.spawns.teardown = rec.breakdown(mark);
  Object.assign(r.figures, {
    teardown_ms: ms,
    teardown_ok: ok,
    teardown_kernel_writes: s.kernel.writes,
    teardown_frr_commands: s.reload.commands,
  });
  r.rows.push({
    figure: 'teardown reconcile (remove all)',
    ms,
    spawns: rec.calls.length - mark,
    notes: ok ? `${s.kernel.writes} kernel writes, ${s.reload.commands} FRR commands` : `FAILED: ${s.lastError}`,
  });
  if (!ok) r.warnings.push(`the teardown reconcile failed: ${s.lastError}`);
}

async function measure(args: Args): Promise<number> {
  const { vnis: n, reps, stateDir } = args;
  if (!stateDir) throw new Error('--state-dir is required for the inner run');
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn', pino.destination({ dest: 2, sync: true }));
  const rec = new Recorder();
  const compose = () => composeDaemon({ node: NODE, stateDir, frrPathspace: NS, runner: rec.runner }, log);
  const r: Report = {
    rows: [],
    figures: { vnis: n, reps, cores: cpus().length },
    spawns: {},
    problems: [],
    warnings: [],
  };
  const yaml = fabricYaml(n);

  const rendered = await benchPure(r, yaml, n, reps);
  await benchKernel(r, rec, rendered.devices, reps);
  await startFrr(r);
  const d = compose();
  const generation = await benchFirstReconcile(r, rec, d, yaml, n);
  // 4. no-op reconcile: the same desired set again; nothing may be written.
  await benchNoop(r, rec, 'noop_reconcile', 'no-op reconcile', reps, async () => {
    const before = { ...d.reconciler.state.counters };
    const [ms] = await timed(() => d.reconciler.trigger('bench'));
    return { ms, counts: noopCounts(d.reconciler.state, before) };
  });
  await d.reconciler.stop();
  // 5. daemon restart: a fresh composition over the same state dir, one reconcile.
  const loadMs: number[] = [];
  await benchNoop(r, rec, 'restart_noop', 'restart: first reconcile (no-op)', reps, async () => {
    const fresh = compose();
    const [load] = await timed(() => fresh.service.start());
    const before = { ...fresh.reconciler.state.counters };
    const [ms] = await timed(() => fresh.reconciler.trigger('startup'));
    await fresh.reconciler.stop();
    loadMs.push(load);
    const counts = noopCounts(fresh.reconciler.state, before);
    if (fresh.reconciler.state.appliedGeneration !== generation)
      counts.lastError ??= `applied generation ${fresh.reconciler.state.appliedGeneration}, expected ${generation}`;
    return { ms, counts };
  });
  r.figures.restart_load_ms = median(loadMs);
  r.rows.splice(r.rows.length - 1, 0, { figure: 'restart: load stored generation', ms: median(loadMs), spawns: 0 });
  if (args.teardown) await benchTeardown(r, rec, compose(), generation);

  printReport(n, reps, r.rows, r.spawns);
  console.log(JSON.stringify({ ...r.figures, spawns: r.spawns }));
  for (const w of r.warnings) console.error(`bench: warning: ${w}`);
  for (const p of r.problems) console.error(`bench: ${p}`);
  return r.problems.length > 0 ? 1 : 0;
}

function printReport(n: number, reps: number, rows: Row[], spawns: Record<string, unknown>): void {
  const w = Math.max(...rows.map((r) => r.figure.length));
  console.log(
    `routerd-evpn bench: ${n} L2VNIs on one node, ${cpus().length} cores, median of ${reps} (validate/render: ${Math.max(reps, 5)})`,
  );
  console.log(`${'figure'.padEnd(w)}  ${'ms'.padStart(9)}  ${'spawns'.padStart(6)}  notes`);
  for (const r of rows)
    console.log(
      `${r.figure.padEnd(w)}  ${String(r.ms).padStart(9)}  ${(r.spawns === undefined ? '' : String(r.spawns)).padStart(6)}  ${r.notes ?? ''}`.trimEnd(),
    );
  console.log('processes spawned (last repetition): count, total ms');
  for (const [step, b] of Object.entries(spawns)) {
    const parts = Object.entries(b as Record<string, { count: number; ms: number }>).map(
      ([k, v]) => `${k} x${v.count} ${v.ms}ms`,
    );
    console.log(`  ${step.padEnd(16)} ${parts.join(', ')}`);
  }
}

// ---- the scratch world (runs outside the namespace) ---------------------

// Idempotent teardown of exactly what this run created, in reverse order.
// FRR is started by the measuring process; its pid files name the daemons.
function makeCleanup(world: { namespace: boolean; frrDirs: boolean; stateDir?: string }): () => Promise<void> {
  let done: Promise<void> | undefined;
  const steps = async () => {
    const pids = world.frrDirs ? await frrPidFilePids(NS) : [];
    await stopProcesses(pids.map((pid) => ({ pid, node: NODE, role: 'frr', namespace: NS })));
    if (world.namespace) await deleteNamespaces(run, [NS]);
    if (world.frrDirs) await removeFrrDirs(NS);
    if (world.stateDir) await rm(world.stateDir, { recursive: true, force: true });
  };
  return () => (done ??= steps().catch((err: Error) => console.error(`bench: cleanup: ${err.message}`)));
}

async function outer(args: Args): Promise<number> {
  if ((await listNamespaces(run)).has(NS))
    throw new Error(
      `namespace ${NS} already exists; if it is a leftover of an earlier bench, remove it with: ip netns del ${NS}`,
    );
  const world: Parameters<typeof makeCleanup>[0] = { namespace: false, frrDirs: false };
  const cleanup = makeCleanup(world);
  // process.on, not once: execa's signal-exit re-raises a signal nobody else still listens to.
  const onSignal = (sig: NodeJS.Signals, code: number) =>
    process.on(sig, () => void cleanup().finally(() => process.exit(code)));
  onSignal('SIGINT', 130);
  onSignal('SIGTERM', 143);
  try {
    await runChecked(run, 'ip', ['netns', 'add', NS]);
    world.namespace = true;
    await ipBatch(run, NS, [
      'link set lo up',
      'link add vtep0 type veth peer name vtep0-peer',
      'link set vtep0-peer up',
      `addr add ${VTEP}/32 dev vtep0`,
      'link set vtep0 up',
    ]);
    world.frrDirs = true;
    await prepareFrrDirs(run, NS, NODE);
    world.stateDir = await mkdtemp(join(tmpdir(), 'routerd-evpn-bench-'));
    const self = fileURLToPath(import.meta.url);
    const argv = [
      'netns',
      'exec',
      NS,
      process.execPath,
      ...process.execArgv,
      self,
      '--inner',
      '--vnis',
      String(args.vnis),
      '--reps',
      String(args.reps),
      ...(args.teardown ? ['--teardown'] : []),
      '--state-dir',
      world.stateDir,
    ];
    const result = await runInherit('ip', argv);
    return result.exitCode;
  } finally {
    await cleanup();
  }
}

const args = parseCli();
(args.inner ? measure(args) : outer(args)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`bench: ${err.message}`);
    process.exit(2);
  },
);
