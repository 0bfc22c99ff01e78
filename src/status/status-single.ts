// Pure: what the kernel shows of a network or an L3VNI on a node with the
// single VXLAN device: the shared bridge and VXLAN device with their flags,
// the VLAN on the VXLAN port mapped to the VNI, the VNI in the vnifilter, and
// the SVI (a VLAN device on the bridge) in its VRF.
import type { ReconcileState } from '../controller/reconcile-state.ts';
import type { Observation } from '../observe/collect.ts';
import type { L2VniIntent, L3VniIntent } from '../translate/intent.ts';
import { type Condition, cond } from './conditions.ts';
import { sameMac } from './status-common.ts';

// The EVPNFabric's PreflightPassed, only on a node with the single VXLAN
// device (controller/preflight.ts): FRR >= 9.0 and a kernel that can.
export function preflightConditions(s: ReconcileState): Condition[] {
  const p = s.preflight;
  return p ? [cond('PreflightPassed', p.result === 'Passed', p.reason, p.message ?? '')] : [];
}

const link = (obs: Observation, name: string) => obs.links.find((l) => l.name === name);

// The VLAN -> VNI mapping on the shared VXLAN device.
export function vlanMappingProblems(obs: Observation, vxlan: string, vlan: number, vni: number): string[] {
  const b = obs.bridgeVlans;
  if (!b) return [`VLAN views not read${obs.bridgeVlanError ? `: ${obs.bridgeVlanError}` : ''}`];
  const p: string[] = [];
  if (!(b.vlans[vxlan] ?? []).some((v) => v.vid === vlan)) p.push(`vlan ${vlan} missing on ${vxlan}`);
  const tunnel = (b.tunnels[vxlan] ?? []).find((t) => t.vid === vlan);
  if (tunnel?.vni !== vni) p.push(`vlan ${vlan} maps to vni ${tunnel?.vni ?? 'none'} != ${vni}`);
  if (!(b.vnis[vxlan] ?? []).includes(vni)) p.push(`vni ${vni} missing in the vnifilter of ${vxlan}`);
  return p;
}

// An SVI on the shared bridge: present, up, on the right VLAN, in its VRF.
export function sviProblems(obs: Observation, svi: string, vlan: number, vrf: string | undefined): string[] {
  const l = link(obs, svi);
  if (!l) return [`SVI ${svi} missing`];
  const p: string[] = [];
  if (!l.up) p.push(`SVI ${svi} down`);
  if (l.vlan?.id !== vlan) p.push(`SVI ${svi} vlan ${l.vlan?.id ?? 'none'} != ${vlan}`);
  if (vrf !== undefined && l.master !== vrf) p.push(`SVI ${svi} master ${l.master ?? 'none'} != VRF ${vrf}`);
  return p;
}

export function singleNetworkProblems(v: L2VniIntent, obs: Observation): string[] {
  const p: string[] = [];
  const br = link(obs, v.bridge);
  const vx = link(obs, v.vxlanDevice);
  if (!br) p.push(`bridge ${v.bridge} missing`);
  else if (!br.up) p.push(`bridge ${v.bridge} down`);
  if (!vx) p.push(`vxlan ${v.vxlanDevice} missing`);
  else {
    if (!vx.up) p.push(`vxlan ${v.vxlanDevice} down`);
    if (!vx.vxlan?.vnifilter) p.push(`vxlan ${v.vxlanDevice} has no vnifilter`);
    if (vx.master !== v.bridge) p.push(`vxlan master ${vx.master ?? 'none'} != ${v.bridge}`);
    if (vx.bridgePort?.learning !== v.macLearning) p.push(`learning ${vx.bridgePort?.learning ? 'on' : 'off'}`);
    const suppressed = vx.bridgePort?.neighVlanSuppress
      ? obs.bridgeVlans?.vlans[v.vxlanDevice]?.find((x) => x.vid === v.vlan)?.neighSuppress
      : vx.bridgePort?.neighSuppress;
    if (suppressed !== undefined && suppressed !== v.arpNdSuppression)
      p.push(`neigh_suppress ${suppressed ? 'on' : 'off'}`);
  }
  if (v.vlan === undefined) return p;
  p.push(...vlanMappingProblems(obs, v.vxlanDevice, v.vlan, v.vni));
  if (v.svi !== undefined) p.push(...sviProblems(obs, v.svi, v.vlan, v.vrf));
  return p;
}

// The L3VNI: its SVI with the router MAC, its VLAN mapped to the VNI.
export function singleL3Problems(l3: L3VniIntent, vrf: string, obs: Observation, heldBack: string[]): string[] {
  if (l3.vlan === undefined) return [];
  const p = sviProblems(obs, l3.bridge, l3.vlan, vrf);
  const svi = link(obs, l3.bridge);
  if (svi && !sameMac(svi.address, l3.routerMac))
    p.push(`L3VNI SVI MAC ${svi.address ?? 'none'} != router MAC ${l3.routerMac}`);
  if (heldBack.some((h) => h.startsWith(`vni ${l3.vni} `)))
    p.push(`vni ${l3.vni} held back until FRR maps it to VRF ${vrf}`);
  else p.push(...vlanMappingProblems(obs, l3.vxlanDevice, l3.vlan, l3.vni));
  return p;
}
