// What every status builder shares: the input, the result shape, the phase
// the reconciler's results impose, and one device's view.
import type { ReconcileState } from '../controller/reconcile-state.ts';
import type { Observation } from '../observe/collect.ts';
import { isOwnerTag } from '../resources/names.ts';
import type { KnownResource } from '../resources/schema.ts';
import type { NodeIntent } from '../translate/intent.ts';
import type { Condition, Phase } from './conditions.ts';

export interface ResourceStatus {
  phase: Phase;
  observedGeneration: number;
  observedAt: string;
  conditions: Condition[];
  [key: string]: unknown;
}

export interface StatusInput {
  node: string;
  generation: number;
  pathspace?: string;
  resources: KnownResource[];
  intent: NodeIntent | undefined;
  state: ReconcileState;
  obs: Observation;
}

export function applyPhase(input: StatusInput): Phase | undefined {
  const s = input.state;
  if (s.conversion.result === 'Failed' || s.preflight?.result === 'Refused') return 'Error';
  if (s.generation !== input.generation || s.conversion.result === 'Pending') return 'Pending';
  if (s.kernel.result === 'Failed' || s.reload.result === 'Failed' || s.snat?.result === 'Failed') return 'Error';
  return undefined;
}

// Ready when every condition holds; a device conflict is an Error, anything else Degraded.
export function resultPhase(input: StatusInput, conditions: Condition[], conflicted: boolean): Phase {
  return (
    applyPhase(input) ?? (conflicted ? 'Error' : conditions.every((c) => c.status === 'True') ? 'Ready' : 'Degraded')
  );
}

export function deviceView(obs: Observation, name: string) {
  const link = obs.links.find((l) => l.name === name);
  if (!link) return { name, present: false };
  return {
    name,
    present: true,
    owned: isOwnerTag(link.alias),
    up: link.up,
    mtu: link.mtu,
    ...(link.master ? { master: link.master } : {}),
    ...(link.vxlan ? { vni: link.vxlan.vni, local: link.vxlan.local, dstport: link.vxlan.dstport } : {}),
    ...(link.bridgePort ? { learning: link.bridgePort.learning, neighSuppress: link.bridgePort.neighSuppress } : {}),
  };
}

export function sameMac(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}
