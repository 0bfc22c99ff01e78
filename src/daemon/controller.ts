// The daemon's service layer behind the control API: owns the desired set and
// the generation ledger, hands work to the reconciler, and answers reads from
// a fresh observation of FRR and the kernel.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Frr } from '../apply/frr.ts';
import { applyKernel } from '../apply/kernel-apply.ts';
import { OWNER_PREFIX } from '../apply/kernel-diff.ts';
import { ownerTag } from '../resources/names.ts';
import type { Kernel } from '../apply/kernel.ts';
import type { Reconciler } from '../apply/reconciler.ts';
import { CodedError, formatIssue, type ValidationIssue } from '../resources/error-codes.ts';
import { resourceId, type KnownResource } from '../resources/schema.ts';
import type { SetCheck } from '../store/candidate.ts';
import { remove } from '../store/desired-set.ts';
import { sha256, type GenerationStore } from '../store/generations.ts';
import { collectObservation, type Observation } from '../observe/collect.ts';
import { ConditionBook } from '../observe/conditions.ts';
import { buildStatuses, type ResourceStatus } from '../observe/status.ts';
import type { ResourceResult } from '../api/envelopes.ts';
import type { Validator } from './validator.ts';

export interface ControllerDeps {
  node: string;
  pathspace?: string;
  kernel: Kernel;
  frr: Frr;
  store: GenerationStore;
  reconciler: Reconciler;
  validator: Validator;
  log: Logger;
}

export interface ApplyOutcome {
  generation: number;
  phase: string;
  resources: ResourceResult[];
  warnings: string[];
}

// Over a limit is 413 LIMIT_EXCEEDED, any other problem 400 REQUEST_INVALID.
function invalid(issues: ValidationIssue[], count = issues.length): CodedError {
  const code = issues.some((i) => i.code === 'LIMIT_EXCEEDED') ? 'LIMIT_EXCEEDED' : 'REQUEST_INVALID';
  const listed = count > issues.length ? ` (the first ${issues.length} are listed)` : '';
  return new CodedError(code, `${count} problem${count === 1 ? '' : 's'} in the desired set; nothing was changed${listed}`, issues);
}

export class Controller {
  private readonly book = new ConditionBook();
  private observing: Promise<Observation> | undefined;
  private lastObservation: Observation | undefined;
  // Applies and deletes run one at a time: each reads the desired set and
  // appends the next generation, so two at once would drop an update.
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ControllerDeps) {}

  get node(): string {
    return this.deps.node;
  }

  desired(): KnownResource[] {
    return this.deps.reconciler.getDesired().resources;
  }

  generation(): number {
    return this.deps.reconciler.getDesired().generation;
  }

  // Reload the newest generation from disk; the first reconcile is a no-op when nothing drifted.
  async start(): Promise<void> {
    const torn = [...(await this.deps.store.load()), ...(await this.deps.reconciler.loadPorts())];
    if (torn.length > 0) this.deps.log.warn({ files: torn }, 'removed temp files of interrupted writes');
    const latest = this.deps.store.latest();
    if (!latest) return;
    const validated = await this.deps.validator.stored(await this.deps.store.readYaml(latest.generation));
    if (!validated.ok) {
      // Never act on part of a set: keep FRR and the kernel as they are until a valid apply.
      const problems = validated.issues.map(formatIssue);
      this.deps.log.error({ generation: latest.generation, problems }, 'stored generation no longer validates');
      this.deps.reconciler.setDesired({ generation: latest.generation, resources: validated.resources, invalid: problems });
      return;
    }
    this.deps.reconciler.setDesired({ generation: latest.generation, resources: validated.resources });
    this.deps.log.info({ generation: latest.generation, resources: validated.resources.length }, 'loaded stored generation');
  }

  async close(): Promise<void> {
    await this.deps.validator.close();
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.writes.then(fn);
    this.writes = next.catch(() => undefined);
    return next;
  }

  apply(candidateYaml: string, opts: { replace?: boolean; dryRun?: boolean; noReconcile?: boolean }): Promise<ApplyOutcome> {
    return this.serialized(async () => {
      const check = await this.deps.validator.candidate(candidateYaml, this.desired(), opts.replace ?? false);
      return this.commit(check, check.touched, opts, 'apply');
    });
  }

  delete(target: string, opts: { dryRun?: boolean; noReconcile?: boolean }): Promise<ApplyOutcome & { deleted: string[] }> {
    return this.serialized(async () => {
      if (!/^[A-Za-z0-9]+\/[^/]+$/.test(target)) throw new CodedError('TARGET_INVALID', `target "${target}" is not of the form Kind/name`);
      const { next, removed } = remove(this.desired(), target);
      if (removed.length === 0) throw new CodedError('NOT_FOUND', `${target} is not in the desired set`);
      const outcome = await this.commit(await this.deps.validator.set(next), [target], opts, 'delete');
      return { ...outcome, deleted: removed.map(resourceId) };
    });
  }

  async rollbackYaml(generation: number): Promise<string> {
    if (!this.deps.store.get(generation)) throw new CodedError('NOT_FOUND', `generation ${generation} does not exist`);
    return this.deps.store.readYaml(generation);
  }

  // Stores and reconciles a checked desired set; refuses one with problems.
  private async commit(check: SetCheck, touched: string[], opts: { dryRun?: boolean; noReconcile?: boolean }, reason: string): Promise<ApplyOutcome> {
    if (!check.ok) throw invalid(check.issues, check.issueCount);
    if (opts.dryRun) return this.plan(check.resources, touched);
    const record = await this.deps.store.append(check.yaml, reason);
    this.deps.reconciler.setDesired({ generation: record.generation, resources: check.resources });
    this.deps.log.info({ generation: record.generation, reason, resources: check.resources.length }, 'generation stored');
    if (opts.noReconcile) return { generation: record.generation, phase: 'Pending', resources: touched.map((id) => ({ id, phase: 'Pending' })), warnings: ['noReconcile: stored, not applied'] };
    await this.deps.reconciler.trigger(reason);
    const s = this.deps.reconciler.state;
    const ok = s.appliedGeneration === record.generation;
    const phase = ok ? 'Applied' : s.conversion.result === 'Failed' ? 'Error' : 'Failed';
    const message = ok ? undefined : s.lastError ?? s.conversion.message;
    return {
      generation: record.generation,
      phase,
      resources: touched.map((id) => ({ id, phase: ok ? 'Applied' : 'Error', ...(message ? { conditions: [{ type: 'Applied', status: 'False', reason: phase, message }] } : {}) })),
      warnings: message ? [message] : [],
    };
  }

  // A dry run renders, diffs the kernel and runs frr-reload --test: it writes nothing but a temp file.
  private async plan(resources: KnownResource[], touched: string[]): Promise<ApplyOutcome> {
    let rendered;
    try {
      rendered = this.deps.reconciler.render(resources);
    } catch (err) {
      return { generation: this.generation(), phase: 'Error', resources: touched.map((id) => ({ id, phase: 'Error', warnings: [(err as Error).message] })), warnings: [(err as Error).message] };
    }
    const kernel = await applyKernel(this.deps.kernel, rendered.devices, this.deps.reconciler.state.attachedPorts, { dryRun: true });
    const warnings = kernel.changes.conflicts.map((c) => c.message);
    let frrLines: string[] = [];
    const dir = await mkdtemp(join(tmpdir(), 'routerd-evpn-plan-'));
    try {
      const file = join(dir, 'frr.conf');
      await writeFile(file, await this.deps.reconciler.frrFile(rendered));
      const diff = await this.deps.frr.test(file);
      frrLines = [...diff.toDelete.map((l) => `- ${l}`), ...diff.toAdd.map((l) => `+ ${l}`)];
    } catch (err) {
      warnings.push(`FRR diff unavailable: ${(err as Error).message}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const byOwner = kernel.changes.byOwner;
    const results: ResourceResult[] = resources.map((r) => {
      const id = resourceId(r);
      return { id, phase: 'DryRun', plan: r.kind === 'EVPNFabric' ? frrLines : byOwner[ownerTag(r.kind, r.metadata.name)] ?? [] };
    });
    if (!resources.some((r) => r.kind === 'EVPNFabric') && frrLines.length > 0) results.push({ id: 'frr/config', phase: 'DryRun', plan: frrLines });
    // Devices of resources no longer desired: reported under their former owner.
    const desiredOwners = new Set(resources.map((r) => ownerTag(r.kind, r.metadata.name)));
    for (const [owner, plan] of Object.entries(byOwner).sort()) {
      if (!desiredOwners.has(owner)) results.push({ id: owner.slice(OWNER_PREFIX.length), phase: 'DryRun', plan });
    }
    return { generation: this.generation(), phase: 'DryRun', resources: results, warnings };
  }

  // Shares one in-flight observation between concurrent readers; reuses it for a second.
  // L3VNI views and kernel routes are read only while some EVPNVRF is desired.
  async observe(): Promise<Observation> {
    const vrfs = this.desired().some((r) => r.kind === 'EVPNVRF');
    const last = this.lastObservation;
    if (last && last.vrfsObserved === vrfs && Date.now() - Date.parse(last.at) < 1000) return last;
    this.observing ??= collectObservation(this.deps.kernel, this.deps.frr, sha256, { vrfs }).finally(() => {
      this.observing = undefined;
    });
    this.lastObservation = await this.observing;
    return this.lastObservation;
  }

  async statuses(): Promise<Map<string, ResourceStatus>> {
    const obs = await this.observe();
    const desired = this.deps.reconciler.getDesired();
    let intent;
    try {
      intent = this.deps.reconciler.render(desired.resources).intent;
    } catch {
      intent = undefined;
    }
    const map = buildStatuses({ node: this.deps.node, generation: desired.generation, pathspace: this.deps.pathspace, resources: desired.resources, intent, state: this.deps.reconciler.state, obs });
    for (const [id, status] of map) status.conditions = this.book.stamp(id, status.conditions, obs.at);
    return map;
  }

  ledger() {
    return this.deps.store.list();
  }

  reconcileState() {
    return this.deps.reconciler.state;
  }
}
