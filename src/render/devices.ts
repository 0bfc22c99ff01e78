// NodeIntent -> the kernel device plan: per VRF a VRF device (and for
// symmetric IRB the L3VNI bridge + VXLAN device in it), per L2VNI a bridge and
// a VXLAN device enslaved to it (learning off, ARP/ND suppression as asked),
// routed bridges in their VRF with the anycast gateway, plus the access ports
// and exit uplinks to enslave. Pure; apply/kernel-diff.ts compares it with the kernel.

import { canonicalCidr } from '../resources/cidr.ts';
import { ownerTag } from '../resources/names.ts';
import type { GatewayIntent, NodeIntent, VrfIntent } from '../translate/intent.ts';
import { eui64LinkLocal } from './address.ts';

export interface VrfDevice {
  kind: 'vrf';
  name: string;
  owner: string;
  table: number;
}

export interface BridgeDevice {
  kind: 'bridge';
  name: string;
  owner: string; // ifalias marker, routerd-evpn:Kind/name
  mtu: number;
  master?: string; // the VRF of a routed or L3VNI bridge
  mac?: string; // anycast gateway MAC or router MAC
  addresses?: string[]; // anycast gateway CIDRs (IPv6 added with nodad)
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
  l3vni?: boolean; // created only after FRR maps the VNI to its VRF (see apply/kernel-apply.ts)
}

export type PlannedDevice = VrfDevice | BridgeDevice | VxlanDevice;

export interface PlannedPort {
  name: string;
  master: string; // a bridge, or a VRF for an exit uplink
  owner: string;
  addresses?: string[]; // exit uplinks: CIDRs the daemon puts on the port
}

export interface DevicePlan {
  devices: PlannedDevice[]; // VRFs, then bridges, then VXLAN devices, each sorted by name
  ports: PlannedPort[];
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function vrfDevices(
  v: VrfIntent,
  vrfs: VrfDevice[],
  bridges: BridgeDevice[],
  vxlans: VxlanDevice[],
  ports: PlannedPort[],
): void {
  const owner = ownerTag('EVPNVRF', v.owner.slice('EVPNVRF/'.length));
  vrfs.push({ kind: 'vrf', name: v.name, owner, table: v.table });
  const l3 = v.l3vni;
  if (l3) {
    bridges.push({ kind: 'bridge', name: l3.bridge, owner, mtu: l3.mtu, master: v.name, mac: l3.routerMac });
    vxlans.push({
      kind: 'vxlan',
      name: l3.vxlanDevice,
      owner,
      mtu: l3.mtu,
      vni: l3.vni,
      local: l3.localAddress,
      dstport: l3.udpPort,
      master: l3.bridge,
      learning: false,
      neighSuppress: true,
      l3vni: true,
    });
  }
  if (v.exit)
    ports.push({ name: v.exit.interface, master: v.name, owner, addresses: v.exit.addresses.map(canonicalCidr) });
}

// The anycast gateway's addresses. An IPv6 gateway also gets the link-local
// address of the gateway MAC (the same on every node, nodad like the rest):
// the kernel sources the neighbor probes for routed traffic from a
// link-local address and, with none on the SVI, never sends them, so a host's
// entry would go FAILED and its type-2 route be withdrawn.
function gatewayAddresses(gw: GatewayIntent | undefined): string[] {
  const cidrs = [gw?.ipv4, gw?.ipv6].filter((a): a is string => a !== undefined).map(canonicalCidr);
  return gw?.ipv6 ? [...cidrs, eui64LinkLocal(gw.mac)] : cidrs;
}

export function planDevices(intent: NodeIntent | undefined): DevicePlan {
  const vrfs: VrfDevice[] = [];
  const bridges: BridgeDevice[] = [];
  const vxlans: VxlanDevice[] = [];
  const ports: PlannedPort[] = [];
  for (const v of intent?.vrfs ?? []) vrfDevices(v, vrfs, bridges, vxlans, ports);
  const vrfNames = new Set(vrfs.map((v) => v.name));
  for (const v of intent?.l2vnis ?? []) {
    const owner = ownerTag('EVPNNetwork', v.name);
    const routed = v.vrf !== undefined && vrfNames.has(v.vrf);
    const gw = v.gateway;
    bridges.push({
      kind: 'bridge',
      name: v.bridge,
      owner,
      mtu: v.mtu,
      ...(routed ? { master: v.vrf } : {}),
      ...(routed && gw ? { mac: gw.mac } : {}),
      ...(routed ? { addresses: gatewayAddresses(gw) } : {}),
    });
    vxlans.push({
      kind: 'vxlan',
      name: v.vxlanDevice,
      owner,
      mtu: v.mtu,
      vni: v.vni,
      local: v.localAddress,
      dstport: v.udpPort,
      master: v.bridge,
      learning: v.macLearning,
      neighSuppress: v.arpNdSuppression,
    });
    for (const port of v.ports) ports.push({ name: port, master: v.bridge, owner });
  }
  return {
    devices: [...vrfs.sort(byName), ...bridges.sort(byName), ...vxlans.sort(byName)],
    ports: ports.sort(byName),
  };
}
