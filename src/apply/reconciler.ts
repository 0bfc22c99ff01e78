// One serialized, coalescing reconcile loop (p-queue, concurrency 1). Each run
// is level-based: render the desired set, diff and apply the kernel, then test
// and (only if something changed) reload FRR, then verify. Bad input is
// terminal; apply failures are retried with exponential backoff.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import PQueue from 'p-queue';
import type { Logger } from 'pino';
import { renderNode, type NodeRender } from '../render/node-render.ts';
import type { TemplateSet } from '../render/template.ts';
import type { KnownResource } from '../resources/schema.ts';
import { atomicWrite, removeTornWrites } from '../store/atomic-write.ts';
import { sha256 } from '../store/generations.ts';
import { applyKernel, KernelApplyError } from './kernel-apply.ts';
import type { Frr } from './frr.ts';
import { FrrUnreachableError } from './frr.ts';
import { commandCount, hasChanges } from './frr-diff.ts';
import type { Kernel } from './kernel.ts';
import { initialState, type ReconcileState } from './reconcile-state.ts';
import type { PlannedPort } from '../render/devices.ts';
import type { Sysctl } from './sysctl.ts';

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
  refusedRetryMs?: number; // how long a batch the kernel refused is not sent again (default 10 min)
}

// A refused batch is tried again this long after, in case the kernel changed in
// a way the batch does not show (a module loaded): one attempt, not a flap per resync.
export const REFUSED_RETRY_MS = 10 * 60_000;

export interface Desired {
  generation: number;
  resources: KnownResource[];
  invalid?: string[]; // a stored generation that no longer validates: never applied
}

export class Reconciler {
  readonly state: ReconcileState = initialState();
  private readonly queue = new PQueue({ concurrency: 1 });
  private queued: Promise<void> | undefined;
  private desired: Desired = { generation: 0, resources: [] };
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  // The kernel batch refused for this generation: not sent again (see applyKernel).
  private refused: { generation: number; fingerprint: string; message: string; at: number } | undefined;

  constructor(private readonly deps: ReconcilerDeps) {}

  private portsFile(): string {
    return join(this.deps.stateDir, 'attached-ports.json');
  }

  // Also removes temp files of writes a kill interrupted (frr.conf, the ports file).
  async loadPorts(): Promise<string[]> {
    const torn = await removeTornWrites(this.deps.stateDir);
    try {
      this.state.attachedPorts = JSON.parse(await readFile(this.portsFile(), 'utf8')) as PlannedPort[];
    } catch {
      this.state.attachedPorts = [];
    }
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
    return renderNode(resources, this.deps.node, this.deps.templates);
  }

  // The file FRR gets: the operator's base config (read afresh each run), then ours.
  async frrFile(rendered: NodeRender): Promise<string> {
    const file = this.deps.frrBaseFile;
    if (!file) return rendered.frr;
    const base = await readFile(file, 'utf8');
    return `! Operator base configuration from ${file}\n${base.trimEnd()}\n!\n${rendered.frr}`;
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = Math.min(this.deps.maxBackoffMs ?? 60_000, 1000 * 2 ** Math.min(this.state.counters.failures - 1, 10));
    this.state.nextRetryAt = new Date(Date.now() + delay).toISOString();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.trigger('retry'), delay);
  }

  private fail(step: string, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.state.counters.failures += 1;
    this.state.lastError = `${step}: ${message}`;
    this.state.lastErrorAt = new Date().toISOString();
    this.deps.log.error({ err, step, generation: this.desired.generation }, 'reconcile failed');
    this.scheduleRetry();
  }

  private async runOnce(reason: string): Promise<void> {
    const { generation, resources } = this.desired;
    if (generation === 0) return; // nothing was ever applied: leave FRR and the kernel alone
    const started = performance.now();
    const s = this.state;
    const now = () => new Date().toISOString();
    s.generation = generation;
    s.lastTrigger = reason;
    s.counters.reconciles += 1;
    s.nextRetryAt = undefined;
    let rendered: NodeRender;
    try {
      if (this.desired.invalid) throw new Error(`stored generation ${generation} no longer validates: ${this.desired.invalid.join('; ')}`);
      rendered = this.render(resources);
      s.conversion = { result: 'Succeeded', at: now() };
      s.renderedConfigHash = sha256(rendered.frr);
    } catch (err) {
      s.conversion = { result: 'Failed', message: (err as Error).message, at: now(), terminal: true };
      s.lastError = `conversion: ${(err as Error).message}`;
      s.lastErrorAt = now();
      this.deps.log.warn({ err, generation }, 'conversion failed; not retried until the next apply');
      await this.deps.onApplied?.(generation, 'Error');
      return;
    }
    // Kernel first (new L3VNI VXLAN devices held back), then FRR, then the
    // held-back devices, now that FRR maps their VNIs to VRFs.
    if (!(await this.applyKernelStep(rendered, true))) return this.unapplied(generation);
    try {
      await this.applyFrr(await this.frrFile(rendered));
    } catch (err) {
      s.frrReachable = err instanceof FrrUnreachableError ? false : s.frrReachable;
      s.reload = { result: 'Failed', commands: 0, message: (err as Error).message, at: now() };
      this.fail('frr', err);
      return this.unapplied(generation);
    }
    if (s.kernelHeldBack.length > 0 && !(await this.applyKernelStep(rendered, false))) return this.unapplied(generation);
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

  // Forwarding that cannot be switched on (a read-only /proc/sys) is logged and
  // shown in the kernel changes, but does not block devices and FRR.
  private async forwarding(rendered: NodeRender): Promise<string[]> {
    this.state.forwardingError = undefined;
    try {
      const svis = (rendered.intent?.l2vnis ?? []).filter((v) => v.gateway).map((v) => ({ name: v.bridge, ipv4: v.gateway!.ipv4 !== undefined, ipv6: v.gateway!.ipv6 !== undefined }));
      return (await this.deps.sysctl?.ensure({ forwarding: rendered.intent?.forwarding, gatewaySvis: svis })) ?? [];
    } catch (err) {
      this.deps.log.warn({ err }, 'cannot switch on IP forwarding');
      this.state.forwardingError = (err as Error).message;
      return [];
    }
  }

  // One kernel pass; the second pass (after FRR) adds its writes to the first's.
  private async applyKernelStep(rendered: NodeRender, first: boolean): Promise<boolean> {
    const s = this.state;
    const now = () => new Date().toISOString();
    try {
      const r = this.refused;
      const refused = r?.generation === this.desired.generation && Date.now() - r.at < (this.deps.refusedRetryMs ?? REFUSED_RETRY_MS) ? r.fingerprint : undefined;
      const k = await applyKernel(this.deps.kernel, rendered.devices, s.attachedPorts, { holdBackNewL3vni: first, ...(refused ? { refused } : {}) });
      const forwarding = await this.forwarding(rendered); // again after pass 2: knobs of SVIs created late
      const writes = k.writes + forwarding.length;
      const changes = [...k.changes.summary, ...forwarding.map((key) => `~ sysctl ${key}=1`)];
      s.conflicts = k.changes.conflicts;
      s.missingPorts = k.changes.missingPorts;
      s.kernelHeldBack = k.changes.heldBack ?? [];
      const before = first ? { writes: 0, changes: [] as string[] } : s.kernel;
      const total = before.writes + writes;
      s.kernel = { result: total > 0 ? 'Applied' : 'Unchanged', writes: total, changes: [...before.changes, ...changes], at: now() };
      s.counters.kernelWrites += writes;
      if (JSON.stringify(k.changes.attachedPorts) !== JSON.stringify(s.attachedPorts)) {
        s.attachedPorts = k.changes.attachedPorts;
        await atomicWrite(this.portsFile(), `${JSON.stringify(s.attachedPorts)}\n`);
      }
      if (writes > 0) this.deps.log.info({ writes, changes, pass: first ? 1 : 2 }, 'kernel changed');
      return true;
    } catch (err) {
      const changes = err instanceof KernelApplyError ? err.changes.summary : [];
      if (err instanceof KernelApplyError && !err.sent) {
        // Known to fail: keep the first failure's message, retry nothing; a
        // resync re-checks, and a new apply or a kernel change tries again.
        const again = new Date(this.refused!.at + (this.deps.refusedRetryMs ?? REFUSED_RETRY_MS)).toISOString();
        s.kernel = { result: 'Failed', writes: 0, changes, message: `${this.refused!.message} (${err.message}; not sent again before a new apply, a kernel change or ${again})`, at: now() };
        return false;
      }
      s.kernel = { result: 'Failed', writes: 0, changes, message: (err as Error).message, at: now() };
      if (err instanceof KernelApplyError) this.refused = { generation: this.desired.generation, fingerprint: err.fingerprint, message: err.message, at: Date.now() };
      this.fail('kernel', err);
      return false;
    }
  }

  // Test first; reload only when FRR's running config differs; verify after.
  private async applyFrr(text: string): Promise<void> {
    const s = this.state;
    const file = join(this.deps.stateDir, 'frr.conf');
    await atomicWrite(file, text);
    const diff = await this.deps.frr.test(file);
    s.frrReachable = true;
    if (!hasChanges(diff)) {
      s.reload = { result: 'Unchanged', commands: 0, at: new Date().toISOString() };
      return;
    }
    const commands = commandCount(diff);
    this.deps.log.info({ commands, add: diff.toAdd.length, delete: diff.toDelete.length }, 'reloading FRR');
    await this.deps.frr.reload(file);
    s.counters.reloads += 1;
    s.counters.frrCommands += commands;
    const after = await this.deps.frr.test(file);
    if (hasChanges(after)) {
      throw new Error(`running config still differs after reload (${[...after.toDelete.map((l) => `- ${l.trim()}`), ...after.toAdd.map((l) => `+ ${l.trim()}`)].slice(0, 5).join('; ')})`);
    }
    s.reload = { result: 'Reloaded', commands, at: new Date().toISOString() };
  }
}
