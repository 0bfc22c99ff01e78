// Pure: desired resources + the reconciler's results + one observation ->
// the status of every resource, as the contract describes it. EVPNVRF lives
// in status-vrf.ts, shared pieces in status-common.ts.

import type { Observation } from '../observe/collect.ts';
import type { EvpnVni } from '../observe/parse-evpn.ts';
import { canonicalCidr } from '../resources/cidr.ts';
import { ownerResourceId } from '../resources/names.ts';
import type { FabricResource, NetworkResource } from '../resources/schema.ts';
import type { L2VniIntent } from '../translate/intent.ts';
import { type Condition, cond } from './conditions.ts';
import { applyPhase, deviceView, type ResourceStatus, type StatusInput, sameMac } from './status-common.ts';
import { bfdConditions, sessionsCondition, sessionViews } from './status-sessions.ts';
import { preflightConditions, singleNetworkProblems } from './status-single.ts';
import { peerLinkConditions, underlayConditions, underlayReadyCondition, underlayView } from './status-underlay.ts';
import { vrfStatus } from './status-vrf.ts';

export type { ResourceStatus, StatusInput } from './status-common.ts';

// Converted, FRRReachable, KernelApplied, FRRConfigured, SessionsEstablished.
function fabricConditions(input: StatusInput): Condition[] {
  const { state: s, obs } = input;
  const sessions = sessionViews(input.intent, obs);
  return [
    cond(
      'Converted',
      s.conversion.result === 'Succeeded',
      s.conversion.result === 'Failed' ? 'ConversionFailed' : s.conversion.result,
      s.conversion.message ?? 'resources translated and rendered',
    ),
    cond(
      'FRRReachable',
      obs.frrReachable,
      obs.frrReachable ? 'VtyshAnswered' : 'FRRUnreachable',
      obs.frrError ?? `daemons: ${obs.daemons.join(', ')}`,
    ),
    cond(
      'KernelApplied',
      s.kernel.result === 'Applied' || s.kernel.result === 'Unchanged',
      s.kernel.result,
      s.kernel.message ?? `${s.kernel.writes} kernel writes on the last run`,
    ),
    cond(
      'FRRConfigured',
      s.reload.result === 'Reloaded' || s.reload.result === 'Unchanged',
      s.reload.result,
      s.reload.message ?? `${s.reload.commands} FRR commands on the last run`,
    ),
    sessionsCondition(input.intent, sessions),
    ...preflightConditions(s),
    ...underlayConditions(input.intent?.underlay, obs),
    ...underlayReadyCondition(input.intent?.underlay, obs),
    ...peerLinkConditions(
      (input.intent?.peers ?? []).filter((p) => p.interface).map((p) => p.neighbor),
      obs,
    ),
    ...bfdConditions(input.intent, obs, sessions),
  ];
}

export function fabricStatus(f: FabricResource, input: StatusInput): ResourceStatus {
  const { state: s, obs } = input;
  const conditions = fabricConditions(input);
  const phase = applyPhase(input) ?? (conditions.every((c) => c.status === 'True') ? 'Ready' : 'Degraded');
  const pathspace = input.pathspace ? { pathspace: input.pathspace } : {};
  return {
    phase,
    observedGeneration: s.appliedGeneration,
    observedAt: obs.at,
    conditions,
    node: input.node,
    bgp: { routerId: obs.bgp.routerId, as: obs.bgp.as, sessions: sessionViews(input.intent, obs) },
    ...(input.intent?.underlay ? { underlay: underlayView(input.intent.underlay, obs) } : {}),
    frr: {
      reachable: obs.frrReachable,
      daemons: obs.daemons,
      ...(obs.frrVersion ? { version: obs.frrVersion } : {}),
      ...pathspace,
    },
    conversion: s.conversion,
    reload: s.reload,
    kernel: s.kernel,
    renderedConfigHash: s.renderedConfigHash,
    runningConfigHash: obs.runningConfigHash,
    counters: s.counters,
    lastError: s.lastError,
    nextRetryAt: s.nextRetryAt,
    ...(s.forwardingError ? { forwardingError: s.forwardingError } : {}),
    name: f.metadata.name,
  };
}

function deviceProblems(v: L2VniIntent, obs: Observation): string[] {
  if (v.vlan !== undefined) return singleNetworkProblems(v, obs);
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
    if (vx.bridgePort?.neighSuppress !== v.arpNdSuppression)
      p.push(`neigh_suppress ${vx.bridgePort?.neighSuppress ? 'on' : 'off'}`);
  }
  if (v.vrf !== undefined && br && br.master !== v.vrf)
    p.push(`bridge ${v.bridge} master ${br.master ?? 'none'} != VRF ${v.vrf}`);
  return p;
}

// A family's gateway addresses as the spec gives them: one CIDR, or a list.
const familyView = (k: 'ipv4' | 'ipv6', cidrs: string[]) =>
  cidrs.length === 0 ? {} : { [k]: cidrs.length === 1 ? cidrs[0] : cidrs };

// The anycast gateway: the bridge (SVI) in the VRF with the gateway MAC and addresses.
function gatewayView(
  v: L2VniIntent,
  obs: Observation,
): { condition: Condition; view: Record<string, unknown> } | undefined {
  const gw = v.gateway;
  if (!gw) return undefined;
  const sviName = v.svi ?? v.bridge; // single VXLAN device: a VLAN device on the shared bridge
  const br = obs.links.find((l) => l.name === sviName);
  const have = new Set((br?.addresses ?? []).map(canonicalCidr));
  const addresses = [...gw.ipv4, ...gw.ipv6].map((a) => ({ address: a, present: have.has(canonicalCidr(a)) }));
  const inVrf = v.vrf === undefined || br?.master === v.vrf;
  const macAsDesired = sameMac(br?.address, gw.mac);
  const p: string[] = [];
  if (!br) p.push(`SVI ${sviName} missing`);
  else {
    if (!inVrf) p.push(`SVI ${sviName} master ${br.master ?? 'none'} != VRF ${v.vrf}`);
    if (!macAsDesired) p.push(`SVI MAC ${br.address ?? 'none'} != gateway MAC ${gw.mac}`);
    for (const a of addresses) if (!a.present) p.push(`address ${a.address} missing on ${sviName}`);
  }
  return {
    condition: cond(
      'GatewayReady',
      p.length === 0,
      p.length ? 'GatewayDiffers' : 'AsDesired',
      p.join('; ') || `anycast gateway ${addresses.map((a) => a.address).join(', ')} (${gw.mac}) on ${sviName}`,
    ),
    view: {
      ...familyView('ipv4', gw.ipv4),
      ...familyView('ipv6', gw.ipv6),
      mac: gw.mac,
      svi: {
        name: sviName,
        present: br !== undefined,
        inVrf: br !== undefined && inVrf,
        ...(br?.address ? { mac: br.address } : {}),
        macAsDesired,
        addresses,
      },
    },
  };
}

// Scheduled, DevicesReady, PortsAttached, KnownToFRR.
function networkConditions(v: L2VniIntent, input: StatusInput, fv: EvpnVni | undefined): Condition[] {
  const { state: s, obs } = input;
  const conflicts = s.conflicts.filter((c) => ownerResourceId(c.owner) === v.owner);
  const missing = s.missingPorts.filter((p) => ownerResourceId(p.owner) === v.owner);
  const problems = deviceProblems(v, obs);
  return [
    cond('Scheduled', true, 'OnThisNode', `bridge ${v.bridge} and ${v.vxlanDevice} on node ${input.node}`),
    conflicts.length
      ? cond('DevicesReady', false, 'DeviceConflict', conflicts.map((c) => c.message).join('; '))
      : cond(
          'DevicesReady',
          problems.length === 0,
          problems.length ? 'DevicesDiffer' : 'AsDesired',
          problems.join('; ') || 'bridge and VXLAN device present with the desired flags',
        ),
    cond(
      'PortsAttached',
      missing.length === 0,
      missing.length ? 'PortMissing' : 'Attached',
      missing.length
        ? `missing interfaces: ${missing.map((p) => p.name).join(', ')}`
        : `${v.ports.length} ports attached`,
    ),
    cond(
      'KnownToFRR',
      fv !== undefined,
      fv ? 'VNIPresent' : 'VNIMissing',
      fv
        ? `zebra has VNI ${v.vni} on ${fv.vxlanIf} with ${fv.remoteVteps.length} remote VTEPs`
        : (obs.frrError ?? `zebra does not list VNI ${v.vni}`),
    ),
  ];
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
  const fv = obs.vnis.find((x) => x.vni === v.vni);
  const conditions = networkConditions(v, input, fv);
  const gateway = gatewayView(v, obs);
  if (gateway) conditions.push(gateway.condition);
  const conflicted = conditions.some((c) => c.reason === 'DeviceConflict');
  const phase =
    applyPhase(input) ?? (conflicted ? 'Error' : conditions.every((c) => c.status === 'True') ? 'Ready' : 'Degraded');
  return {
    ...base,
    phase,
    conditions,
    onThisNode: true,
    ...networkView(v, obs, fv),
    ...(gateway ? { gateway: gateway.view } : {}),
  };
}

// What the kernel and FRR show of one network on this node.
function networkView(v: L2VniIntent, obs: Observation, fv: EvpnVni | undefined) {
  const macs = obs.macs.filter((m) => m.vni === v.vni);
  return {
    devices: {
      bridge: deviceView(obs, v.bridge),
      vxlan: deviceView(obs, v.vxlanDevice),
      ...(v.vlan !== undefined ? { vlan: v.vlan } : {}),
      ...(v.svi !== undefined ? { svi: deviceView(obs, v.svi) } : {}),
    },
    ports: v.ports.map((p) => ({
      name: p,
      present: obs.links.some((l) => l.name === p),
      attached: obs.links.find((l) => l.name === p)?.master === v.bridge,
    })),
    frr: {
      known: fv !== undefined,
      vxlanIf: fv?.vxlanIf,
      remoteVteps: fv?.remoteVteps ?? [],
      numMacs: fv?.numMacs ?? 0,
      numArpNd: fv?.numArpNd ?? 0,
    },
    macs: {
      local: macs.filter((m) => m.type === 'local').length,
      remote: macs.filter((m) => m.type === 'remote').length,
      entries: macs.map(({ vni: _vni, ...m }) => m),
    },
    arpNd: obs.neighbors.filter((x) => x.vni === v.vni).map(({ vni: _vni, ...x }) => x),
    ...(v.vrf !== undefined ? { vrf: v.vrf, tenantVrf: fv?.tenantVrf } : {}),
  };
}

export function buildStatuses(input: StatusInput): Map<string, ResourceStatus> {
  const out = new Map<string, ResourceStatus>();
  for (const r of input.resources) {
    const id = `${r.kind}/${r.metadata.name}`;
    out.set(
      id,
      r.kind === 'EVPNFabric'
        ? fabricStatus(r, input)
        : r.kind === 'EVPNVRF'
          ? vrfStatus(r, input)
          : networkStatus(r, input),
    );
  }
  return out;
}
