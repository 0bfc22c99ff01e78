// The kernel device plan: what render hands to apply/kernel-diff.ts.

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
  vlanFiltering?: boolean; // the single VXLAN device's bridge: VLAN-aware, vlan_default_pvid 0
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
  // The single VXLAN device: `external vnifilter` (vni is 0), the bridge port
  // flag vlan_tunnel, and neigh_vlan_suppress when its VLANs differ in
  // neigh_suppress (then neighSuppress is off and each PlannedVlan says).
  vnifilter?: boolean;
  vlanTunnel?: boolean;
  neighVlanSuppress?: boolean;
}

// An SVI on the single VXLAN device's bridge: `type vlan id VID` on `link`.
export interface VlanDevice {
  kind: 'vlan';
  name: string;
  owner: string;
  mtu: number;
  link: string; // the VLAN-aware bridge
  vid: number;
  master?: string; // the VRF
  mac?: string; // anycast gateway MAC or router MAC
  addresses?: string[]; // anycast gateway CIDRs
}

// One end of a veth pair (an exit's local routing): the end with
// `createsPair` is created with its peer in one `link add`; both are ours.
export interface VethDevice {
  kind: 'veth';
  name: string;
  owner: string;
  mtu: number;
  peer: string;
  createsPair: boolean;
  master?: string; // the VRF, for the VRF end
  addresses: string[];
}

export type PlannedDevice = VrfDevice | BridgeDevice | VxlanDevice | VlanDevice | VethDevice;

// An interface that is not ours: we only attach it and put addresses on it
// (and take off again only those). Without a master it is the loopback of a
// routed underlay, which only gets the VTEP address.
export interface PlannedPort {
  name: string;
  master?: string; // a bridge, or a VRF for an exit uplink
  owner: string;
  addresses?: string[]; // exit uplinks: CIDRs the daemon puts on the port
  vlan?: number; // on the single VXLAN device's bridge: the port's PVID, untagged
}

// One VNI on the single VXLAN device: VLAN vid on the VXLAN port mapped to
// the VNI (tunnel_info), the VNI in its vnifilter, and with an SVI the VLAN
// on the bridge itself (self).
export interface PlannedVlan {
  vid: number;
  vni: number;
  owner: string;
  self: boolean;
  neighSuppress: boolean;
  l3vni?: boolean; // mapped only after FRR maps the VNI to its VRF, like an L3VNI's VXLAN device
}

export interface DevicePlan {
  devices: PlannedDevice[]; // VRFs, bridges, VXLAN devices, VLAN devices, then veth ends, each sorted by name
  ports: PlannedPort[];
  vlans?: PlannedVlan[]; // only with the single VXLAN device, sorted by VLAN
}
