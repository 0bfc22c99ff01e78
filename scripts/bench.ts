// npm run bench [-- --vnis N --reps R --frr 8.4|10.3 --vxlan-device perVni|single
//                  --no-floor --teardown]: how long routerd-evpn takes for N L2VNIs
// on one node, against the real kernel and a real FRR instance (the host's
// 8.4, or 10.3 chrooted into its Debian trixie root) in a scratch namespace
// (bench-evpn). Prints figures and ratios, one table row (`bench-row:`) to put
// runs side by side, never asserts on time. Exit codes: 0 ok (also FRR 8.4
// with `single` refused as expected, FRRTooOld), 1 a no-op reconcile wrote
// something, 2 the bench itself failed (setup, a reconcile that should have
// succeeded did not, or this kernel cannot run `single`: then it prints the
// command that runs it in the lab VM).
//
// The outer process (bench-world.ts) owns the scratch world (namespace, FRR
// dirs, state dir) and always removes it; the measuring part re-runs this file
// under `ip netns exec bench-evpn`, so every ip/bridge/vtysh/frr-reload the
// daemon code spawns runs in the namespace exactly as it would in production.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { FRR_RELEASES, type FrrInstall, type FrrRelease, installOf } from '../lab/frr-release.ts';
import { labTimeout } from '../lab/timeouts.ts';
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
import { startFrrInstance, waitForFrrVnis } from './bench-frr.ts';
import { type Report, report, substrate } from './bench-report.ts';
import { type Args, NODE, NS, outer, PEER_VTEP, VNI_BASE, VTEP, type VxlanDeviceMode } from './bench-world.ts';

// The daemon as it is deployed: the compiled dist/ (`npm run build`), so its validator
// worker runs plain JavaScript; the rest of this script runs from the sources.
const composeJs = new URL('../dist/daemon/compose.js', import.meta.url);
if (!existsSync(composeJs)) {
  console.error(`bench: ${fileURLToPath(composeJs)} is missing: run \`npm run build\` first (\`npm run bench\` does)`);
  process.exit(2);
}
const { composeDaemon } = (await import(composeJs.href)) as typeof import('../src/daemon/compose.ts');

function parseCli(): Args {
  const { values } = parseArgs({
    options: {
      vnis: { type: 'string' },
      reps: { type: 'string' },
      frr: { type: 'string' },
      'vxlan-device': { type: 'string' },
      'no-floor': { type: 'boolean' },
      teardown: { type: 'boolean' },
      inner: { type: 'boolean' },
      'state-dir': { type: 'string' },
    },
  });
  const vnis = Number(values.vnis ?? 1000);
  const reps = Number(values.reps ?? 3);
  const frr = values.frr ?? '8.4';
  const device = values['vxlan-device'] ?? 'perVni';
  if (!Number.isInteger(vnis) || vnis < 1 || vnis > 99_999)
    throw new Error(`--vnis ${values.vnis} must be an integer in 1..99999`);
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps ${values.reps} must be a positive integer`);
  if (!(FRR_RELEASES as readonly string[]).includes(frr))
    throw new Error(`--frr ${frr}: this bench has FRR ${FRR_RELEASES.join(' and ')}`);
  if (device !== 'perVni' && device !== 'single') throw new Error(`--vxlan-device ${device} must be perVni or single`);
  if (device === 'single' && vnis > 4094)
    throw new Error(`--vnis ${vnis}: the single VXLAN device has one VLAN per network, at most 4094`);
  return {
    vnis,
    reps,
    frr: frr as FrrRelease,
    device,
    floor: !values['no-floor'],
    teardown: values.teardown ?? false,
    inner: values.inner ?? false,
    ...(values['state-dir'] ? { stateDir: values['state-dir'] } : {}),
  };
}

// One fabric (this node + an absent peer) and N L2VNIs, all on this node.
// With `single` the VLAN of each network is derived from its VNI (distinct for N <= 4094).
function fabricYaml(n: number, device: VxlanDeviceMode): string {
  const mode = device === 'single' ? '  vxlanDevice: single\n' : '';
  const fabric = `apiVersion: evpn.routerd.net/v1alpha1\nkind: EVPNFabric\nmetadata: {name: bench}\nspec:\n  asn: 65000\n${mode}  nodes:\n    - {name: ${NODE}, vtepAddress: ${VTEP}}\n    - {name: peer, vtepAddress: ${PEER_VTEP}}\n`;
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

// A chrooted FRR's commands read `chroot ROOT vtysh ...`: labelled as `vtysh`.
function label(c: CommandResult): string {
  if (c.command.includes('frr-reload.py'))
    return c.command.includes('--test') ? 'frr-reload --test' : 'frr-reload --reload';
  const words = c.command.split(' ');
  const [file, ...args] = words[0] === 'chroot' ? words.slice(2) : words;
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
    timeoutMs: labTimeout(300_000),
  });
  await runChecked(run, 'ip', ['link', 'del', 'group', String(CLEANUP_GROUP)], { timeoutMs: labTimeout(1_800_000) });
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
// --no-floor skips the floor (one bulk delete per repetition less).
async function benchKernel(r: Report, rec: Recorder, plan: DevicePlan, reps: number, floor: boolean): Promise<void> {
  const kernel = new Kernel(rec.runner);
  const names = new Set(plan.devices.map((d) => d.name));
  const applyMs: number[] = [];
  const ipMs: number[] = [];
  const bridgeMs: number[] = [];
  let changes: KernelChanges | undefined;
  let spawned = 0;
  let deleteMs = 0; // the bulk deletes between steps: most of the wall time at large N
  const remove = async () => {
    deleteMs += (await timed(() => removeDevices(names)))[0];
  };
  for (let i = 0; i < reps; i++) {
    await remove();
    const mark = rec.calls.length;
    const [ams, k] = await timed(() => applyKernel(kernel, plan, []));
    spawned = rec.calls.length - mark;
    r.spawns.kernel_apply = rec.breakdown(mark);
    changes = k.changes;
    applyMs.push(ams);
    if (!floor) continue;
    await remove();
    const [ims] = await timed(() =>
      runChecked(run, 'ip', ['-batch', '-'], {
        input: `${k.changes.ipBatch.join('\n')}\n`,
        timeoutMs: labTimeout(300_000),
      }),
    );
    const [bms] = await timed(() =>
      runChecked(run, 'bridge', ['-batch', '-'], {
        input: `${k.changes.bridgeBatch.join('\n')}\n`,
        timeoutMs: labTimeout(300_000),
      }),
    );
    ipMs.push(ims);
    bridgeMs.push(bms);
  }
  await remove();
  const apply = median(applyMs);
  r.figures.kernel_apply_ms = apply;
  r.figures.kernel_step_deletes_ms = round(deleteMs);
  r.rows.push({
    figure: 'first kernel apply (applyKernel)',
    ms: apply,
    spawns: spawned,
    notes: `${changes?.ipBatch.length ?? 0} ip + ${changes?.bridgeBatch.length ?? 0} bridge lines; bulk deletes between steps ${round(deleteMs)} ms in all`,
  });
  if (!floor) return;
  const ip = median(ipMs);
  const bridge = median(bridgeMs);
  const vsIp = ratio(apply, ip);
  const vsBoth = ratio(apply, ip + bridge);
  Object.assign(r.figures, {
    ip_batch_floor_ms: ip,
    bridge_batch_floor_ms: bridge,
    kernel_apply_vs_ip_floor: vsIp,
    kernel_apply_vs_ip_bridge_floor: vsBoth,
  });
  r.rows.push({ figure: '  floor: raw ip -batch, same lines', ms: ip, spawns: 1 });
  r.rows.push({ figure: '  floor: raw bridge -batch, same lines', ms: bridge, spawns: 1 });
  r.rows.push({ figure: '  ratio apply / ip floor', ms: `${vsIp}x`, notes: `${vsBoth}x of ip+bridge floor` });
}

// FRR in this namespace (8.4: zebra, bgpd, staticd; 10.3 chrooted: mgmtd first);
// the outer process stops it by pid file.
async function startFrr(r: Report, install: FrrInstall): Promise<void> {
  const [ms, daemons] = await timed(() => startFrrInstance(NS, install));
  r.figures.frr_start_ms = ms;
  r.rows.push({
    figure: `start FRR ${install.release} (${daemons.join(', ')}; vtysh answers)`,
    ms,
    notes: 'setup, not a daemon figure',
  });
}

type Daemon = ReturnType<typeof composeDaemon>;

// 3. first full reconcile through the composed daemon (store + kernel + FRR test/reload),
// then how long until zebra, and until bgpd, know every VNI.
async function benchFirstReconcile(
  r: Report,
  rec: Recorder,
  d: Daemon,
  install: FrrInstall,
  yaml: string,
  n: number,
): Promise<number> {
  await d.service.start();
  const mark = rec.calls.length;
  const [ms, outcome] = await timed(() => d.service.apply(yaml, {}));
  const returned = performance.now();
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
  const v = await waitForFrrVnis(NS, install, n, returned);
  const drops = await rtnetlinkDrops();
  Object.assign(r.figures, {
    frr_settle_ms: v.ms, // until both listed all N (or polling gave up)
    zebra_all_vnis_ms: v.zebraAllMs ?? null,
    bgpd_all_vnis_ms: v.bgpdAllMs ?? null,
    frr_zebra_l2vnis: v.zebra,
    frr_bgpd_l2vnis: v.bgpd,
    frr_poll_max_call_ms: v.maxCallMs,
    rtnetlink_drops: drops,
  });
  const poll = `${v.polls} polls, slowest ${v.maxCallMs} ms`;
  r.rows.push({
    figure: '  then until zebra lists all VNIs',
    ms: v.zebraAllMs ?? 'never',
    notes: `show evpn vni json: ${v.zebra} of ${n} L2VNIs; ${poll}`,
  });
  r.rows.push({
    figure: '  then until bgpd lists all VNIs',
    ms: v.bgpdAllMs ?? 'never',
    notes: `show bgp l2vpn evpn vni json: ${v.bgpd} of ${n}; ${drops} rtnetlink messages dropped`,
  });
  if (v.zebraAllMs === undefined || v.bgpdAllMs === undefined)
    r.warnings.push(
      `FRR did not take in all ${n} L2VNIs after the first reconcile (zebra ${v.zebra}, bgpd ${v.bgpd} after ${v.ms} ms; counts stopped moving); the kernel dropped ${drops} rtnetlink messages to zebra's socket`,
    );
  return outcome.generation;
}

// FRR 8.4 with the single VXLAN device: the daemon must refuse before it
// touches anything (pre-flight FRRTooOld). Anything else fails the bench.
async function benchRefusal(r: Report, rec: Recorder, d: Daemon, yaml: string): Promise<void> {
  await d.service.start();
  const mark = rec.calls.length;
  const [ms, outcome] = await timed(() => d.service.apply(yaml, {}));
  const s = d.reconciler.state;
  const reason = s.preflight?.result === 'Refused' ? s.preflight.reason : undefined;
  r.figures.first_reconcile_ms = ms;
  r.figures.refused = reason ?? null;
  r.rows.push({
    figure: 'first reconcile (apply), expected refusal',
    ms,
    spawns: rec.calls.length - mark,
    notes: `phase ${outcome.phase}, pre-flight ${s.preflight?.result ?? 'none'} ${reason ?? ''}; ${s.counters.kernelWrites} kernel writes, ${s.counters.frrCommands} FRR commands`,
  });
  if (outcome.phase === 'Applied' || reason !== 'FRRTooOld' || s.counters.kernelWrites + s.counters.frrCommands > 0)
    throw new Error(
      `FRR ${r.figures.frr_version} with vxlanDevice: single was not refused as FRRTooOld before anything was written: phase ${outcome.phase}, pre-flight ${JSON.stringify(s.preflight)}, ${s.counters.kernelWrites} kernel writes, ${s.counters.frrCommands} FRR commands`,
    );
  console.log(
    `bench: FRR ${r.figures.frr_version} with vxlanDevice: single was refused as expected (FRRTooOld): ${s.preflight?.message}`,
  );
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
  const install = installOf(args.frr);
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn', pino.destination({ dest: 2, sync: true }));
  const rec = new Recorder();
  const compose = () =>
    composeDaemon(
      {
        node: NODE,
        stateDir,
        frrPathspace: NS,
        runner: rec.runner,
        ...(install.root ? { frrRoot: install.root } : {}),
      },
      log,
    );
  const r: Report = {
    rows: [],
    figures: {
      vnis: n,
      reps,
      cores: cpus().length,
      substrate: substrate(),
      frr: args.frr,
      vxlan_device: args.device,
    },
    spawns: {},
    problems: [],
    warnings: [],
  };
  const yaml = fabricYaml(n, args.device);
  // Refused before the kernel is touched, so the kernel step (which needs
  // VLAN-aware bridges for `single`) is not measured either.
  const expectRefusal = args.device === 'single' && args.frr === '8.4';

  const rendered = await benchPure(r, yaml, n, reps);
  if (!expectRefusal) await benchKernel(r, rec, rendered.devices, reps, args.floor);
  await startFrr(r, install);
  const d = compose();
  r.figures.frr_version = (await d.frr.version())?.text ?? 'unknown';
  if (expectRefusal) {
    await benchRefusal(r, rec, d, yaml);
    await d.reconciler.stop();
    return report(args, r);
  }
  const generation = await benchFirstReconcile(r, rec, d, install, yaml, n);
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
  return report(args, r);
}

let args: Args;
try {
  args = parseCli();
} catch (err) {
  console.error(`bench: ${(err as Error).message}`);
  process.exit(2);
}
(args.inner ? measure(args) : outer(args, fileURLToPath(import.meta.url))).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`bench: ${err.message}`);
    process.exit(2);
  },
);
