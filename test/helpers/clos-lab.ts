// The shipped Clos lab (lab/clos-fabric.clab.yml) as its tests address it:
// namespaces, nodes, VTEP addresses and hosts, the same under every fabric file.
import { fileURLToPath } from 'node:url';

export const CLOS_TOPO = fileURLToPath(new URL('../../lab/clos-fabric.clab.yml', import.meta.url));
export const closNs = (node: string) => `clab-clos-fabric-${node}`;
export const SPINES = ['spine1', 'spine2'];
export const LEAVES = ['leaf1', 'leaf2', 'leaf3', 'leaf4'];
export const CLOS_NODES = [...SPINES, ...LEAVES];
export const VTEP: Record<string, string> = {
  spine1: '10.1.0.1',
  spine2: '10.1.0.2',
  leaf1: '10.1.1.1',
  leaf2: '10.1.1.2',
  leaf3: '10.1.1.3',
  leaf4: '10.1.1.4',
};
// the same nodes' VTEP addresses in the IPv6 underlay fabrics (clos-fabric-ipv6, clos-fabric-vrf-ipv6)
export const VTEP6: Record<string, string> = {
  spine1: 'fd00:1::1',
  spine2: 'fd00:1::2',
  leaf1: 'fd00:1:1::1',
  leaf2: 'fd00:1:1::2',
  leaf3: 'fd00:1:1::3',
  leaf4: 'fd00:1:1::4',
};
export const BLUE = (leaf: number) => `192.168.200.${leaf}1`; // hN1, VNI 100
export const GREEN = (leaf: number) => `192.168.200.${leaf}2`; // hN2, VNI 200
