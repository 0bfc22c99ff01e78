// Pure: desired resources + the reconciler's results + one observation ->
// the status of every resource, as the contract describes it.
import type { ReconcileState } from '../apply/reconcile-state.ts';
import { isOwned } from '../apply/kernel-diff.ts';
import type { FabricResource, KnownResource, NetworkResource } from '../resources/schema.ts';
import type { NodeIntent, L2VniIntent } from '../translate/intent.ts';
import type { Observation } from './collect.ts';
import { cond, type Condition, type Phase } from './conditions.ts';

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

function applyPhase(input: StatusInput): Phase | undefined {
  const s = input.state;
  if (s.conversion.result === 'Failed') return 'Error';
  if (s.generation !== input.generation || s.conversion.result === 'Pending') return 'Pending';
  if (s.kernel.result === 'Failed' || s.reload.result === 'Failed') return 'Error';
  return undefined;
}

export function fabricStatus(f: FabricResource, input: StatusInput): ResourceStatus {
  const { state: s, obs } = input;
  const sessions = obs.bgp.sessions;
  const down = sessions.filter((x) => !x.established);
  const expected = input.intent?.neighbors.length ?? 0;
  const conditions = [
    cond('Converted', s.conversion.result === 'Succeeded', s.conversion.result === 'Failed' ? 'ConversionFailed' : s.conversion.result, s.conversion.message ?? 'resources translated and rendered'),
    cond('FRRReachable', obs.frrReachable, obs.frrReachable ? 'VtyshAnswered' : 'FRRUnreachable', obs.frrError ?? `daemons: ${obs.daemons.join(', ')}`),
    cond('KernelApplied', s.kernel.result === 'Applied' || s.kernel.result === 'Unchanged', s.kernel.result, s.kernel.message ?? `${s.kernel.writes} kernel writes on the last run`),
    cond('FRRConfigured', s.reload.result === 'Reloaded' || s.reload.result === 'Unchanged', s.reload.result, s.reload.message ?? `${s.reload.commands} FRR commands on the last run`),
    cond('SessionsEstablished', down.length === 0 && sessions.length >= expected, down.length === 0 && sessions.length >= expected ? 'AllEstablished' : 'SessionsDown',
      `${sessions.length - down.length}/${Math.max(expected, sessions.length)} established${down.length ? `; down: ${down.map((x) => `${x.peer} (${x.state})`).join(', ')}` : ''}`),
  ];
  const phase = applyPhase(input) ?? (conditions.every((c) => c.status === 'True') ? 'Ready' : 'Degraded');
  return {
    phase, observedGeneration: s.appliedGeneration, observedAt: obs.at, conditions,
    node: input.node,
    bgp: { routerId: obs.bgp.routerId, as: obs.bgp.as, sessions },
    frr: { reachable: obs.frrReachable, daemons: obs.daemons, ...(input.pathspace ? { pathspace: input.pathspace } : {}) },
    conversion: s.conversion, reload: s.reload, kernel: s.kernel,
    renderedConfigHash: s.renderedConfigHash, runningConfigHash: obs.runningConfigHash,
    counters: s.counters, lastError: s.lastError, nextRetryAt: s.nextRetryAt,
    name: f.metadata.name,
  };
}

function deviceView(obs: Observation, name: string) {
  const link = obs.links.find((l) => l.name === name);
  if (!link) return { name, present: false };
  return {
    name, present: true, owned: isOwned(link), up: link.up, mtu: link.mtu,
    ...(link.master ? { master: link.master } : {}),
    ...(link.vxlan ? { vni: link.vxlan.vni, local: link.vxlan.local, dstport: link.vxlan.dstport } : {}),
    ...(link.bridgePort ? { learning: link.bridgePort.learning, neighSuppress: link.bridgePort.neighSuppress } : {}),
  };
}

function deviceProblems(v: L2VniIntent, obs: Observation): string[] {
  const p: string[] = [];
  const br = obs.links.find((l) => l.name === v.bridge);
  const vx = obs.links.find((l) => l.name === v.vxlanDevice);
  if (!br) p.push(`bridge ${v.bridge} missing`);
  else if (!br.up) p.push(`bridge ${v.bridge} down`);
  if (!vx) p.push(`vxlan ${v.vxlanDevice} missing`);
  else {
    if (!vx.up) p.push(`vxlan ${v.vxlanDevice} down`);
    if (vx.mtu !== v.mtu) p.push(`vxlan mtu ${vx.mtu} != ${v.mtu}`);
    if (vx.master !== v.bridge) p.push(`vxlan master ${vx.master ?? 'none'} != ${v.bridge}`);
    if (vx.bridgePort?.learning !== v.macLearning) p.push(`learning ${vx.bridgePort?.learning ? 'on' : 'off'}`);
    if (vx.bridgePort?.neighSuppress !== v.arpNdSuppression) p.push(`neigh_suppress ${vx.bridgePort?.neighSuppress ? 'on' : 'off'}`);
  }
  return p;
}

export function networkStatus(n: NetworkResource, input: StatusInput): ResourceStatus {
  const { state: s, obs } = input;
  const id = `EVPNNetwork/${n.metadata.name}`;
  const v = input.intent?.l2vnis.find((x) => x.owner === id);
  const base = { observedGeneration: s.appliedGeneration, observedAt: obs.at, vni: n.spec.vni };
  if (!v) {
    const c = [cond('Scheduled', false, 'NotOnThisNode', `node ${input.node} carries no devices for this network`)];
    return { ...base, phase: applyPhase(input) ?? 'Applied', conditions: c, onThisNode: false };
  }
  const conflicts = s.conflicts.filter((c) => c.owner === `routerd-evpn:${id}`);
  const missing = s.missingPorts.filter((p) => p.owner === `routerd-evpn:${id}`);
  const problems = deviceProblems(v, obs);
  const fv = obs.vnis.find((x) => x.vni === v.vni);
  const macs = obs.macs.filter((m) => m.vni === v.vni);
  const conditions = [
    cond('Scheduled', true, 'OnThisNode', `bridge ${v.bridge} and ${v.vxlanDevice} on node ${input.node}`),
    conflicts.length
      ? cond('DevicesReady', false, 'DeviceConflict', conflicts.map((c) => c.message).join('; '))
      : cond('DevicesReady', problems.length === 0, problems.length ? 'DevicesDiffer' : 'AsDesired', problems.join('; ') || 'bridge and VXLAN device present with the desired flags'),
    cond('PortsAttached', missing.length === 0, missing.length ? 'PortMissing' : 'Attached', missing.length ? `missing interfaces: ${missing.map((p) => p.name).join(', ')}` : `${v.ports.length} ports attached`),
    cond('KnownToFRR', fv !== undefined, fv ? 'VNIPresent' : 'VNIMissing', fv ? `zebra has VNI ${v.vni} on ${fv.vxlanIf} with ${fv.remoteVteps.length} remote VTEPs` : obs.frrError ?? `zebra does not list VNI ${v.vni}`),
  ];
  const phase = applyPhase(input) ?? (conflicts.length ? 'Error' : conditions.every((c) => c.status === 'True') ? 'Ready' : 'Degraded');
  return {
    ...base, phase, conditions, onThisNode: true,
    devices: { bridge: deviceView(obs, v.bridge), vxlan: deviceView(obs, v.vxlanDevice) },
    ports: v.ports.map((p) => ({ name: p, present: obs.links.some((l) => l.name === p), attached: obs.links.find((l) => l.name === p)?.master === v.bridge })),
    frr: { known: fv !== undefined, vxlanIf: fv?.vxlanIf, remoteVteps: fv?.remoteVteps ?? [], numMacs: fv?.numMacs ?? 0, numArpNd: fv?.numArpNd ?? 0 },
    macs: { local: macs.filter((m) => m.type === 'local').length, remote: macs.filter((m) => m.type === 'remote').length, entries: macs.map(({ vni: _vni, ...m }) => m) },
    arpNd: obs.neighbors.filter((x) => x.vni === v.vni).map(({ vni: _vni, ...x }) => x),
  };
}

export function buildStatuses(input: StatusInput): Map<string, ResourceStatus> {
  const out = new Map<string, ResourceStatus>();
  for (const r of input.resources) {
    const id = `${r.kind}/${r.metadata.name}`;
    out.set(id, r.kind === 'EVPNFabric' ? fabricStatus(r, input) : networkStatus(r, input));
  }
  return out;
}
