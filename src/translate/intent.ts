// The typed intent model: what one node must look like, with every default
// resolved. Produced by translate (pure), consumed by render (pure).
export interface NeighborIntent {
  address: string;
  remoteAs: number;
  description: string; // node name, or "external-rr"
  routeReflectorClient: boolean;
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
}

export interface DadIntent {
  maxMoves: number;
  time: number;
  freeze?: number | 'permanent';
}

export interface NodeIntent {
  node: string;
  fabric: string;
  asn: number;
  routerId: string;
  vtepAddress: string;
  routeReflector: boolean;
  clusterId?: string;
  neighbors: NeighborIntent[];
  advertiseAllVni: boolean;
  duplicateAddressDetection?: DadIntent; // only when it differs from FRR's default
  l2vnis: L2VniIntent[];
}
