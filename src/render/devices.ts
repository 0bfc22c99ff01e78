// NodeIntent -> the kernel device plan: per VRF a VRF device (and for
// symmetric IRB the L3VNI bridge + VXLAN device in it), per L2VNI a bridge and
// a VXLAN device enslaved to it (learning off, ARP/ND suppression as asked),
// routed bridges in their VRF with the anycast gateway, plus the access ports
// and exit uplinks to enslave. Pure; apply/kernel-diff.ts compares it with the kernel.

import { canonicalCidr } from '../resources/cidr.ts';
import { ownerTag } from '../resources/names.ts';
import type { NodeIntent, VrfIntent } from '../translate/intent.ts';
import { gatewayAddresses } from './address.ts';
import type { BridgeDevice, DevicePlan, PlannedPort, VethDevice, VrfDevice, VxlanDevice } from './device-plan.ts';
import { byName, planSingle } from './devices-single.ts';

export type {
  BridgeDevice,
  DevicePlan,
  PlannedDevice,
  PlannedPort,
  PlannedVlan,
  VlanDevice,
  VrfDevice,
  VxlanDevice,
} from './device-plan.ts';

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

// An exit's local routing: the veth pair, host end in the default table, the
// other in the VRF, each with its transfer address; MTU 1500 (host traffic,
// not tunnelled), as Proxmox's.
const VETH_MTU = 1500;
function localRoutingVeths(intent: NodeIntent | undefined): VethDevice[] {
  return (intent?.vrfs ?? []).flatMap((v) => {
    const lr = v.hostExit?.localRouting;
    if (!lr) return [];
    const owner = ownerTag('EVPNVRF', v.owner.slice('EVPNVRF/'.length));
    const end = (name: string, peer: string, createsPair: boolean, address: string, master?: string): VethDevice => ({
      kind: 'veth',
      name,
      owner,
      mtu: VETH_MTU,
      peer,
      createsPair,
      ...(master ? { master } : {}),
      addresses: [address],
    });
    return [
      end(lr.hostDevice, lr.vrfDevice, true, lr.hostAddress),
      end(lr.vrfDevice, lr.hostDevice, false, lr.vrfAddress, v.name),
    ];
  });
}

export function planDevices(intent: NodeIntent | undefined): DevicePlan {
  const built = intent?.single ? planSingle(intent, intent.single) : planPerVni(intent);
  const veths = localRoutingVeths(intent).sort(byName); // host ends (xvrf<N>) sort before their peers
  const plan = veths.length > 0 ? { ...built, devices: [...built.devices, ...veths] } : built;
  const u = intent?.underlay;
  if (!u) return plan;
  // The routed underlay's VTEP address on the loopback; with an IGP also on
  // each uplink (unnumbered point-to-point links borrow the loopback's /32).
  const owner = ownerTag('EVPNFabric', u.owner.slice('EVPNFabric/'.length));
  const lo: PlannedPort = { name: 'lo', owner, addresses: u.loopback.map(canonicalCidr) };
  const links: PlannedPort[] = (u.igp ? u.uplinks : []).map((name) => ({
    name,
    owner,
    addresses: (u.igp?.linkAddresses ?? []).map(canonicalCidr),
  }));
  return { ...plan, ports: [...plan.ports, lo, ...links].sort(byName) };
}

function planPerVni(intent: NodeIntent | undefined): DevicePlan {
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
