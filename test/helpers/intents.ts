// Intent builders for tests that start after translate (device plans, kernel
// diffs, status): an L2VNI and a node with FRR's defaults, overridable.
import type { L2VniIntent, NodeIntent } from '../../src/translate/intent.ts';

export function l2vniIntent(name: string, vni: number, extra: Partial<L2VniIntent> = {}): L2VniIntent {
  return {
    owner: `EVPNNetwork/${name}`,
    name,
    vni,
    bridge: name,
    vxlanDevice: `vxlan${vni}`,
    localAddress: '10.0.0.1',
    udpPort: 4789,
    mtu: 1450,
    arpNdSuppression: true,
    macLearning: false,
    ports: [],
    importRTs: [],
    exportRTs: [],
    ...extra,
  };
}

export function nodeIntent(extra: Partial<NodeIntent> = {}): NodeIntent {
  return {
    node: 'leaf1',
    fabric: 'lab',
    asn: 65000,
    routerId: '10.0.0.1',
    vtepAddress: '10.0.0.1',
    routeReflector: false,
    spine: false,
    neighbors: [],
    sessions: {},
    peers: [],
    advertiseAllVni: true,
    l2vnis: [],
    vrfs: [],
    snat: [],
    forwarding: { ipv4: false, ipv6: false },
    ...extra,
  };
}
