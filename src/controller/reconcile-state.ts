// What the reconciler learned on its last runs; read by the status builder.
import type { DeviceConflict } from '../apply/kernel-changes.ts';
import type { PlannedPort } from '../render/devices.ts';

export interface StepResult<R extends string> {
  result: R;
  message?: string;
  at?: string;
}

export interface ReconcileState {
  generation: number; // the generation the last run worked on
  appliedGeneration: number; // the newest generation fully applied
  conversion: StepResult<'Succeeded' | 'Failed' | 'Pending'> & { terminal?: boolean };
  kernel: StepResult<'Applied' | 'Unchanged' | 'Failed' | 'Pending'> & { writes: number; changes: string[] };
  reload: StepResult<'Reloaded' | 'Unchanged' | 'Failed' | 'Pending'> & { commands: number };
  // Only on a node with the single VXLAN device: FRR and kernel checked before anything is touched.
  preflight?: StepResult<'Passed' | 'Refused' | 'Failed'> & { reason: string };
  frrReachable: boolean | undefined;
  conflicts: DeviceConflict[];
  missingPorts: PlannedPort[];
  attachedPorts: PlannedPort[];
  kernelHeldBack: string[]; // new L3VNIs waiting for FRR's vrf/vni mapping (see apply/l3vni-order.ts)
  kernelKeptForNow: string[]; // devices of removed VRFs and L3VNIs, deleted once FRR dropped them
  forwardingError?: string; // IP forwarding could not be switched on
  // Only on a node with SNAT (or whose SNAT table was just removed): the rules
  // as nft lists them, and the wanted ones with no way out (no default route).
  snat?: StepResult<'Applied' | 'Removed' | 'Unchanged' | 'Failed'> & { rules: string[]; unrouted: string[] };
  renderedConfigHash?: string;
  counters: { reconciles: number; reloads: number; frrCommands: number; kernelWrites: number; failures: number };
  lastError?: string;
  lastErrorAt?: string;
  lastSuccessAt?: string;
  lastReconcileAt?: string;
  lastDurationMs?: number;
  lastTrigger?: string;
  nextRetryAt?: string;
}

export function initialState(): ReconcileState {
  return {
    generation: 0,
    appliedGeneration: 0,
    conversion: { result: 'Pending' },
    kernel: { result: 'Pending', writes: 0, changes: [] },
    reload: { result: 'Pending', commands: 0 },
    frrReachable: undefined,
    conflicts: [],
    missingPorts: [],
    attachedPorts: [],
    kernelHeldBack: [],
    kernelKeptForNow: [],
    counters: { reconciles: 0, reloads: 0, frrCommands: 0, kernelWrites: 0, failures: 0 },
  };
}
