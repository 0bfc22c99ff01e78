// The daemon's service layer behind the control API: checks candidates (in the
// validator's worker), stores each accepted set as a generation, hands it to
// the reconciler, and answers reads with statuses built from a fresh
// observation of FRR and the kernel.
import type { Logger } from 'pino';
import type { Reconciler } from '../controller/reconciler.ts';
import { CodedError, formatIssue, type ValidationIssue } from '../resources/error-codes.ts';
import { type KnownResource, resourceId } from '../resources/schema.ts';
import { ConditionBook } from '../status/conditions.ts';
import { buildStatuses, type ResourceStatus } from '../status/status.ts';
import type { SetCheck } from '../store/candidate.ts';
import { remove } from '../store/desired-set.ts';
import type { GenerationStore } from '../store/generations.ts';
import type { Frr } from '../system/frr.ts';
import type { Kernel } from '../system/kernel.ts';
import type { NodeIntent } from '../translate/intent.ts';
import { planDryRun } from './dry-run.ts';
import { Observer } from './observer.ts';
import type { ApplyOutcome, WriteOptions } from './outcome.ts';
import type { Validator } from './validator.ts';

export interface ServiceDeps {
  node: string;
  pathspace?: string;
  kernel: Kernel;
  frr: Frr;
  store: GenerationStore;
  reconciler: Reconciler;
  validator: Validator;
  log: Logger;
}

// Over a limit is 413 LIMIT_EXCEEDED, any other problem 400 REQUEST_INVALID.
function invalid(issues: ValidationIssue[], count = issues.length): CodedError {
  const code = issues.some((i) => i.code === 'LIMIT_EXCEEDED') ? 'LIMIT_EXCEEDED' : 'REQUEST_INVALID';
  const listed = count > issues.length ? ` (the first ${issues.length} are listed)` : '';
  return new CodedError(
    code,
    `${count} problem${count === 1 ? '' : 's'} in the desired set; nothing was changed${listed}`,
    issues,
  );
}

function hasBfd(intent: NodeIntent): boolean {
  return intent.sessions.bfd !== undefined || intent.peers.some((p) => p.bfd !== undefined);
}

// Uplink sessions of an eBGP underlay (the loopbacks), or a peer with a unicast family.
function carriesUnicast(intent: NodeIntent): boolean {
  const ebgpUnderlay = intent.underlay !== undefined && intent.underlay.igp === undefined;
  return ebgpUnderlay || intent.peers.some((p) => p.families.some((f) => f !== 'l2vpnEvpn'));
}

export class Service {
  private readonly book = new ConditionBook();
  private readonly observer: Observer;
  // Applies and deletes run one at a time: each reads the desired set and
  // appends the next generation, so two at once would drop an update.
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ServiceDeps) {
    this.observer = new Observer(deps.kernel, deps.frr);
  }

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
      this.deps.reconciler.setDesired({
        generation: latest.generation,
        resources: validated.resources,
        invalid: problems,
      });
      return;
    }
    this.deps.reconciler.setDesired({ generation: latest.generation, resources: validated.resources });
    this.deps.log.info(
      { generation: latest.generation, resources: validated.resources.length },
      'loaded stored generation',
    );
  }

  async close(): Promise<void> {
    await this.deps.validator.close();
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.writes.then(fn);
    this.writes = next.catch(() => undefined);
    return next;
  }

  apply(candidateYaml: string, opts: WriteOptions & { replace?: boolean }): Promise<ApplyOutcome> {
    return this.serialized(async () => {
      const check = await this.deps.validator.candidate(candidateYaml, this.desired(), opts.replace ?? false);
      return this.commit(check, check.touched, opts, 'apply');
    });
  }

  delete(target: string, opts: WriteOptions): Promise<ApplyOutcome & { deleted: string[] }> {
    return this.serialized(async () => {
      if (!/^[A-Za-z0-9]+\/[^/]+$/.test(target))
        throw new CodedError('TARGET_INVALID', `target "${target}" is not of the form Kind/name`);
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
  private async commit(check: SetCheck, touched: string[], opts: WriteOptions, reason: string): Promise<ApplyOutcome> {
    if (!check.ok) throw invalid(check.issues, check.issueCount);
    const secrets = this.deps.reconciler.secretIssues(check.resources);
    if (secrets.length > 0) throw invalid(secrets);
    if (opts.dryRun) return planDryRun(this.deps, check.resources, touched, this.generation());
    const record = await this.deps.store.append(check.yaml, reason);
    this.deps.reconciler.setDesired({ generation: record.generation, resources: check.resources });
    this.deps.log.info(
      { generation: record.generation, reason, resources: check.resources.length },
      'generation stored',
    );
    if (opts.noReconcile) {
      const resources = touched.map((id) => ({ id, phase: 'Pending' }));
      return {
        generation: record.generation,
        phase: 'Pending',
        resources,
        warnings: ['noReconcile: stored, not applied'],
      };
    }
    await this.deps.reconciler.trigger(reason);
    return this.outcome(record.generation, touched);
  }

  // Applied when the run applied this generation; Error for bad input; else Failed.
  private outcome(generation: number, touched: string[]): ApplyOutcome {
    const s = this.deps.reconciler.state;
    const ok = s.appliedGeneration === generation;
    const phase = ok ? 'Applied' : s.conversion.result === 'Failed' ? 'Error' : 'Failed';
    const message = ok ? undefined : (s.lastError ?? s.conversion.message);
    const conditions = message ? { conditions: [{ type: 'Applied', status: 'False', reason: phase, message }] } : {};
    return {
      generation,
      phase,
      resources: touched.map((id) => ({ id, phase: ok ? 'Applied' : 'Error', ...conditions })),
      warnings: message ? [message] : [],
    };
  }

  async statuses(): Promise<Map<string, ResourceStatus>> {
    const desired = this.deps.reconciler.getDesired();
    let intent: NodeIntent | undefined;
    try {
      intent = this.deps.reconciler.intent(desired.resources);
    } catch {
      intent = undefined;
    }
    const obs = await this.observer.observe({
      vrfs: desired.resources.some((r) => r.kind === 'EVPNVRF'),
      bfd: intent !== undefined && hasBfd(intent),
      routes: intent?.underlay !== undefined,
      families: intent !== undefined && carriesUnicast(intent),
    });
    const { node, pathspace } = this.deps;
    const state = this.deps.reconciler.state;
    const map = buildStatuses({
      node,
      generation: desired.generation,
      pathspace,
      resources: desired.resources,
      intent,
      state,
      obs,
    });
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
