// The device plan of a node with the single VXLAN device: its VRF devices,
// one VLAN-aware bridge (br-evpn) and one `external vnifilter` VXLAN device
// (vxlan-evpn) in it, owned by the EVPNFabric; per network and per L3VNI a
// VLAN mapped to its VNI, and for routed networks and L3VNIs an SVI (a VLAN
// device on the bridge, in the VRF); access ports join the bridge untagged
// in their network's VLAN. Pure.
import { ownerTag } from '../resources/names.ts';
import type { NodeIntent, SingleVxlanIntent } from '../translate/intent.ts';
import { gatewayAddresses } from './address.ts';
import type {
  BridgeDevice,
  DevicePlan,
  PlannedPort,
  PlannedVlan,
  VlanDevice,
  VrfDevice,
  VxlanDevice,
} from './device-plan.ts';

export const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

interface Parts {
  vrfs: VrfDevice[];
  svis: VlanDevice[];
  vlans: PlannedVlan[];
  ports: PlannedPort[];
}

// The VRF devices, and each L3VNI as a VLAN with its SVI (router MAC, no address).
function vrfParts(intent: NodeIntent, bridge: string, p: Parts): void {
  for (const v of intent.vrfs) {
    const owner = ownerTag('EVPNVRF', v.owner.slice('EVPNVRF/'.length));
    p.vrfs.push({ kind: 'vrf', name: v.name, owner, table: v.table });
    const l3 = v.l3vni;
    if (l3?.vlan !== undefined) {
      p.svis.push({
        kind: 'vlan',
        name: l3.bridge,
        owner,
        mtu: l3.mtu,
        link: bridge,
        vid: l3.vlan,
        master: v.name,
        mac: l3.routerMac,
      });
      p.vlans.push({ vid: l3.vlan, vni: l3.vni, owner, self: true, neighSuppress: true, l3vni: true });
    }
    if (v.exit) p.ports.push({ name: v.exit.interface, master: v.name, owner, addresses: v.exit.addresses });
  }
}

function networkParts(intent: NodeIntent, bridge: string, p: Parts): void {
  const vrfNames = new Set(p.vrfs.map((v) => v.name));
  for (const v of intent.l2vnis) {
    if (v.vlan === undefined) continue;
    const owner = ownerTag('EVPNNetwork', v.name);
    const svi = v.vrf !== undefined && vrfNames.has(v.vrf) ? v.svi : undefined;
    if (svi !== undefined) {
      const gw = v.gateway;
      p.svis.push({
        kind: 'vlan',
        name: svi,
        owner,
        mtu: v.mtu,
        link: bridge,
        vid: v.vlan,
        ...(v.vrf !== undefined ? { master: v.vrf } : {}),
        ...(gw ? { mac: gw.mac } : {}),
        addresses: gatewayAddresses(gw),
      });
    }
    p.vlans.push({ vid: v.vlan, vni: v.vni, owner, self: svi !== undefined, neighSuppress: v.arpNdSuppression });
    for (const port of v.ports) p.ports.push({ name: port, master: bridge, owner, vlan: v.vlan });
  }
}

export function planSingle(intent: NodeIntent, single: SingleVxlanIntent): DevicePlan {
  const owner = ownerTag('EVPNFabric', single.owner.slice('EVPNFabric/'.length));
  const p: Parts = { vrfs: [], svis: [], vlans: [], ports: [] };
  vrfParts(intent, single.bridge, p);
  networkParts(intent, single.bridge, p);
  // ARP/ND suppression is a flag of the VXLAN port; only when the VLANs
  // differ does it go per VLAN (neigh_vlan_suppress, Linux >= 6.6).
  const wanted = new Set(p.vlans.map((v) => v.neighSuppress));
  const perVlan = wanted.size > 1;
  const bridge: BridgeDevice = { kind: 'bridge', name: single.bridge, owner, mtu: single.mtu, vlanFiltering: true };
  const vxlan: VxlanDevice = {
    kind: 'vxlan',
    name: single.vxlanDevice,
    owner,
    mtu: single.mtu,
    vni: 0,
    local: single.localAddress,
    dstport: single.udpPort,
    master: single.bridge,
    learning: single.macLearning,
    neighSuppress: !perVlan && !wanted.has(false),
    vnifilter: true,
    vlanTunnel: true,
    ...(perVlan ? { neighVlanSuppress: true } : {}),
  };
  return {
    devices: [...p.vrfs.sort(byName), bridge, vxlan, ...p.svis.sort(byName)],
    ports: p.ports.sort(byName),
    vlans: p.vlans.sort((a, b) => a.vid - b.vid),
  };
}
