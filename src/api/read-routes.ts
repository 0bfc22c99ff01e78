// Read-only routes: status, get (resources, generations, one generation's
// YAML) and describe. Each answers from one fresh observation.
import type { FastifyInstance } from 'fastify';
import { CodedError } from '../resources/error-codes.ts';
import type { Controller } from '../daemon/controller.ts';
import { API_PREFIX, CONTROL_API_VERSION } from './envelopes.ts';

function item(r: { apiVersion: string; kind: string; metadata: { name: string }; spec: unknown }, status: unknown) {
  return { apiVersion: r.apiVersion, kind: r.kind, name: r.metadata.name, spec: r.spec, status: status ?? {} };
}

function getResult(extra: Record<string, unknown>) {
  return { apiVersion: CONTROL_API_VERSION, kind: 'GetResult', metadata: { name: 'routerd-evpn' }, ...extra };
}

export function registerReadRoutes(app: FastifyInstance, controller: Controller): void {
  app.get(`${API_PREFIX}/status`, async () => {
    const statuses = await controller.statuses();
    const s = controller.reconcileState();
    const issues = controller.desired().flatMap((r) => {
      const st = statuses.get(`${r.kind}/${r.metadata.name}`);
      if (!st || st.phase === 'Ready' || st.phase === 'Applied') return [];
      const bad = st.conditions.find((c) => c.status === 'False' && c.type !== 'Scheduled');
      return [{ apiVersion: r.apiVersion, kind: r.kind, name: r.metadata.name, phase: st.phase, ...(bad ? { reason: bad.reason, message: bad.message } : {}) }];
    });
    const generation = controller.generation();
    const latest = controller.ledger().at(-1);
    const phase = generation === 0 ? 'Pending' : issues.length === 0 ? 'Healthy' : 'Degraded';
    const controllerEntry = {
      name: 'evpn-reconciler', mode: 'reconcile', currentError: s.lastError !== undefined,
      consecutiveErrorCount: s.counters.failures, reconcileCount: s.counters.reconciles,
      ...(s.lastError ? { lastError: s.lastError } : {}),
      ...(s.lastErrorAt ? { lastErrorTime: s.lastErrorAt } : {}),
      ...(s.lastSuccessAt ? { lastSuccessTime: s.lastSuccessAt } : {}),
      ...(s.lastReconcileAt ? { lastReconcileTime: s.lastReconcileAt } : {}),
      ...(s.reload.result === 'Reloaded' && s.reload.at ? { lastReloadAt: s.reload.at } : {}),
      ...(s.lastTrigger ? { lastTrigger: s.lastTrigger } : {}),
      ...(s.nextRetryAt ? { nextReconcileTime: s.nextRetryAt } : {}),
      ...(s.lastDurationMs !== undefined ? { lastDurationMillis: s.lastDurationMs } : {}),
      resourceKinds: ['EVPNFabric', 'EVPNNetwork', 'EVPNVRF'],
    };
    return {
      apiVersion: CONTROL_API_VERSION, kind: 'Status', metadata: { name: `routerd-evpn/${controller.node}` },
      status: { phase, generation, ...(latest ? { lastApplyTime: latest.startedAt } : {}), resourceCount: controller.desired().length, resourcePhaseIssues: issues, controllers: [controllerEntry] },
    };
  });

  app.get(`${API_PREFIX}/get`, async (req) => {
    const subject = String((req.query as Record<string, unknown>).subject ?? 'resources');
    if (subject === 'generations') return getResult({ ledger: { generations: controller.ledger().map(({ reason: _r, ...g }) => g) } });
    const gen = /^generation\/(\d+)$/.exec(subject);
    if (gen) return getResult({ raw: { generation: Number(gen[1]), yaml: await controller.rollbackYaml(Number(gen[1])) } });
    const parts = subject === 'resources' || subject === '' ? [] : subject.split('/');
    if (parts.length > 2 || parts.some((p) => p === '')) throw new CodedError('TARGET_INVALID', `subject "${subject}" is not resources, generations, generation/N, Kind or Kind/name`);
    const [kind, name] = parts;
    const selected = controller.desired().filter((r) => (!kind || r.kind === kind) && (!name || r.metadata.name === name));
    if (name && selected.length === 0) throw new CodedError('NOT_FOUND', `${subject} is not in the desired set`);
    const statuses = await controller.statuses();
    return getResult({ items: selected.map((r) => item(r, statuses.get(`${r.kind}/${r.metadata.name}`))) });
  });

  app.get(`${API_PREFIX}/describe`, async (req) => {
    const target = String((req.query as Record<string, unknown>).target ?? '');
    const parts = target.split('/');
    const [kind, name] = parts;
    if (parts.length !== 2 || !kind || !name) throw new CodedError('TARGET_INVALID', `target "${target}" is not of the form Kind/name`);
    const r = controller.desired().find((x) => x.kind === kind && x.metadata.name === name);
    if (!r) throw new CodedError('NOT_FOUND', `${target} is not in the desired set`);
    const statuses = await controller.statuses();
    return { apiVersion: CONTROL_API_VERSION, kind: 'DescribeResult', metadata: { name }, resource: item(r, statuses.get(target)) };
  });
}
