// NodeIntent -> the kernel device plan: per L2VNI a bridge and a VXLAN device
// enslaved to it (learning off, ARP/ND suppression as asked), plus the access
// ports to enslave. Pure; apply/kernel-diff.ts compares it with the kernel.
import { ownerTag } from '../resources/names.ts';
import type { NodeIntent } from '../translate/intent.ts';

export interface BridgeDevice {
  kind: 'bridge';
  name: string;
  owner: string; // ifalias marker, routerd-evpn:Kind/name
  mtu: number;
}

export interface VxlanDevice {
  kind: 'vxlan';
  name: string;
  owner: string;
  mtu: number;
  vni: number;
  local: string;
  dstport: number;
  master: string;
  learning: boolean; // bridge-port learning
  neighSuppress: boolean;
}

export type PlannedDevice = BridgeDevice | VxlanDevice;

export interface PlannedPort {
  name: string;
  master: string;
  owner: string;
}

export interface DevicePlan {
  devices: PlannedDevice[]; // bridges first, then VXLAN devices, each sorted by name
  ports: PlannedPort[];
}

export function planDevices(intent: NodeIntent | undefined): DevicePlan {
  const bridges: BridgeDevice[] = [];
  const vxlans: VxlanDevice[] = [];
  const ports: PlannedPort[] = [];
  for (const v of intent?.l2vnis ?? []) {
    const owner = ownerTag('EVPNNetwork', v.name);
    bridges.push({ kind: 'bridge', name: v.bridge, owner, mtu: v.mtu });
    vxlans.push({
      kind: 'vxlan', name: v.vxlanDevice, owner, mtu: v.mtu, vni: v.vni, local: v.localAddress, dstport: v.udpPort,
      master: v.bridge, learning: v.macLearning, neighSuppress: v.arpNdSuppression,
    });
    for (const port of v.ports) ports.push({ name: port, master: v.bridge, owner });
  }
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return { devices: [...bridges.sort(byName), ...vxlans.sort(byName)], ports: ports.sort(byName) };
}
