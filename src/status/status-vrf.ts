// Pure: the status of an EVPNVRF on this node - the VRF device and its table,
// the L3VNI as zebra reports it (state, router MAC), the remote router MACs
// and next hops, the type-5 prefixes imported and originated, the kernel's
// routes in the VRF's table, and the exit uplink when this node is an exit.

import type { Observation } from '../observe/collect.ts';
import { defined } from '../observe/json-narrow.ts';
import type { Type5Route } from '../observe/parse-type5.ts';
import { importsRouteTarget, ownerTag, routeTargetValue } from '../resources/names.ts';
import type { VrfResource } from '../resources/schema.ts';
import type { KernelRoute } from '../system/parse-ip-route.ts';
import type { VrfIntent } from '../translate/intent.ts';
import { type Condition, cond } from './conditions.ts';
import {
  applyPhase,
  deviceView,
  type ResourceStatus,
  resultPhase,
  type StatusInput,
  sameMac,
} from './status-common.ts';
import { exitView, hostExitView } from './status-exit.ts';
import { singleL3Problems } from './status-single.ts';
import { snatView } from './status-snat.ts';

const NOT_ROUTES = new Set(['local', 'broadcast', 'multicast', 'anycast']);

function vrfDeviceProblems(v: VrfIntent, obs: Observation, owner: string): string[] {
  const link = obs.links.find((l) => l.name === v.name);
  if (!link) return [`vrf device ${v.name} missing`];
  const p: string[] = [];
  if (link.kind !== 'vrf') p.push(`${v.name} is a ${link.kind || 'plain'} device, not a VRF`);
  if (link.alias !== owner) p.push(`${v.name} not owned by ${owner} (ifalias ${link.alias ?? 'none'})`);
  if (!link.up) p.push(`vrf ${v.name} down`);
  if (link.kind === 'vrf' && link.vrfTable !== v.table)
    p.push(`vrf ${v.name} table ${link.vrfTable ?? 'none'} != ${v.table}`);
  return p;
}

function l3vniDeviceProblems(v: VrfIntent, obs: Observation, heldBack: string[]): string[] {
  const l3 = v.l3vni;
  if (!l3) return [];
  if (l3.vlan !== undefined) return singleL3Problems(l3, v.name, obs, heldBack);
  const p: string[] = [];
  const br = obs.links.find((l) => l.name === l3.bridge);
  const vx = obs.links.find((l) => l.name === l3.vxlanDevice);
  if (!br) p.push(`L3VNI bridge ${l3.bridge} missing`);
  else {
    if (!br.up) p.push(`L3VNI bridge ${l3.bridge} down`);
    if (br.master !== v.name) p.push(`L3VNI bridge master ${br.master ?? 'none'} != ${v.name}`);
    if (!sameMac(br.address, l3.routerMac))
      p.push(`L3VNI bridge MAC ${br.address ?? 'none'} != router MAC ${l3.routerMac}`);
  }
  if (!vx)
    p.push(
      heldBack.includes(l3.vxlanDevice)
        ? `vxlan ${l3.vxlanDevice} held back until FRR maps VNI ${l3.vni} to VRF ${v.name}`
        : `L3VNI vxlan ${l3.vxlanDevice} missing`,
    );
  else {
    if (!vx.up) p.push(`L3VNI vxlan ${l3.vxlanDevice} down`);
    if (vx.vxlan?.vni !== l3.vni) p.push(`vxlan ${l3.vxlanDevice} VNI ${vx.vxlan?.vni ?? 'none'} != ${l3.vni}`);
    if (vx.master !== l3.bridge) p.push(`vxlan ${l3.vxlanDevice} master ${vx.master ?? 'none'} != ${l3.bridge}`);
  }
  return p;
}

function l3vniCondition(v: VrfIntent, obs: Observation): Condition {
  const l3 = v.l3vni;
  if (!l3) return cond('L3VNIUp', true, 'NoL3VNI', 'asymmetric IRB: no L3VNI, routing between the local SVIs');
  if (!obs.frrReachable) return cond('L3VNIUp', false, 'FRRUnreachable', obs.frrError ?? 'FRR did not answer');
  const fv = obs.vrfVnis.find((x) => x.vrf === v.name);
  if (!fv) return cond('L3VNIUp', false, 'L3VNIMissing', `zebra maps no L3VNI to VRF ${v.name} (show vrf vni)`);
  if (fv.vni !== l3.vni)
    return cond('L3VNIUp', false, 'VNIMismatch', `zebra maps VNI ${fv.vni} to VRF ${v.name}, want ${l3.vni}`);
  if (fv.state !== 'Up')
    return cond(
      'L3VNIUp',
      false,
      'L3VNIDown',
      `L3VNI ${l3.vni} is ${fv.state} (vxlan ${fv.vxlanIntf ?? 'none'}, SVI ${fv.sviIntf ?? 'none'})`,
    );
  if (!sameMac(fv.routerMac, l3.routerMac))
    return cond(
      'L3VNIUp',
      false,
      'RouterMACDiffers',
      `zebra uses router MAC ${fv.routerMac ?? 'none'}, want ${l3.routerMac}`,
    );
  const remote = obs.rmacs.filter((m) => m.vni === l3.vni).length;
  return cond(
    'L3VNIUp',
    true,
    'L3VNIUp',
    `L3VNI ${l3.vni} up on ${fv.vxlanIntf}/${fv.sviIntf}, router MAC ${fv.routerMac}, ${remote} remote router MACs`,
  );
}

// The VRF's own RTs, or when it sets none FRR's auto RT (ASN:L3VNI), which
// FRR matches on the L3VNI alone, whatever the AS part: in an eBGP fabric a
// leaf in AS 65101 imports its neighbour's 65102:4100. "*:N" imports any AS.
function rtMatcher(v: VrfIntent, rts: string[]): (route: Type5Route) => boolean {
  const wanted = new Set(rts);
  const auto = rts.length === 0 && v.l3vni ? String(v.l3vni.vni) : undefined;
  return (route) => {
    if (route.routeTargets.length === 0) return v.l3vni !== undefined && route.vni === v.l3vni.vni;
    return route.routeTargets.some((rt) => importsRouteTarget(wanted, rt) || routeTargetValue(rt) === auto);
  };
}

function type5View(v: VrfIntent, obs: Observation) {
  const imports = rtMatcher(v, v.importRTs);
  const exports = rtMatcher(v, v.exportRTs);
  const valid = obs.type5.filter((r) => r.valid);
  return {
    imported: valid
      .filter((r) => r.originator === 'remote' && imports(r))
      .map((r) => defined({ prefix: r.prefix, nextHop: r.nextHop, rd: r.rd, routerMac: r.routerMac, best: r.best })),
    originated: valid
      .filter((r) => r.originator === 'local' && exports(r))
      .map((r) => defined({ prefix: r.prefix, rd: r.rd, routerMac: r.routerMac })),
  };
}

// The routes that matter in a VRF's table: not the kernel's local, broadcast,
// multicast and per-device IPv6 link-local entries.
export function vrfRoutes(obs: Observation, table: number): KernelRoute[] {
  return obs.routes.filter(
    (r) => r.tableId === table && !NOT_ROUTES.has(r.type) && !(r.protocol === 'kernel' && r.dst === 'fe80::/64'),
  );
}

function routeView(r: KernelRoute) {
  return defined({
    family: r.family,
    dst: r.dst,
    type: r.type === 'unicast' ? undefined : r.type,
    via: r.gateway,
    nexthops: r.nexthops,
    dev: r.dev,
    protocol: r.protocol,
    metric: r.metric,
  });
}

export function vrfStatus(r: VrfResource, input: StatusInput): ResourceStatus {
  const { state: s, obs } = input;
  const id = `EVPNVRF/${r.metadata.name}`;
  const v = input.intent?.vrfs?.find((x) => x.owner === id);
  const base = { observedGeneration: s.appliedGeneration, observedAt: obs.at };
  if (!v) {
    const c = [cond('Scheduled', false, 'NotOnThisNode', `node ${input.node} carries no part of this VRF`)];
    return { ...base, phase: applyPhase(input) ?? 'Applied', conditions: c, onThisNode: false };
  }
  const owner = ownerTag('EVPNVRF', r.metadata.name);
  const conflicts = s.conflicts.filter((c) => c.owner === owner);
  const exit = v.exit ? exitView(v, v.exit, obs) : v.hostExit ? hostExitView(v, v.hostExit, obs) : undefined;
  const snat = snatView(v, input.intent?.snat ?? [], s.snat);
  const conditions = [
    cond('Scheduled', true, 'OnThisNode', `VRF ${v.name} (table ${v.table}, ${v.irb} IRB) on node ${input.node}`),
    devicesCondition(v, input, owner, conflicts),
    l3vniCondition(v, obs),
    ...(exit ? [exit.condition] : []),
    ...(snat ? [snat.condition] : []),
  ];
  return {
    ...base,
    phase: resultPhase(input, conditions, conflicts.length > 0),
    conditions,
    onThisNode: true,
    irb: v.irb,
    vrf: { name: v.name, table: v.table, device: { ...deviceView(obs, v.name), ...vrfTableOf(obs, v.name) } },
    ...(v.l3vni ? l3vniView(v, v.l3vni, obs) : {}),
    type5: type5View(v, obs),
    routes: vrfRoutes(obs, v.table).map(routeView),
    ...(obs.routeError ? { routeError: obs.routeError } : {}),
    networks: v.networks,
    ...(exit ? { exit: exit.view } : {}),
    ...(snat ? { snat: snat.view } : {}),
  };
}

function devicesCondition(
  v: VrfIntent,
  input: StatusInput,
  owner: string,
  conflicts: { message: string }[],
): Condition {
  if (conflicts.length)
    return cond('DevicesReady', false, 'DeviceConflict', conflicts.map((c) => c.message).join('; '));
  const { state: s, obs } = input;
  const problems = [...vrfDeviceProblems(v, obs, owner), ...l3vniDeviceProblems(v, obs, s.kernelHeldBack ?? [])];
  const fine = v.l3vni
    ? 'VRF device, L3VNI bridge and VXLAN device present as desired'
    : 'VRF device present as desired';
  return cond(
    'DevicesReady',
    problems.length === 0,
    problems.length ? 'DevicesDiffer' : 'AsDesired',
    problems.join('; ') || fine,
  );
}

// The L3VNI as zebra and the kernel show it, with remote router MACs and next hops.
function l3vniView(v: VrfIntent, l3: NonNullable<VrfIntent['l3vni']>, obs: Observation) {
  const fv = obs.vrfVnis.find((x) => x.vrf === v.name);
  return {
    l3vni: defined({
      vni: l3.vni,
      state: fv?.state ?? 'Unknown',
      routerMac: fv?.routerMac,
      desiredRouterMac: l3.routerMac,
      vxlanIntf: fv?.vxlanIntf,
      sviIntf: fv?.sviIntf,
      devices: {
        bridge: { ...deviceView(obs, l3.bridge), ...macOf(obs, l3.bridge) },
        vxlan: deviceView(obs, l3.vxlanDevice),
      },
    }),
    remoteRouterMacs: obs.rmacs
      .filter((m) => m.vni === l3.vni)
      .map((m) => ({ routerMac: m.routerMac, vtep: m.vtepIp })),
    nextHops: obs.nextHops
      .filter((h) => h.vni === l3.vni)
      .map((h) => defined({ ip: h.ip, vtep: h.vtep !== h.ip ? h.vtep : undefined, routerMac: h.routerMac })),
  };
}

function vrfTableOf(obs: Observation, name: string): { table?: number } {
  const t = obs.links.find((l) => l.name === name)?.vrfTable;
  return t === undefined ? {} : { table: t };
}

function macOf(obs: Observation, name: string): { mac?: string } {
  const a = obs.links.find((l) => l.name === name)?.address;
  return a === undefined ? {} : { mac: a };
}
