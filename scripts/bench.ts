// npm run bench [-- --vnis N --reps R]: how long routerd-evpn takes for N
// L2VNIs on one node, against the real kernel and a real FRR instance in a
// scratch namespace (bench-evpn). Prints figures and ratios, never asserts on
// time; exits non-zero only when a no-op reconcile wrote something.
//
// The outer process owns the scratch world (namespace, FRR, state dir) and
// always removes it; the measuring part re-runs this file under
// `ip netns exec bench-evpn`, so every ip/bridge/vtysh/frr-reload the daemon
// code spawns runs in the namespace exactly as it would in production.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { frrPidFilePids, prepareFrrDirs, removeFrrDirs, startFrrDaemon, waitForVtysh } from '../lab/frr-instance.ts';
import { deleteNamespaces, ipBatch, listNamespaces } from '../lab/netns.ts';
import { stopProcesses } from '../lab/processes.ts';
import { sleep } from '../lab/wait.ts';
import { run, runChecked, runInherit, type CommandResult, type Runner } from '../src/apply/exec.ts';
import { applyKernel } from '../src/apply/kernel-apply.ts';
import { Kernel } from '../src/apply/kernel.ts';
import type { ReconcileState } from '../src/apply/reconcile-state.ts';
import { composeDaemon } from '../src/daemon/compose.ts';
import { createLogger } from '../src/daemon/logger.ts';
import { loadTemplates } from '../src/render/frr.ts';
import { renderNode } from '../src/render/node-render.ts';
import { loadYaml } from '../src/resources/load.ts';
import { validateResources } from '../src/resources/validate.ts';

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
  const { values } = parseArgs({ options: { vnis: { type: 'string' }, reps: { type: 'string' }, teardown: { type: 'boolean' }, inner: { type: 'boolean' }, 'state-dir': { type: 'string' } } });
  const vnis = Number(values.vnis ?? 1000);
  const reps = Number(values.reps ?? 3);
  if (!Number.isInteger(vnis) || vnis < 1 || vnis > 99_999) throw new Error(`--vnis ${values.vnis} must be an integer in 1..99999`);
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps ${values.reps} must be a positive integer`);
  return { vnis, reps, teardown: values.teardown ?? false, inner: values.inner ?? false, ...(values['state-dir'] ? { stateDir: values['state-dir'] } : {}) };
}

// One fabric (this node + an absent peer) and N L2VNIs, all on this node.
function fabricYaml(n: number): string {
  const fabric = `apiVersion: evpn.routerd.net/v1alpha1\nkind: EVPNFabric\nmetadata: {name: bench}\nspec:\n  asn: 65000\n  nodes:\n    - {name: ${NODE}, vtepAddress: ${VTEP}}\n    - {name: peer, vtepAddress: ${PEER_VTEP}}\n`;
  const nets = Array.from({ length: n }, (_, i) => `apiVersion: evpn.routerd.net/v1alpha1\nkind: EVPNNetwork\nmetadata: {name: net${i + 1}}\nspec: {vni: ${VNI_BASE + i + 1}, bridge: b${i + 1}, nodes: [${NODE}]}\n`);
  return [fabric, ...nets].join('---\n');
}

// ---- timing and process accounting -------------------------------------

const round = (x: number) => Math.round(x * 10) / 10;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return round(s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2);
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [round(performance.now() - start), value];
}

function label(c: CommandResult): string {
  if (c.command.includes('frr-reload.py')) return c.command.includes('--test') ? 'frr-reload --test' : 'frr-reload --reload';
  const [file, ...args] = c.command.split(' ');
  if (args.includes('-batch')) return `${file} -batch`;
  if (args[0] === '-j') return c.command;
  return file!;
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
      const entry = (out[label(c)] ??= { count: 0, ms: 0 });
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

interface NoopCounts {
  kernelWrites: number;
  frrCommands: number;
  reloads: number;
  failures: number;
  lastError?: string;
}

function noopCounts(s: ReconcileState, before: ReconcileState['counters']): NoopCounts {
  return {
    kernelWrites: s.kernel.writes + (s.counters.kernelWrites - before.kernelWrites),
    frrCommands: s.reload.commands + (s.counters.frrCommands - before.frrCommands),
    reloads: s.counters.reloads - before.reloads,
    failures: s.counters.failures,
    ...(s.lastError ? { lastError: s.lastError } : {}),
  };
}

const isNoop = (c: NoopCounts) => c.kernelWrites === 0 && c.frrCommands === 0 && c.reloads === 0 && c.failures === 0 && !c.lastError;

// Between repetitions only, before FRR runs. One `link del` per device costs
// the kernel ~25 ms; tagging the devices with a group and deleting the group is
// ~2.5x faster (but floods zebra, which is why FRR starts after this step).
const CLEANUP_GROUP = 4242;

async function removeDevices(names: Set<string>): Promise<void> {
  const kernel = new Kernel(run);
  const present = (await kernel.readLinks()).filter((l) => names.has(l.name));
  if (present.length === 0) return;
  await runChecked(run, 'ip', ['-batch', '-'], { input: `${present.map((l) => `link set dev ${l.name} group ${CLEANUP_GROUP}`).join('\n')}\n` });
  await runChecked(run, 'ip', ['link', 'del', 'group', String(CLEANUP_GROUP)], { timeoutMs: 600_000 });
}

// Why: zebra and bgpd digest netlink events after a batch has returned; a step
// measured while they still work would be charged with their work.
async function settle(what: string, commands: string[], done: (out: string) => boolean, timeoutMs = 300_000): Promise<number> {
  const start = performance.now();
  let last = '';
  while (performance.now() - start < timeoutMs) {
    const r = await run('vtysh', ['-N', NS, ...commands.flatMap((c) => ['-c', c])], { timeoutMs: 60_000 });
    if (r.exitCode === 0 && done(r.stdout)) return round(performance.now() - start);
    last = (r.stderr || r.stdout).trim().split('\n').slice(0, 3).join(' | ');
    await sleep(250);
  }
  throw new Error(`FRR did not settle (${what}) within ${timeoutMs} ms: ${last}`);
}

function frrHasVnis(n: number): Promise<number> {
  const count = (out: string, re: RegExp) => Number(re.exec(out)?.[1] ?? -1);
  return settle(`zebra and bgpd know ${n} L2VNIs`, ['show evpn', 'show bgp l2vpn evpn vni'], (out) => count(out, /^L2 VNIs: (\d+)/m) === n && count(out, /^Number of L2 VNIs: (\d+)/m) === n);
}

async function measure(args: Args): Promise<number> {
  const { vnis: n, reps } = args;
  const stateDir = args.stateDir!;
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn', pino.destination({ dest: 2, sync: true }));
  const rec = new Recorder();
  const templates = loadTemplates();
  const yaml = fabricYaml(n);
  const rows: Row[] = [];
  const figures: Record<string, unknown> = { vnis: n, reps, cores: cpus().length };
  const spawns: Record<string, unknown> = {};
  const problems: string[] = [];

  // 1. validate + render: pure and in-process.
  const parseMs: number[] = [];
  const validateMs: number[] = [];
  const renderMs: number[] = [];
  let rendered!: ReturnType<typeof renderNode>;
  for (let i = 0; i < Math.max(reps, 5); i++) {
    const [pms, loaded] = await timed(() => loadYaml(yaml));
    const [vms, v] = await timed(() => validateResources(loaded.resources));
    const issues = [...loaded.issues, ...v.issues];
    if (issues.length > 0) throw new Error(`the generated fabric does not validate: ${issues.slice(0, 3).map((x) => `${x.resource} ${x.path}: ${x.message}`).join('; ')}`);
    const [rms, r] = await timed(() => renderNode(v.resources, NODE, templates));
    parseMs.push(pms), validateMs.push(vms), renderMs.push(rms), (rendered = r);
  }
  figures.parse_yaml_ms = median(parseMs);
  figures.validate_ms = median(validateMs);
  figures.render_ms = median(renderMs);
  figures.frr_config_lines = rendered.frr.split('\n').length;
  figures.devices = rendered.devices.devices.length;
  rows.push({ figure: 'parse YAML', ms: figures.parse_yaml_ms as number, spawns: 0, notes: `${yaml.length} bytes, ${n + 1} documents` });
  rows.push({ figure: 'validate (shape, rules)', ms: figures.validate_ms as number, spawns: 0 });
  rows.push({ figure: 'render (intent, FRR text, device plan)', ms: figures.render_ms as number, spawns: 0, notes: `${figures.devices} devices, ${figures.frr_config_lines} FRR lines` });

  // 2. first kernel apply vs the raw `ip -batch` floor, each from a clean state,
  // before FRR starts: zebra would compete for the CPU and lose track of a bulk delete.
  const kernel = new Kernel(rec.runner);
  const names = new Set(rendered.devices.devices.map((d) => d.name));
  const applyMs: number[] = [];
  const ipMs: number[] = [];
  const bridgeMs: number[] = [];
  let ipLines: string[] = [];
  let bridgeLines: string[] = [];
  let applySpawns = 0;
  for (let i = 0; i < reps; i++) {
    await removeDevices(names);
    const mark = rec.calls.length;
    const [ams, k] = await timed(() => applyKernel(kernel, rendered.devices, []));
    applySpawns = rec.calls.length - mark;
    spawns.kernel_apply = rec.breakdown(mark);
    ipLines = k.changes.ipBatch;
    bridgeLines = k.changes.bridgeBatch;
    applyMs.push(ams);
    await removeDevices(names);
    const [ims] = await timed(() => runChecked(run, 'ip', ['-batch', '-'], { input: `${ipLines.join('\n')}\n`, timeoutMs: 300_000 }));
    const [bms] = await timed(() => runChecked(run, 'bridge', ['-batch', '-'], { input: `${bridgeLines.join('\n')}\n`, timeoutMs: 300_000 }));
    ipMs.push(ims), bridgeMs.push(bms);
  }
  await removeDevices(names);
  figures.kernel_apply_ms = median(applyMs);
  figures.ip_batch_floor_ms = median(ipMs);
  figures.bridge_batch_floor_ms = median(bridgeMs);
  figures.kernel_apply_vs_ip_floor = ratio(figures.kernel_apply_ms as number, figures.ip_batch_floor_ms as number);
  figures.kernel_apply_vs_ip_bridge_floor = ratio(figures.kernel_apply_ms as number, (figures.ip_batch_floor_ms as number) + (figures.bridge_batch_floor_ms as number));
  rows.push({ figure: 'first kernel apply (applyKernel)', ms: figures.kernel_apply_ms as number, spawns: applySpawns, notes: `${ipLines.length} ip + ${bridgeLines.length} bridge lines` });
  rows.push({ figure: '  floor: raw ip -batch, same lines', ms: figures.ip_batch_floor_ms as number, spawns: 1 });
  rows.push({ figure: '  floor: raw bridge -batch, same lines', ms: figures.bridge_batch_floor_ms as number, spawns: 1 });
  rows.push({ figure: '  ratio apply / ip floor', ms: `${figures.kernel_apply_vs_ip_floor}x`, notes: `${figures.kernel_apply_vs_ip_bridge_floor}x of ip+bridge floor` });

  // FRR (zebra + bgpd with -N bench-evpn) in this namespace; the outer process stops it by pid file.
  const [frrStartMs] = await timed(async () => {
    for (const daemon of ['zebra', 'bgpd'] as const) await startFrrDaemon(run, NS, daemon);
    await waitForVtysh(run, NS);
  });
  figures.frr_start_ms = frrStartMs;
  rows.push({ figure: 'start FRR (zebra, bgpd; vtysh answers)', ms: frrStartMs, notes: 'setup, not a daemon figure' });

  // 3. first full reconcile through the composed daemon (kernel + FRR test/reload).
  const compose = () => composeDaemon({ node: NODE, stateDir, frrPathspace: NS, runner: rec.runner }, log);
  const d = compose();
  await d.controller.start();
  let mark = rec.calls.length;
  const [firstMs, outcome] = await timed(() => d.controller.apply(yaml, {}));
  const s = d.reconciler.state;
  if (outcome.phase !== 'Applied') throw new Error(`first reconcile ended ${outcome.phase}: ${s.lastError ?? outcome.warnings.join('; ')}`);
  spawns.first_reconcile = rec.breakdown(mark);
  Object.assign(figures, { first_reconcile_ms: firstMs, first_reconcile_loop_ms: s.lastDurationMs, first_reconcile_kernel_writes: s.kernel.writes, first_reconcile_frr_commands: s.reload.commands });
  rows.push({ figure: 'first reconcile (apply: store + kernel + FRR)', ms: firstMs, spawns: rec.calls.length - mark, notes: `loop ${s.lastDurationMs} ms; ${s.kernel.writes} kernel writes, ${s.reload.commands} FRR commands` });
  figures.frr_settle_ms = await frrHasVnis(n);
  rows.push({ figure: '  then until zebra+bgpd have all VNIs', ms: figures.frr_settle_ms as number, notes: 'polled with vtysh every 250 ms' });

  // 4. no-op reconcile: same desired set again; nothing may be written.
  const noopMs: number[] = [];
  let noop: NoopCounts | undefined;
  let noopSpawns = 0;
  for (let i = 0; i < reps; i++) {
    const before = { ...s.counters };
    mark = rec.calls.length;
    const [ms] = await timed(() => d.reconciler.trigger('bench'));
    noopMs.push(ms), (noopSpawns = rec.calls.length - mark), (spawns.noop_reconcile = rec.breakdown(mark));
    const counts = noopCounts(s, before);
    if (!noop || !isNoop(counts)) noop = counts;
  }
  await d.reconciler.stop();
  Object.assign(figures, { noop_reconcile_ms: median(noopMs), noop_kernel_writes: noop!.kernelWrites, noop_frr_commands: noop!.frrCommands, noop_reloads: noop!.reloads });
  if (!isNoop(noop!)) problems.push(`no-op reconcile was not a no-op: ${JSON.stringify(noop)}`);
  rows.push({ figure: 'no-op reconcile', ms: figures.noop_reconcile_ms as number, spawns: noopSpawns, notes: `${noop!.kernelWrites} kernel writes, ${noop!.frrCommands} FRR commands, ${noop!.reloads} reloads` });

  // 5. daemon restart: a fresh composition over the same state dir, one reconcile.
  const restartMs: number[] = [];
  const startMs: number[] = [];
  let restart: NoopCounts | undefined;
  let restartSpawns = 0;
  for (let i = 0; i < reps; i++) {
    const fresh = compose();
    const [sms] = await timed(() => fresh.controller.start());
    const before = { ...fresh.reconciler.state.counters };
    mark = rec.calls.length;
    const [ms] = await timed(() => fresh.reconciler.trigger('startup'));
    await fresh.reconciler.stop();
    startMs.push(sms), restartMs.push(ms), (restartSpawns = rec.calls.length - mark), (spawns.restart_noop = rec.breakdown(mark));
    const fs = fresh.reconciler.state;
    const counts = noopCounts(fs, before);
    if (fs.appliedGeneration !== outcome.generation) counts.lastError ??= `restart applied generation ${fs.appliedGeneration}, expected ${outcome.generation}`;
    if (!restart || !isNoop(counts)) restart = counts;
  }
  Object.assign(figures, { restart_load_ms: median(startMs), restart_noop_ms: median(restartMs), restart_kernel_writes: restart!.kernelWrites, restart_frr_commands: restart!.frrCommands, restart_reloads: restart!.reloads });
  if (!isNoop(restart!)) problems.push(`restart no-op was not a no-op: ${JSON.stringify(restart)}`);
  rows.push({ figure: 'restart: load stored generation', ms: figures.restart_load_ms as number, spawns: 0 });
  rows.push({ figure: 'restart: first reconcile (no-op)', ms: figures.restart_noop_ms as number, spawns: restartSpawns, notes: `${restart!.kernelWrites} kernel writes, ${restart!.frrCommands} FRR commands, ${restart!.reloads} reloads` });

  // 6. (--teardown) remove every network in one reconcile: the daemon's own delete path.
  if (args.teardown) {
    const t = compose();
    await t.controller.start();
    t.reconciler.setDesired({ generation: outcome.generation + 1, resources: [] });
    mark = rec.calls.length;
    const [ms] = await timed(() => t.reconciler.trigger('bench-teardown'));
    await t.reconciler.stop();
    const ts = t.reconciler.state;
    const ok = ts.appliedGeneration === outcome.generation + 1;
    spawns.teardown = rec.breakdown(mark);
    Object.assign(figures, { teardown_ms: ms, teardown_ok: ok, teardown_kernel_writes: ts.kernel.writes, teardown_frr_commands: ts.reload.commands });
    rows.push({ figure: 'teardown reconcile (remove all)', ms, spawns: rec.calls.length - mark, notes: ok ? `${ts.kernel.writes} kernel writes, ${ts.reload.commands} FRR commands` : `FAILED: ${ts.lastError}` });
    if (!ok) console.error(`bench: warning: the teardown reconcile failed: ${ts.lastError}`);
  }

  printReport(n, reps, rows, spawns);
  console.log(JSON.stringify({ ...figures, spawns }));
  for (const p of problems) console.error(`bench: ${p}`);
  return problems.length > 0 ? 1 : 0;
}

function printReport(n: number, reps: number, rows: Row[], spawns: Record<string, unknown>): void {
  const w = Math.max(...rows.map((r) => r.figure.length));
  console.log(`routerd-evpn bench: ${n} L2VNIs on one node, ${cpus().length} cores, median of ${reps} (validate/render: ${Math.max(reps, 5)})`);
  console.log(`${'figure'.padEnd(w)}  ${'ms'.padStart(9)}  ${'spawns'.padStart(6)}  notes`);
  for (const r of rows) console.log(`${r.figure.padEnd(w)}  ${String(r.ms).padStart(9)}  ${(r.spawns === undefined ? '' : String(r.spawns)).padStart(6)}  ${r.notes ?? ''}`.trimEnd());
  console.log('processes spawned (last repetition): count, total ms');
  for (const [step, b] of Object.entries(spawns)) {
    const parts = Object.entries(b as Record<string, { count: number; ms: number }>).map(([k, v]) => `${k} x${v.count} ${v.ms}ms`);
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
  if ((await listNamespaces(run)).has(NS)) throw new Error(`namespace ${NS} already exists; if it is a leftover of an earlier bench, remove it with: ip netns del ${NS}`);
  const world: Parameters<typeof makeCleanup>[0] = { namespace: false, frrDirs: false };
  const cleanup = makeCleanup(world);
  const onSignal = (sig: NodeJS.Signals, code: number) => process.once(sig, () => void cleanup().finally(() => process.exit(code)));
  onSignal('SIGINT', 130);
  onSignal('SIGTERM', 143);
  try {
    await runChecked(run, 'ip', ['netns', 'add', NS]);
    world.namespace = true;
    await ipBatch(run, NS, ['link set lo up', 'link add vtep0 type veth peer name vtep0-peer', 'link set vtep0-peer up', `addr add ${VTEP}/32 dev vtep0`, 'link set vtep0 up']);
    world.frrDirs = true;
    await prepareFrrDirs(run, NS, NODE);
    world.stateDir = await mkdtemp(join(tmpdir(), 'routerd-evpn-bench-'));
    const self = fileURLToPath(import.meta.url);
    const argv = ['netns', 'exec', NS, process.execPath, ...process.execArgv, self, '--inner', '--vnis', String(args.vnis), '--reps', String(args.reps), ...(args.teardown ? ['--teardown'] : []), '--state-dir', world.stateDir];
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
