// The typed intent model: what one node must look like, with every default
// resolved. Produced by translate (pure), consumed by render (pure).
export interface NeighborIntent {
  address: string;
  remoteAs: number;
  description: string; // node name, or "external-rr"
  routeReflectorClient: boolean;
}

// Where a BGP password comes from; the value itself is read on the node at
// apply time (controller/secrets.ts) and only ever written to FRR's file.
export interface SecretRef {
  resource: string; // EVPNFabric/name
  path: string; // e.g. spec.nodes[0].peers[1].passwordFrom
  file?: string;
  env?: string;
  base64: boolean;
}

// BFD on a session: FRR's defaults, or a profile with these timers.
export interface BfdIntent {
  profile?: string; // rdevpn-<multiplier>-<rx>-<tx>; absent for FRR's defaults (3, 300 ms, 300 ms)
  detectMultiplier: number;
  receiveInterval: number;
  transmitInterval: number;
}

// The settings every fabric session shares (flat neighbors, uplinks).
export interface SessionIntent {
  bfd?: BfdIntent;
  password?: SecretRef;
}

// An explicit peer (EVPNFabric nodes[].peers): a neighbor of its own.
export interface PeerIntent {
  neighbor: string; // an address (canonical) or an interface (BGP unnumbered)
  interface: boolean;
  remoteAs: string; // a number, "internal" or "external"
  description?: string;
  password?: SecretRef;
  multihop?: number; // eBGP only: TTL
  bfd?: BfdIntent;
  families: ('ipv4Unicast' | 'ipv6Unicast' | 'l2vpnEvpn')[];
}

export interface L2VniIntent {
  owner: string; // EVPNNetwork/name
  name: string;
  vni: number;
  bridge: string;
  vxlanDevice: string;
  localAddress: string;
  udpPort: number;
  mtu: number;
  arpNdSuppression: boolean;
  macLearning: boolean;
  ports: string[];
  rd?: string;
  importRTs: string[];
  exportRTs: string[];
  vrf?: string; // EVPNVRF name (= VRF device name) when the network is routed
  gateway?: GatewayIntent;
  // Only on a node with the single VXLAN device (then bridge and vxlanDevice
  // name the shared br-evpn and vxlan-evpn): the network's VLAN there, and
  // for a routed network its SVI, a VLAN device on the bridge.
  vlan?: number;
  svi?: string;
}

// The anycast gateway of a routed network: the same addresses and MAC on every
// node; one CIDR per subnet of the network, in the order given.
export interface GatewayIntent {
  ipv4: string[]; // CIDRs, e.g. 10.1.0.1/24
  ipv6: string[]; // CIDRs, e.g. fd00:1::1/64
  mac: string; // lower-case, colon-separated
}

// Symmetric IRB only: the L3VNI's VXLAN device and its SVI bridge inside the VRF.
export interface L3VniIntent {
  vni: number;
  vxlanDevice: string;
  bridge: string; // the L3VNI SVI: no IP address, the node's router MAC
  routerMac: string;
  localAddress: string;
  udpPort: number;
  mtu: number;
  vlan?: number; // single VXLAN device: the L3VNI's VLAN; bridge is then its SVI vlan<V>
}

// An exit node's way out of the VRF.
export interface ExitIntent {
  interface: string; // uplink enslaved to the VRF
  addresses: string[]; // CIDRs on the uplink, IPv4 first
  defaultRoutes: { family: 'ipv4' | 'ipv6'; nextHop: string }[]; // static default routes in the VRF
  originateDefault: ('ipv4' | 'ipv6')[]; // type-5 default-originate
  primary: boolean; // this node is the VRF's primary exit: its defaults win (local preference)
}

// An exit without an uplink (host routing, as Proxmox VE's exit nodes): the
// VRF's routes are leaked into the default routing table (`import vrf`), and
// the VRF has no default of its own, so outside traffic falls through to the
// node's own routing table; defaults are originated into the fabric, and
// other exits' defaults for the VRF are not taken.
export interface HostExitIntent {
  families: ('ipv4' | 'ipv6')[]; // leaked into the default table: both, or none with local routing
  originateDefault: ('ipv4' | 'ipv6')[]; // type-5 default-originate (none with defaultRoute: false)
  primary: boolean;
  // Another node is the VRF's primary: this exit takes the VRF's default
  // routes from the fabric, so its tenants go out through the primary while
  // the primary is up (Proxmox VE's exitnodes-primary); else it refuses them.
  takesDefaults: boolean;
  // The subnets of the other VRFs this node leaks into its default table,
  // blackholed in this one (IPv4 first, by address): tenant traffic falling
  // through to the default table must not reach another tenant there.
  // Subnets overlapping this VRF's own are left out.
  nullRoutes: string[];
  localRouting?: LocalRoutingIntent;
}

// Local routing (Proxmox VE's exitnodes-local-routing): instead of leaking
// the VRF into the default table, a veth pair joins the two, and the default
// table routes the VRF's IPv4 subnets to the VRF end.
export interface LocalRoutingIntent {
  hostDevice: string; // in the default table
  vrfDevice: string; // in the VRF
  hostAddress: string; // CIDR, the transfer subnet's first host
  vrfAddress: string; // CIDR, its second
  routes: string[]; // the VRF's IPv4 subnets (every network of it), routed via the VRF end
}

export interface VrfIntent {
  owner: string; // EVPNVRF/name
  name: string; // VRF device name and FRR vrf name
  table: number;
  irb: 'symmetric' | 'asymmetric';
  l3vni?: L3VniIntent; // symmetric IRB
  rd?: string;
  importRTs: string[];
  exportRTs: string[];
  advertiseIpv4: boolean; // type-5 for IPv4 prefixes (redistribute connected + advertise ipv4 unicast)
  advertiseIpv6: boolean;
  exit?: ExitIntent; // only on this VRF's exit nodes with an uplink
  hostExit?: HostExitIntent; // only on this VRF's exit nodes without uplinks
  // The VRF's table ends in an unreachable default (IPv4 and IPv6, lowest
  // preference), so tenant traffic with no route is refused instead of
  // falling through to the host's own table; not on host-routing exits,
  // which route through that table.
  unreachableDefault: boolean;
  networks: string[]; // EVPNNetwork names routed in this VRF on this node, sorted
}

// Source NAT of one tenant subnet on an exit node, as its traffic leaves the
// VRF: through an uplink, to the uplink's address; or, on a host-routing exit
// (no egress here), through the node's own default route of the family, to
// its source address, which only the node knows at apply time.
export interface SnatIntent {
  network: string; // EVPNNetwork name
  vrf: string;
  family: 'ipv4' | 'ipv6';
  source: string; // the subnet, e.g. 10.1.0.0/24
  egress?: { interface: string; address: string };
}

export interface DadIntent {
  maxMoves: number;
  time: number;
  freeze?: number | 'permanent';
}

// The node's one VXLAN device (vnifilter) and VLAN-aware bridge, when it uses
// EVPNFabric spec.vxlanDevice: single (or its node's own vxlanDevice).
export interface SingleVxlanIntent {
  owner: string; // EVPNFabric/name
  vxlanDevice: string;
  bridge: string;
  localAddress: string;
  udpPort: number;
  mtu: number; // the fabric's overlay MTU: one device carries every VNI
  macLearning: boolean;
}

// A routed underlay (the fabric's nodes have uplinks): without an IGP one eBGP
// session per uplink (BGP unnumbered: IPv6 link-local, extended next hop for
// IPv4), EVPN on the same sessions, and the VTEP address on the loopback,
// advertised; with an IGP (`igp`) OSPF carries the loopbacks instead.
export interface UnderlayIntent {
  owner: string; // EVPNFabric/name: the loopback addresses are the fabric's
  uplinks: string[]; // interfaces, in the order given
  loopback: string[]; // CIDRs the daemon puts on lo: the VTEP address as /32 or /128
  families: { name: 'ipv4' | 'ipv6'; networks: string[] }[]; // unicast families on the uplinks, what each advertises
  remoteVteps: { node: string; address: string }[]; // the other VTEPs (not spines, not route reflectors), by node
  igp?: IgpIntent; // an IGP carries the loopbacks (then iBGP EVPN between them, no sessions on the uplinks)
}

// The IGP on the uplinks (point-to-point, unnumbered: each borrows the
// loopback's /32) and on the loopback (passive): OSPFv2 in an area, or IS-IS
// (level 2 only) or OpenFabric with a NET whose system ID spells the router ID.
export type IgpIntent =
  | { protocol: 'ospf'; area: string; routerId: string; linkAddresses: string[] }
  | { protocol: 'isis' | 'openfabric'; net: string; linkAddresses: string[] };

export interface NodeIntent {
  node: string;
  fabric: string;
  asn: number;
  routerId: string;
  vtepAddress: string; // '' on a spine without one
  routeReflector: boolean;
  spine: boolean; // transit node of a routed underlay: no VNIs, no VRFs
  clusterId?: string;
  neighbors: NeighborIntent[]; // iBGP sessions to VTEP addresses (a flat underlay)
  sessions: SessionIntent; // BFD and password of the fabric's own sessions
  peers: PeerIntent[]; // explicit peers, sorted by neighbor
  underlay?: UnderlayIntent; // only in a routed underlay
  advertiseAllVni: boolean;
  duplicateAddressDetection?: DadIntent; // only when it differs from FRR's default
  l2vnis: L2VniIntent[];
  vrfs: VrfIntent[]; // sorted by name
  single?: SingleVxlanIntent; // only on a node with the single VXLAN device
  snat: SnatIntent[]; // only on exit nodes: the subnets with gateway.snat of the VRFs they exit
  forwarding: { ipv4: boolean; ipv6: boolean }; // IP forwarding the node needs (routed networks, exits)
}
