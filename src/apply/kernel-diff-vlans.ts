// Pure: the bridge lines of the single VXLAN device. Per planned VLAN: the
// VLAN on the VXLAN port, its tunnel to the VNI, the VNI in the vnifilter,
// the VLAN on the bridge itself for an SVI, per-VLAN neigh_suppress when the
// VLANs differ; access ports untagged with their network's VLAN as PVID.
// Everything on the VXLAN device and the bridge is ours (they are), so what
// is not planned there goes; on a port only an old PVID of ours goes.
import type { DevicePlan, PlannedDevice, PlannedVlan, VxlanDevice } from '../render/devices.ts';
import type { BridgeVlans, PortVlan } from '../system/parse-bridge-vlan.ts';
import type { ObservedLink } from '../system/parse-ip-link.ts';
import { type KernelChanges, note } from './kernel-changes.ts';

export interface VlanContext {
  plan: DevicePlan;
  devices: PlannedDevice[]; // the planned devices not blocked by a conflict
  links: Map<string, ObservedLink>;
  bridge: BridgeVlans;
  fresh: Set<string>; // devices this change creates or recreates: their VLANs start empty
  blocked: Set<string>; // owners whose devices conflict
  c: KernelChanges;
}

interface Have {
  vids: Map<number, PortVlan>; // on the VXLAN port
  tunnels: Map<number, number>; // vid -> vni
  vnis: Set<number>;
  self: Set<number>; // on the bridge itself
}

function observed(x: VlanContext, vx: VxlanDevice): Have {
  const br = vx.master;
  // A recreated bridge re-enslaves the VXLAN device with no VLANs; the
  // vnifilter lives on the VXLAN device itself.
  const portReset = x.fresh.has(vx.name) || x.fresh.has(br);
  return {
    vids: new Map((portReset ? [] : (x.bridge.vlans[vx.name] ?? [])).map((v) => [v.vid, v])),
    tunnels: new Map((portReset ? [] : (x.bridge.tunnels[vx.name] ?? [])).map((t) => [t.vid, t.vni])),
    vnis: new Set(x.fresh.has(vx.name) ? [] : (x.bridge.vnis[vx.name] ?? [])),
    self: new Set((x.fresh.has(br) ? [] : (x.bridge.vlans[br] ?? [])).map((v) => v.vid)),
  };
}

function removals(vx: VxlanDevice, all: PlannedVlan[], have: Have, emit: Emit): void {
  const byVid = new Map(all.map((v) => [v.vid, v]));
  const vnis = new Set(all.map((v) => v.vni));
  for (const vid of [...have.vids.keys()]) {
    const want = byVid.get(vid);
    const tunnel = have.tunnels.get(vid);
    if (want && (tunnel === undefined || tunnel === want.vni)) continue;
    // Deleting the VLAN also drops its tunnel; a changed mapping is re-added below.
    emit(
      vx.owner,
      `vlan del dev ${vx.name} vid ${vid}`,
      `- vlan ${vid}${tunnel ? ` (vni ${tunnel})` : ''} on ${vx.name}`,
    );
    have.vids.delete(vid);
    have.tunnels.delete(vid);
  }
  for (const vni of [...have.vnis].filter((n) => !vnis.has(n)))
    emit(vx.owner, `vni del dev ${vx.name} vni ${vni}`, `- vni ${vni} on ${vx.name}`);
  for (const vid of [...have.self].filter((v) => !byVid.get(v)?.self))
    emit(vx.owner, `vlan del dev ${vx.master} vid ${vid} self`, `- vlan ${vid} on ${vx.master}`);
}

type Emit = (owner: string, line: string, summary: string) => void;

function additions(vx: VxlanDevice, wanted: PlannedVlan[], have: Have, emit: Emit): void {
  for (const v of wanted) {
    const on = `vlan ${v.vid} -> vni ${v.vni} on ${vx.name}`;
    if (!have.vids.has(v.vid)) emit(v.owner, `vlan add dev ${vx.name} vid ${v.vid}`, `+ ${on}`);
    if (have.tunnels.get(v.vid) !== v.vni)
      emit(v.owner, `vlan add dev ${vx.name} vid ${v.vid} tunnel_info id ${v.vni}`, `+ tunnel ${on}`);
    if (!have.vnis.has(v.vni)) emit(v.owner, `vni add dev ${vx.name} vni ${v.vni}`, `+ vni ${v.vni} on ${vx.name}`);
    if (v.self && !have.self.has(v.vid))
      emit(v.owner, `vlan add dev ${vx.master} vid ${v.vid} self`, `+ vlan ${v.vid} on ${vx.master} (SVI)`);
    if (vx.neighVlanSuppress && have.vids.get(v.vid)?.neighSuppress !== v.neighSuppress) {
      const flag = v.neighSuppress ? 'on' : 'off';
      emit(
        v.owner,
        `vlan set dev ${vx.name} vid ${v.vid} neigh_suppress ${flag}`,
        `~ vlan ${v.vid} on ${vx.name}: neigh_suppress ${flag}`,
      );
    }
  }
}

// Access ports on the bridge: untagged in their VLAN, which is their PVID.
function portVlans(x: VlanContext, br: string, emit: Emit): void {
  for (const p of x.plan.ports) {
    if (p.vlan === undefined || p.master !== br || x.blocked.has(p.owner)) continue;
    const link = x.links.get(p.name);
    if (!link) continue; // reported missing by diffPorts
    const reset = link.master !== br || x.fresh.has(br);
    const have = reset ? [] : (x.bridge.vlans[p.name] ?? []);
    for (const old of have.filter((v) => v.pvid && v.vid !== p.vlan))
      emit(p.owner, `vlan del dev ${p.name} vid ${old.vid}`, `- port ${p.name} vlan ${old.vid}`);
    if (!have.some((v) => v.vid === p.vlan && v.pvid && v.untagged))
      emit(
        p.owner,
        `vlan add dev ${p.name} vid ${p.vlan} pvid untagged`,
        `+ port ${p.name} vlan ${p.vlan} pvid untagged`,
      );
  }
}

export function diffVlans(x: VlanContext): string[] {
  const vx = x.devices.find((d): d is VxlanDevice => d.kind === 'vxlan' && d.vnifilter === true);
  if (!vx) return [];
  const lines: string[] = [];
  const emit: Emit = (owner, line, summary) => {
    lines.push(line);
    note(x.c, owner, summary);
  };
  const all = x.plan.vlans ?? [];
  const have = observed(x, vx);
  removals(vx, all, have, emit);
  additions(
    vx,
    all.filter((v) => !x.blocked.has(v.owner)),
    have,
    emit,
  );
  portVlans(x, vx.master, emit);
  return lines;
}
