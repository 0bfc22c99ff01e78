// One serialized, coalescing reconcile loop (p-queue, concurrency 1). Each run
// is level-based: render the desired set, diff and apply the kernel, then test
// and (only if something changed) reload FRR, then verify. Bad input is
// terminal; apply failures are retried with exponential backoff.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import PQueue from 'p-queue';
import type { Logger } from 'pino';
import { applyFrrConfig } from '../apply/frr-apply.ts';
import { applyKernel, KernelApplyError } from '../apply/kernel-apply.ts';
import { applySnat } from '../apply/snat-apply.ts';
import type { SecretReader } from '../render/frr-sessions.ts';
import { nftScript, snatRules } from '../render/nft-snat.ts';
import { type NodeRender, renderNode } from '../render/node-render.ts';
import type { TemplateSet } from '../render/template.ts';
import type { ValidationIssue } from '../resources/error-codes.ts';
import type { KnownResource } from '../resources/schema.ts';
import { atomicWrite, removeTornWrites } from '../store/atomic-write.ts';
import { sha256 } from '../store/generations.ts';
import { type Frr, FrrUnreachableError } from '../system/frr.ts';
import type { FrrVersion } from '../system/frr-version.ts';
import type { Kernel } from '../system/kernel.ts';
import { probeSingleVxlan, type SingleVxlanSupport } from '../system/kernel-probe.ts';
import type { Nft } from '../system/nft.ts';
import { readSecret, redactFrrText } from '../system/secrets.ts';
import type { Sysctl } from '../system/sysctl.ts';
import type { NodeIntent } from '../translate/intent.ts';
import { translate } from '../translate/translate.ts';
import { AttachedPortsFile } from './attached-ports.ts';
import { knobWants } from './forwarding.ts';
import { frrFileText } from './frr-file.ts';
import { frrRefusal, ipv6VtepRefusal, ipv6Vteps, type Refusal, singleVxlanRefusal } from './preflight.ts';
import { initialState, type ReconcileState } from './reconcile-state.ts';
import { RefusedBatch } from './refused-batch.ts';
import { secretIssues } from './secret-check.ts';
import { hostEgress } from './snat-egress.ts';

export interface ReconcilerDeps {
  node: string;
  kernel: Kernel;
  frr: Frr;
  templates: TemplateSet;
  stateDir: string;
  log: Logger;
  onApplied?: (generation: number, phase: string) => Promise<void>;
  maxBackoffMs?: number;
  frrBaseFile?: string; // operator-owned FRR lines (underlay routing, logging) kept in front of ours
  sysctl?: Sysctl; // IP forwarding for routed networks (absent: never touched)
  nft?: Nft; // SNAT on exit nodes (absent: never touched)
  refusedRetryMs?: number; // how long a batch the kernel refused is not sent again (default 10 min)
  readSecret?: SecretReader; // BGP passwords (default: files and environment, system/secrets.ts)
}

export interface Desired {
  generation: number;
  resources: KnownResource[];
  invalid?: string[]; // a stored generation that no longer validates: never applied
}

const now = () => new Date().toISOString();

export class Reconciler {
  readonly state: ReconcileState = initialState();
  private readonly queue = new PQueue({ concurrency: 1 });
  private readonly ports: AttachedPortsFile;
  private readonly refused: RefusedBatch;
  private queued: Promise<void> | undefined;
  private desired: Desired = { generation: 0, resources: [] };
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private singleSupport: SingleVxlanSupport | undefined; // probed once per daemon life
  private runVersion: FrrVersion | undefined; // FRR's version as this run's pre-flight read it

  constructor(private readonly deps: ReconcilerDeps) {
    this.ports = new AttachedPortsFile(deps.stateDir);
    this.refused = new RefusedBatch(deps.refusedRetryMs);
  }

  // Also removes temp files of writes a kill interrupted (frr.conf, the ports file).
  async loadPorts(): Promise<string[]> {
    const torn = await removeTornWrites(this.deps.stateDir);
    this.state.attachedPorts = await this.ports.read();
    return torn;
  }

  setDesired(desired: Desired): void {
    this.desired = desired;
  }

  getDesired(): Desired {
    return this.desired;
  }

  // Coalesces: any number of triggers while a run is queued share that run.
  trigger(reason: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.queued) return this.queued;
    let started = false; // p-queue may start the job before add() returns
    const run = this.queue.add(async () => {
      started = true;
      this.queued = undefined;
      await this.runOnce(reason);
    });
    if (!started) this.queued = run;
    return run;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.queue.onIdle();
  }

  render(resources: KnownResource[]): NodeRender {
    return renderNode(resources, this.deps.node, this.deps.templates, this.readSecret);
  }

  // The intent alone (no secrets read): what status compares against.
  intent(resources: KnownResource[]): NodeIntent | undefined {
    return translate(resources, this.deps.node);
  }

  // The BGP passwords of `resources` this node cannot read, as problems.
  // A set this node cannot translate has none: the reconcile run reports why.
  secretIssues(resources: KnownResource[]): ValidationIssue[] {
    let intent: NodeIntent | undefined;
    try {
      intent = this.intent(resources);
    } catch {
      return [];
    }
    return secretIssues(intent, this.readSecret);
  }

  private get readSecret(): SecretReader {
    return this.deps.readSecret ?? readSecret;
  }

  // Adapted to FRR's release: the one this run's pre-flight read, else asked
  // afresh (FRR may be upgraded under a running daemon); an FRR that does not
  // answer gets the file as rendered, and the step that follows reports why.
  async frrFile(rendered: NodeRender, known?: FrrVersion): Promise<string> {
    const version = known ?? (await this.deps.frr.version().catch(() => undefined));
    return frrFileText(rendered, this.deps.frrBaseFile, version);
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = Math.min(
      this.deps.maxBackoffMs ?? 60_000,
      1000 * 2 ** Math.min(this.state.counters.failures - 1, 10),
    );
    this.state.nextRetryAt = new Date(Date.now() + delay).toISOString();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.trigger('retry'), delay);
  }

  private fail(step: string, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.state.counters.failures += 1;
    this.state.lastError = `${step}: ${message}`;
    this.state.lastErrorAt = now();
    this.deps.log.error({ err, step, generation: this.desired.generation }, 'reconcile failed');
    this.scheduleRetry();
  }

  private async runOnce(reason: string): Promise<void> {
    const { generation } = this.desired;
    if (generation === 0) return; // nothing was ever applied: leave FRR and the kernel alone
    const started = performance.now();
    this.begin(reason);
    const rendered = await this.convert();
    if (!rendered) return;
    if (!(await this.preflightStep(rendered))) return this.unapplied(generation);
    // Kernel first (new L3VNIs held back, removed ones kept), then FRR, then
    // the rest of the kernel, now that FRR maps the new VNIs to their VRFs and
    // has let go of the removed ones (apply/l3vni-order.ts).
    if (!(await this.kernelStep(rendered, true))) return this.unapplied(generation);
    if (!(await this.frrStep(rendered))) return this.unapplied(generation);
    const { kernelHeldBack, kernelKeptForNow } = this.state;
    if (kernelHeldBack.length + kernelKeptForNow.length > 0 && !(await this.kernelStep(rendered, false)))
      return this.unapplied(generation);
    if (!(await this.snatStep(rendered))) return this.unapplied(generation);
    await this.succeeded(generation, started);
  }

  private begin(reason: string): void {
    const s = this.state;
    s.generation = this.desired.generation;
    s.lastTrigger = reason;
    s.counters.reconciles += 1;
    s.nextRetryAt = undefined;
    this.runVersion = undefined; // read afresh: FRR may have been upgraded since the last run
  }

  // Bad input is terminal: recorded, and not retried until the next apply.
  private async convert(): Promise<NodeRender | undefined> {
    const { generation, resources, invalid } = this.desired;
    const s = this.state;
    try {
      if (invalid) throw new Error(`stored generation ${generation} no longer validates: ${invalid.join('; ')}`);
      const rendered = this.render(resources);
      s.conversion = { result: 'Succeeded', at: now() };
      s.renderedConfigHash = sha256(redactFrrText(rendered.frr)); // a hash of a password is not shown
      return rendered;
    } catch (err) {
      s.conversion = { result: 'Failed', message: (err as Error).message, at: now(), terminal: true };
      s.lastError = `conversion: ${(err as Error).message}`;
      s.lastErrorAt = now();
      this.deps.log.warn({ err, generation }, 'conversion failed; not retried until the next apply');
      await this.deps.onApplied?.(generation, 'Error');
      return undefined;
    }
  }

  private async succeeded(generation: number, started: number): Promise<void> {
    const s = this.state;
    s.counters.failures = 0;
    s.lastError = undefined;
    s.appliedGeneration = generation;
    s.lastSuccessAt = now();
    s.lastReconcileAt = now();
    s.lastDurationMs = Math.round(performance.now() - started);
    await this.deps.onApplied?.(generation, 'Applied');
  }

  // The ledger shows a generation that never got applied as Failed (a later
  // resync of an applied one that fails leaves it Applied: it was applied).
  private async unapplied(generation: number): Promise<void> {
    if (this.state.appliedGeneration !== generation) await this.deps.onApplied?.(generation, 'Failed');
  }

  // A node with the single VXLAN device: FRR's version (read every run: FRR
  // may be upgraded under us) and the kernel's support (probed once) before
  // anything is touched. A refusal is recorded, not retried with backoff; the
  // resync checks again. An FRR that does not answer is a failure, retried.
  private async preflightStep(rendered: NodeRender): Promise<boolean> {
    const s = this.state;
    const ipv6 = ipv6Vteps(rendered.intent);
    if (!rendered.intent?.single && ipv6.length === 0) {
      s.preflight = undefined;
      return true;
    }
    try {
      const version = await this.deps.frr.version();
      this.runVersion = version;
      const refusal =
        ipv6VtepRefusal(this.deps.node, version, ipv6) ??
        (rendered.intent?.single ? await this.singleRefusal(rendered, version) : undefined);
      if (refusal) {
        s.preflight = { result: 'Refused', reason: refusal.reason, message: refusal.message, at: now() };
        s.lastError = `preflight: ${refusal.message}`;
        s.lastErrorAt = now();
        this.deps.log.warn({ reason: refusal.reason, generation: this.desired.generation }, 'preflight refused');
        return false;
      }
      const what = rendered.intent?.single ? 'this kernel run the single VXLAN device' : 'EVPN carry IPv6 VTEPs';
      s.preflight = { result: 'Passed', reason: 'Passed', message: `FRR ${version?.text} and ${what}`, at: now() };
      return true;
    } catch (err) {
      s.preflight = { result: 'Failed', reason: 'CheckFailed', message: (err as Error).message, at: now() };
      s.frrReachable = err instanceof FrrUnreachableError ? false : s.frrReachable;
      this.fail('preflight', err);
      return false;
    }
  }

  // FRR's version first: an FRR too old is refused without probing the kernel.
  private async singleRefusal(rendered: NodeRender, version: FrrVersion | undefined): Promise<Refusal | undefined> {
    const node = this.deps.node;
    const tooOld = frrRefusal(node, version);
    if (tooOld) return tooOld;
    this.singleSupport ??= await probeSingleVxlan(this.deps.kernel);
    const perVlanNeighSuppress = rendered.devices.devices.some((d) => d.kind === 'vxlan' && d.neighVlanSuppress);
    return singleVxlanRefusal({ node, version, support: this.singleSupport, perVlanNeighSuppress });
  }

  // Forwarding that cannot be switched on (a read-only /proc/sys) is logged and
  // shown in the kernel changes, but does not block devices and FRR.
  private async forwarding(rendered: NodeRender): Promise<string[]> {
    this.state.forwardingError = undefined;
    try {
      return (await this.deps.sysctl?.ensure(knobWants(rendered))) ?? [];
    } catch (err) {
      this.deps.log.warn({ err }, 'cannot switch on IP forwarding');
      this.state.forwardingError = (err as Error).message;
      return [];
    }
  }

  // One kernel pass; the second pass (after FRR) adds its writes to the first's.
  private async kernelStep(rendered: NodeRender, first: boolean): Promise<boolean> {
    const s = this.state;
    try {
      const refused = this.refused.held(this.desired.generation);
      const opts = { beforeFrrReload: first, ...(refused ? { refused } : {}) };
      const k = await applyKernel(this.deps.kernel, rendered.devices, s.attachedPorts, opts);
      const forwarding = await this.forwarding(rendered); // again after pass 2: knobs of SVIs created late
      const writes = k.writes + forwarding.length;
      const changes = [...k.changes.summary, ...forwarding.map((key) => `~ sysctl ${key}=1`)];
      s.conflicts = k.changes.conflicts;
      s.missingPorts = k.changes.missingPorts;
      s.kernelHeldBack = k.changes.heldBack ?? [];
      s.kernelKeptForNow = k.changes.keptForNow ?? [];
      const before = first ? { writes: 0, changes: [] as string[] } : s.kernel;
      const total = before.writes + writes;
      s.kernel = {
        result: total > 0 ? 'Applied' : 'Unchanged',
        writes: total,
        changes: [...before.changes, ...changes],
        at: now(),
      };
      s.counters.kernelWrites += writes;
      await this.keepAttachedPorts(k.changes.attachedPorts);
      if (writes > 0) this.deps.log.info({ writes, changes, pass: first ? 1 : 2 }, 'kernel changed');
      return true;
    } catch (err) {
      this.kernelFailed(err);
      return false;
    }
  }

  private async keepAttachedPorts(ports: ReconcileState['attachedPorts']): Promise<void> {
    if (JSON.stringify(ports) === JSON.stringify(this.state.attachedPorts)) return;
    this.state.attachedPorts = ports;
    await this.ports.write(ports);
  }

  private kernelFailed(err: unknown): void {
    const s = this.state;
    const changes = err instanceof KernelApplyError ? err.changes.summary : [];
    if (err instanceof KernelApplyError && !err.sent) {
      // Known to fail: keep the first failure's message, retry nothing; a
      // resync re-checks, and a new apply or a kernel change tries again.
      s.kernel = { result: 'Failed', writes: 0, changes, message: this.refused.describe(err.message), at: now() };
      return;
    }
    s.kernel = { result: 'Failed', writes: 0, changes, message: (err as Error).message, at: now() };
    if (err instanceof KernelApplyError) this.refused.remember(this.desired.generation, err);
    this.fail('kernel', err);
  }

  // Last, once the VRFs route: the exit's SNAT table. A host-routing exit
  // translates to its own default route's source address, read now. The
  // script last applied is kept in the state directory (snat.nft): while it
  // is there the table is ours to keep or remove; a node that never had SNAT
  // never runs nft.
  private async snatStep(rendered: NodeRender): Promise<boolean> {
    const nft = this.deps.nft;
    const wanted = rendered.intent?.snat ?? [];
    const record = join(this.deps.stateDir, 'snat.nft');
    if (!nft || (wanted.length === 0 && !existsSync(record))) {
      this.state.snat = undefined;
      return true;
    }
    try {
      const needHost = wanted.some((w) => !w.egress);
      const host = needHost
        ? hostEgress(...(await Promise.all([this.deps.kernel.readRoutes(), this.deps.kernel.readLinks()])))
        : {};
      const { rules, unrouted } = snatRules(wanted, host);
      if (rules.length > 0) await atomicWrite(record, nftScript(rules));
      const done = await applySnat(nft, rules);
      if (rules.length === 0) await rm(record, { force: true });
      const unroutedText = unrouted.map((u) => `${u.source} (no ${u.family} default route)`);
      this.state.snat =
        wanted.length === 0 && done.result === 'Unchanged'
          ? undefined
          : { result: done.result, rules: done.rules, unrouted: unroutedText, at: now() };
      if (done.result !== 'Unchanged')
        this.deps.log.info({ rules: done.rules, unrouted: unroutedText }, 'SNAT changed');
      return true;
    } catch (err) {
      this.state.snat = { result: 'Failed', rules: [], unrouted: [], message: (err as Error).message, at: now() };
      this.fail('snat', err);
      return false;
    }
  }

  // Test first; reload only when FRR's running config differs; verify after.
  private async frrStep(rendered: NodeRender): Promise<boolean> {
    const s = this.state;
    try {
      const file = join(this.deps.stateDir, 'frr.conf');
      await atomicWrite(file, await this.frrFile(rendered, this.runVersion));
      const done = await applyFrrConfig(this.deps.frr, file, {
        reloading: (diff, commands) => {
          s.frrReachable = true;
          this.deps.log.info({ commands, add: diff.toAdd.length, delete: diff.toDelete.length }, 'reloading FRR');
        },
        reloaded: (commands) => {
          s.counters.reloads += 1;
          s.counters.frrCommands += commands;
        },
      });
      s.frrReachable = true;
      s.reload = { result: done.result, commands: done.commands, at: now() };
      return true;
    } catch (err) {
      s.frrReachable = err instanceof FrrUnreachableError ? false : s.frrReachable;
      s.reload = { result: 'Failed', commands: 0, message: (err as Error).message, at: now() };
      this.fail('frr', err);
      return false;
    }
  }
}
