// The rules of explicit peers, BFD and passwords (src/resources/rules-peers.ts):
// every problem with resource, path and code, all at once; well-formed peers
// of every kind are accepted.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FROM_PEER_RULES, issueChecker } from '../helpers/issues.ts';
import { fabricOn, network, stream } from '../helpers/resources.ts';

const { seen, issuesOf } = issueChecker();
const NODES = [
  { name: 'a', vtepAddress: '10.0.0.1' },
  { name: 'b', vtepAddress: '10.0.0.2' },
];
const withPeers = (peers: object[], spec: object = {}) =>
  stream(fabricOn([{ ...NODES[0], peers }, NODES[1]] as never)(spec as never), network('web', { vni: 100 }));
const CLOS = [
  { name: 's1', asn: 65100, vtepAddress: '10.1.0.1', roles: ['spine'], uplinks: ['eth1'] },
  { name: 'l1', asn: 65101, vtepAddress: '10.1.1.1', uplinks: ['eth1'] },
];

describe('peers, BFD and passwords: accepted', () => {
  test('an eBGP upstream router, an iBGP speaker, an unnumbered peer; BFD timers; a password file', () => {
    const text = withPeers(
      [
        {
          address: '192.0.2.254',
          asn: 64512,
          description: 'upstream router',
          multihop: 2,
          bfd: false,
          passwordFrom: { env: 'UPSTREAM_PW', base64: true },
          addressFamilies: ['ipv4Unicast', 'ipv6Unicast'],
        },
        { address: '2001:db8::9', remoteAs: 'internal' },
        { interface: 'ens3f1', remoteAs: 'external', bfd: { detectMultiplier: 5 } },
      ],
      { bfd: { detectMultiplier: 3, receiveInterval: 100, transmitInterval: 100 }, passwordFrom: { file: '/etc/pw' } },
    );
    assert.deepEqual(issuesOf(text), []);
  });

  test('BFD at the edges of its ranges', () => {
    assert.deepEqual(
      issuesOf(withPeers([], { bfd: { detectMultiplier: 2, receiveInterval: 10, transmitInterval: 60000 } })),
      [],
    );
    assert.deepEqual(issuesOf(withPeers([], { bfd: { detectMultiplier: 255 } })), []);
  });
});

describe('peers, BFD and passwords: refused', () => {
  test('BFD timers out of range, each on its own path', () => {
    assert.deepEqual(
      issuesOf(
        withPeers([{ address: '192.0.2.1', asn: 64512, bfd: { transmitInterval: 9 } }], {
          bfd: { detectMultiplier: 256 },
        }),
      ),
      [
        ['EVPNFabric/lab', 'spec.bfd.detectMultiplier', 'BFD_RANGE'],
        ['EVPNFabric/lab', 'spec.nodes[0].peers[0].bfd.transmitInterval', 'BFD_RANGE'],
      ],
    );
  });

  test('a peer needs one of address or interface, and one of asn or remoteAs', () => {
    assert.deepEqual(
      issuesOf(
        withPeers([
          { remoteAs: 'external' },
          { address: '192.0.2.1', interface: 'eth5', asn: 64512 },
          { address: '192.0.2.2' },
          { address: '192.0.2.3', asn: 64512, remoteAs: 'external' },
        ]),
      ),
      [
        ['EVPNFabric/lab', 'spec.nodes[0].peers[0]', 'FIELD_REQUIRED'],
        ['EVPNFabric/lab', 'spec.nodes[0].peers[1]', 'FIELD_REQUIRED'],
        ['EVPNFabric/lab', 'spec.nodes[0].peers[2]', 'FIELD_REQUIRED'],
        ['EVPNFabric/lab', 'spec.nodes[0].peers[3]', 'FIELD_REQUIRED'],
      ],
    );
  });

  test('a peer that is already a fabric session, or listed twice (in another spelling)', () => {
    assert.deepEqual(
      issuesOf(
        withPeers([
          { address: '10.0.0.2', remoteAs: 'internal' },
          { address: '10.0.0.1', remoteAs: 'internal' },
          { address: '2001:db8::1', asn: 64512 },
          { address: '2001:DB8:0::1', asn: 64512 },
        ]),
      ),
      [
        ['EVPNFabric/lab', 'spec.nodes[0].peers[0].address', 'PEER_DUPLICATE'],
        ['EVPNFabric/lab', 'spec.nodes[0].peers[1].address', 'PEER_DUPLICATE'],
        ['EVPNFabric/lab', 'spec.nodes[0].peers[3]', 'PEER_DUPLICATE'],
      ],
    );
    const clos = fabricOn([
      { ...CLOS[0] },
      { ...CLOS[1], peers: [{ interface: 'eth1', remoteAs: 'external' }] },
    ] as never);
    const doc = clos({});
    delete (doc.spec as Record<string, unknown>).asn;
    assert.deepEqual(issuesOf(stream(doc)), [['EVPNFabric/lab', 'spec.nodes[1].peers[0].interface', 'PEER_DUPLICATE']]);
  });

  test('bad values: ASN, address, interface, description, families, multihop', () => {
    assert.deepEqual(
      issuesOf(
        withPeers([
          { address: '192.0.2.1', asn: 23456, description: ' leading space', addressFamilies: [] },
          { address: '192.0.2.300', asn: 64512 },
          { interface: 'a-very-long-ifname0', remoteAs: 'external', multihop: true },
          { address: '192.0.2.4', remoteAs: 'internal', multihop: 3 },
          { address: '192.0.2.5', asn: 64512, multihop: 256, addressFamilies: ['l2vpnEvpn', 'l2vpnEvpn'] },
        ]),
      ),
      [
        ['EVPNFabric/lab', 'spec.nodes[0].peers[0].asn', 'ASN_RANGE'],
        ['EVPNFabric/lab', 'spec.nodes[0].peers[0].description', 'FIELD_VALUE'],
        ['EVPNFabric/lab', 'spec.nodes[0].peers[0].addressFamilies', 'FIELD_VALUE'],
        ['EVPNFabric/lab', 'spec.nodes[0].peers[1].address', 'IP_INVALID'],
        ['EVPNFabric/lab', 'spec.nodes[0].peers[2].interface', 'IFNAME_TOO_LONG'],
        ['EVPNFabric/lab', 'spec.nodes[0].peers[2].multihop', 'FIELD_VALUE'],
        ['EVPNFabric/lab', 'spec.nodes[0].peers[3].multihop', 'FIELD_VALUE'],
        ['EVPNFabric/lab', 'spec.nodes[0].peers[4].addressFamilies[1]', 'FIELD_VALUE'],
        ['EVPNFabric/lab', 'spec.nodes[0].peers[4].multihop', 'FIELD_VALUE'],
      ],
    );
  });

  test('password sources: exactly one, a file by absolute path, an env by name', () => {
    assert.deepEqual(
      issuesOf(
        withPeers([{ address: '192.0.2.1', asn: 64512, passwordFrom: { env: '1BAD' } }], {
          passwordFrom: { base64: true },
        }),
      ),
      [
        ['EVPNFabric/lab', 'spec.passwordFrom', 'SECRET_SOURCE'],
        ['EVPNFabric/lab', 'spec.nodes[0].peers[0].passwordFrom.env', 'SECRET_SOURCE'],
      ],
    );
  });

  test('a password on a routed fabric: FRR does not enforce it on BGP-unnumbered sessions', () => {
    const doc = fabricOn(CLOS as never)({ passwordFrom: { file: '/etc/pw' } });
    delete (doc.spec as Record<string, unknown>).asn;
    const issues = issuesOf(stream(doc));
    assert.deepEqual(issues, [['EVPNFabric/lab', 'spec.passwordFrom', 'FIELD_UNSUPPORTED']]);
  });

  test('every code of the peer rules was produced here (SECRET_UNAVAILABLE: on the node, secrets.test.ts)', () => {
    for (const code of FROM_PEER_RULES.filter((c) => c !== 'SECRET_UNAVAILABLE')) assert.ok(seen.has(code), code);
  });
});
