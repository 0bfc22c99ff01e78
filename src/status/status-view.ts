// Pure: the node's routerd Status document: an overall phase, the resources
// that are not Ready, and the reconcile loop as routerd's controller entry.
import type { ReconcileState } from '../controller/reconcile-state.ts';
import type { KnownResource } from '../resources/schema.ts';
import type { ResourceStatus } from './status-common.ts';

export interface NodeStatusInput {
  node: string;
  generation: number;
  lastApplyTime?: string;
  resources: KnownResource[];
  statuses: Map<string, ResourceStatus>;
  state: ReconcileState;
}

export const RESOURCE_KINDS = ['EVPNFabric', 'EVPNNetwork', 'EVPNVRF'];

export function nodeStatus(input: NodeStatusInput) {
  const issues = phaseIssues(input.resources, input.statuses);
  const phase = input.generation === 0 ? 'Pending' : issues.length === 0 ? 'Healthy' : 'Degraded';
  return {
    phase,
    generation: input.generation,
    ...(input.lastApplyTime ? { lastApplyTime: input.lastApplyTime } : {}),
    resourceCount: input.resources.length,
    resourcePhaseIssues: issues,
    controllers: [controllerEntry(input.state)],
  };
}

// One entry per resource that is neither Ready nor Applied, with its first
// failing condition (Scheduled=False only says the node does not carry it).
function phaseIssues(resources: KnownResource[], statuses: Map<string, ResourceStatus>) {
  return resources.flatMap((r) => {
    const st = statuses.get(`${r.kind}/${r.metadata.name}`);
    if (!st || st.phase === 'Ready' || st.phase === 'Applied') return [];
    const bad = st.conditions.find((c) => c.status === 'False' && c.type !== 'Scheduled');
    const why = bad ? { reason: bad.reason, message: bad.message } : {};
    return [{ apiVersion: r.apiVersion, kind: r.kind, name: r.metadata.name, phase: st.phase, ...why }];
  });
}

function controllerEntry(s: ReconcileState) {
  return {
    name: 'evpn-reconciler',
    mode: 'reconcile',
    currentError: s.lastError !== undefined,
    consecutiveErrorCount: s.counters.failures,
    reconcileCount: s.counters.reconciles,
    ...(s.lastError ? { lastError: s.lastError } : {}),
    ...(s.lastErrorAt ? { lastErrorTime: s.lastErrorAt } : {}),
    ...(s.lastSuccessAt ? { lastSuccessTime: s.lastSuccessAt } : {}),
    ...(s.lastReconcileAt ? { lastReconcileTime: s.lastReconcileAt } : {}),
    ...(s.reload.result === 'Reloaded' && s.reload.at ? { lastReloadAt: s.reload.at } : {}),
    ...(s.lastTrigger ? { lastTrigger: s.lastTrigger } : {}),
    ...(s.nextRetryAt ? { nextReconcileTime: s.nextRetryAt } : {}),
    ...(s.lastDurationMs !== undefined ? { lastDurationMillis: s.lastDurationMs } : {}),
    resourceKinds: RESOURCE_KINDS,
  };
}
