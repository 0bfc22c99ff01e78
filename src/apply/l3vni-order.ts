// The order L3VNIs need between the kernel and FRR. zebra must know a VNI is
// an L3VNI (`vrf X` / `vni N`) before it sees its VXLAN device, or it takes
// it for an L2VNI; and FRR must drop `vni N` before the device goes (FRR
// 10.3's zebra can crash on an L3VNI whose devices vanish under it; FRR's own
// fix is PR 20494). So the kernel pass before the FRR reload leaves out new
// L3VNIs and keeps the devices of VRFs and L3VNIs being removed; the pass
// after the reload adds the first and removes the second.
import type { DevicePlan, PlannedDevice, PlannedVlan } from '../render/device-plan.ts';
import { ownerTag } from '../resources/names.ts';
import type { BridgeVlans } from '../system/parse-bridge-vlan.ts';
import type { ObservedLink } from '../system/parse-ip-link.ts';
import { planFromObserved } from './kernel-restore.ts';

export interface FirstPass {
  plan: DevicePlan;
  held: string[]; // new L3VNIs left for after the reload: VXLAN devices, or "vni N (vlan V)"
  kept: string[]; // devices of removed VRFs and L3VNIs, deleted after the reload
}

const VRF_OWNER = ownerTag('EVPNVRF', '');

export function firstPass(plan: DevicePlan, links: ObservedLink[], bridge: BridgeVlans): FirstPass {
  const withoutNew = withoutNewL3vni(plan, new Set(links.map((l) => l.name)), bridge);
  const withKept = keepingRemovedVrfs(withoutNew.plan, links, bridge);
  return { plan: withKept.plan, held: withoutNew.held, kept: withKept.kept };
}

// The plan without L3VNI VXLAN devices the kernel does not have yet; with the
// single VXLAN device, without L3VNI VLANs whose VNI its vnifilter lacks yet
// (reported as the VLAN's SVI name).
function withoutNewL3vni(
  plan: DevicePlan,
  present: Set<string>,
  bridge: BridgeVlans,
): { plan: DevicePlan; held: string[] } {
  const held = plan.devices.filter((d) => d.kind === 'vxlan' && d.l3vni && !present.has(d.name)).map((d) => d.name);
  const vx = plan.devices.find((d) => d.kind === 'vxlan' && d.vnifilter);
  const mapped = new Set(vx ? (bridge.vnis[vx.name] ?? []) : []);
  const heldVlans = (plan.vlans ?? []).filter((v) => v.l3vni && !mapped.has(v.vni));
  if (held.length === 0 && heldVlans.length === 0) return { plan, held };
  return {
    plan: {
      ...plan,
      devices: plan.devices.filter((d) => !held.includes(d.name)),
      ...(plan.vlans ? { vlans: plan.vlans.filter((v) => !heldVlans.includes(v)) } : {}),
    },
    held: [...held, ...heldVlans.map((v) => `vni ${v.vni} (vlan ${v.vid})`)],
  };
}

// The plan plus, as the kernel has them, the devices an EVPNVRF owns that the
// plan drops (its VRF device, its L3VNI's bridge and VXLAN device or SVI),
// with the single VXLAN device's VLAN of a kept SVI. A device is kept only
// when what it hangs on stays too; otherwise it goes now, as it would anyway.
function keepingRemovedVrfs(
  plan: DevicePlan,
  links: ObservedLink[],
  bridge: BridgeVlans,
): { plan: DevicePlan; kept: string[] } {
  const planned = new Set(plan.devices.map((d) => d.name));
  const observed = planFromObserved(links, [], bridge);
  const candidates = observed.devices.filter((d) => !planned.has(d.name) && d.owner.startsWith(VRF_OWNER));
  const staying = new Set([...planned, ...candidates.map((d) => d.name)]);
  const kept = candidates.filter((d) => dependsOn(d).every((name) => staying.has(name)));
  if (kept.length === 0) return { plan, kept: [] };
  const plannedVids = new Set((plan.vlans ?? []).map((v) => v.vid));
  const keptVids = new Set(kept.flatMap((d) => (d.kind === 'vlan' ? [d.vid] : [])));
  const keptVlans: PlannedVlan[] = (observed.vlans ?? [])
    .filter((v) => keptVids.has(v.vid) && !plannedVids.has(v.vid))
    .map((v) => ({ ...v, l3vni: true }));
  return {
    plan: {
      ...plan,
      devices: [...plan.devices, ...kept],
      ...(plan.vlans ? { vlans: [...plan.vlans, ...keptVlans].sort((a, b) => a.vid - b.vid) } : {}),
    },
    kept: kept.map((d) => d.name),
  };
}

function dependsOn(d: PlannedDevice): string[] {
  if (d.kind === 'vrf') return [];
  if (d.kind === 'vlan') return [d.link, ...(d.master ? [d.master] : [])];
  return d.master ? [d.master] : [];
}
