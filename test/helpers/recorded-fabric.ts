// The fabric the recorded FRR 8.4.4 answers come from (test/fixtures/frr/8.4):
// rec-a (VTEP 10.99.1.1, the node under test) and rec-b, VNIs 100 and 200; as
// YAML text, and the kernel devices of a network as the daemon creates them.
import { CONTROL_API_VERSION } from '../../src/api/paths.ts';
import { bridgeLink, vxlanLink } from './fake-tools.ts';

export const FABRIC = `apiVersion: evpn.routerd.net/v1alpha1
kind: EVPNFabric
metadata: {name: lab}
spec:
  asn: 65000
  nodes:
    - {name: rec-a, vtepAddress: 10.99.1.1}
    - {name: rec-b, vtepAddress: 10.99.1.2}
`;

// An EVPNNetwork document; `extra` continues the flow-style spec, e.g. ', mtu: 1400'.
export const networkYaml = (name: string, vni: number, extra = '') => `apiVersion: evpn.routerd.net/v1alpha1
kind: EVPNNetwork
metadata: {name: ${name}}
spec: {vni: ${vni}${extra}}
`;

export const vrfYaml = (name: string, l3vni: number) => `apiVersion: evpn.routerd.net/v1alpha1
kind: EVPNVRF
metadata: {name: ${name}}
spec: {l3vni: ${l3vni}}
`;

export const docs = (...texts: string[]): string => texts.join('---\n');

export const VALID = docs(FABRIC, networkYaml('blue', 100));

// Four problems: a bad VTEP, a duplicate VNI, an unknown node, a bridge name too long.
export const INVALID = docs(
  FABRIC.replace('10.99.1.2}', '10.99.1.300}'),
  networkYaml('blue', 100),
  networkYaml('red', 100, ', nodes: [rec-c]'),
  networkYaml('green', 300, ', bridge: br-sixteen-bytes'),
);

// What the kernel shows once a network's devices exist as the daemon made them.
export const ownedDevices = (name: string, vni: number, mtu = 1450) => [
  bridgeLink(name, { mtu, owner: `routerd-evpn:EVPNNetwork/${name}` }),
  vxlanLink(`vxlan${vni}`, { vni, local: '10.99.1.1', master: name, mtu, owner: `routerd-evpn:EVPNNetwork/${name}` }),
];

export const applyRequest = (candidateYaml: string, extra: object = {}) => ({
  apiVersion: CONTROL_API_VERSION,
  kind: 'ApplyRequest',
  candidateYaml,
  ...extra,
});
