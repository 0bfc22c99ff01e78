// The routed underlay's rules (src/resources/rules-underlay.ts): BGP-unnumbered
// uplinks, per-node AS numbers (eBGP, RFC 7938) and spines. Every problem
// comes back with resource, path and code, all at once; the shipped Clos lab
// fabric and a differently shaped one are valid.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { FROM_UNDERLAY_RULES, issueChecker } from '../helpers/issues.ts';
import { fabricOn, network, stream } from '../helpers/resources.ts';

const { seen, issuesOf, expectOne } = issueChecker();
const CLOS = [
  { name: 's1', asn: 65100, vtepAddress: '10.1.0.1', roles: ['spine'], uplinks: ['eth1', 'eth2'] },
  { name: 's2', asn: 65100, vtepAddress: '10.1.0.2', roles: ['spine'], uplinks: ['eth1', 'eth2'] },
  { name: 'l1', asn: 65101, vtepAddress: '10.1.1.1', uplinks: ['eth1', 'eth2'] },
  { name: 'l2', asn: 65102, vtepAddress: '10.1.1.2', uplinks: ['eth1', 'eth2'] },
];
// Per-node AS numbers only, unless `spec` sets the fabric's.
const clos = (nodes: object[] = CLOS, spec: { asn?: number; [k: string]: unknown } = {}) => {
  const doc = fabricOn(nodes as never)(spec);
  if (spec.asn === undefined) delete (doc.spec as Record<string, unknown>).asn;
  return doc;
};
const withNode = (i: number, patch: object) => CLOS.map((n, j) => (j === i ? { ...n, ...patch } : n));

describe('routed underlay: valid fabrics', () => {
  test('the shipped Clos lab fabric validates', () => {
    assert.deepEqual(issuesOf(readFileSync(new URL('../../lab/clos-fabric.fabric.yaml', import.meta.url), 'utf8')), []);
  });

  test('another shape: 3 spines in AS 4200000000, a fabric ASN for one leaf, other link names', () => {
    const nodes = [
      { name: 'sp-a', asn: 4_200_000_000, vtepAddress: '192.0.2.1', roles: ['spine'], uplinks: ['swp1', 'swp2'] },
      { name: 'sp-b', asn: 4_200_000_000, vtepAddress: '192.0.2.2', roles: ['spine'], uplinks: ['swp1', 'swp2'] },
      { name: 'sp-c', asn: 4_200_000_000, vtepAddress: '192.0.2.3', roles: ['spine'], uplinks: ['swp1', 'swp2'] },
      { name: 'hv1', vtepAddress: '192.0.2.11', uplinks: ['ens1f0', 'ens1f1', 'ens2f0'] },
      { name: 'hv2', asn: 4_200_000_002, vtepAddress: '192.0.2.12', uplinks: ['ens1f0', 'ens1f1', 'ens2f0'] },
    ];
    const text = stream(clos(nodes, { asn: 4_200_000_001 }), network('web', { vni: 5000 }));
    assert.deepEqual(issuesOf(text), []);
  });
});

describe('routed underlay: problems', () => {
  test('a node without uplinks in a routed fabric', () => {
    const nodes = withNode(3, { uplinks: undefined });
    expectOne(stream(clos(nodes)), 'EVPNFabric/lab', 'spec.nodes[3].uplinks', 'UPLINKS_MISSING', '"l2"');
  });

  test('two leaves in one AS; spines may share one', () => {
    const nodes = withNode(3, { asn: 65101 });
    expectOne(stream(clos(nodes)), 'EVPNFabric/lab', 'spec.nodes[3].asn', 'ASN_SHARED', '"l2"', '"l1"', 'AS 65101');
    const leafWithSpineAsn = withNode(2, { asn: 65100 });
    expectOne(stream(clos(leafWithSpineAsn)), 'EVPNFabric/lab', 'spec.nodes[2].asn', 'ASN_SHARED', '"s1"');
  });

  test('uplinks with one AS for every node (iBGP on links) are refused until an IGP underlay exists', () => {
    const nodes = CLOS.map((n) => ({ ...n, asn: undefined }));
    expectOne(stream(clos(nodes, { asn: 65000 })), 'EVPNFabric/lab', 'spec.nodes', 'FIELD_UNSUPPORTED', 'AS 65000');
  });

  test('bad uplink names, the loopback, a duplicate, AS_TRANS, a spine that is also a leaf: all at once', () => {
    const nodes = [
      { ...CLOS[0], uplinks: ['eth1', 'eth1'], roles: ['spine', 'leaf'] },
      { ...CLOS[1], asn: 23456 },
      { ...CLOS[2], uplinks: ['lo', 'a-very-long-interface-name'] },
      CLOS[3],
    ];
    assert.deepEqual(issuesOf(stream(clos(nodes))), [
      ['EVPNFabric/lab', 'spec.nodes[1].asn', 'ASN_RANGE'],
      ['EVPNFabric/lab', 'spec.nodes[0].uplinks[1]', 'FIELD_VALUE'],
      ['EVPNFabric/lab', 'spec.nodes[0].roles', 'FIELD_VALUE'],
      ['EVPNFabric/lab', 'spec.nodes[2].uplinks[0]', 'PORT_INVALID'],
      ['EVPNFabric/lab', 'spec.nodes[2].uplinks[1]', 'IFNAME_TOO_LONG'],
    ]);
  });

  test('per-node AS numbers on a flat underlay, and a spine without uplinks', () => {
    const flat = CLOS.map((n) => ({ ...n, uplinks: undefined }));
    assert.deepEqual(issuesOf(stream(clos(flat))), [
      ['EVPNFabric/lab', 'spec.nodes', 'ASN_MIXED'],
      ['EVPNFabric/lab', 'spec.nodes[0].roles', 'FIELD_VALUE'],
      ['EVPNFabric/lab', 'spec.nodes[1].roles', 'FIELD_VALUE'],
    ]);
  });

  test('a network port or a VRF on a spine', () => {
    const text = stream(clos(), network('web', { vni: 100, ports: [{ node: 's1', interface: 'eth9' }] }));
    expectOne(text, 'EVPNNetwork/web', 'spec.ports[0].node', 'FIELD_VALUE', 'spine');
  });

  test('route reflectors in a routed fabric are not implemented yet', () => {
    const text = stream(clos(CLOS, { routeReflectors: { nodes: ['s1'] } }));
    expectOne(text, 'EVPNFabric/lab', 'spec.routeReflectors', 'FIELD_UNSUPPORTED', 'eBGP');
  });

  test('two nodes with one router ID (explicit, or an IPv4 VTEP address standing in)', () => {
    const nodes = withNode(3, { routerID: '10.1.1.1' });
    expectOne(
      stream(clos(nodes)),
      'EVPNFabric/lab',
      'spec.nodes[3].routerID',
      'ROUTER_ID_DUPLICATE',
      '"l1"',
      '10.1.1.1',
    );
    const flat = fabricOn([
      { name: 'a', vtepAddress: '10.0.0.1', routerID: '10.0.0.9' },
      { name: 'b', vtepAddress: '10.0.0.9' },
    ] as never)();
    expectOne(stream(flat), 'EVPNFabric/lab', 'spec.nodes[1].vtepAddress', 'ROUTER_ID_DUPLICATE', '"a"');
  });

  test('only a spine may leave out vtepAddress, and then it needs a routerID', () => {
    const { vtepAddress: _s, ...spineNoVtep } = CLOS[1];
    const { vtepAddress: _l, ...leafNoVtep } = CLOS[3];
    assert.deepEqual(issuesOf(stream(clos([CLOS[0], { ...spineNoVtep, routerID: '10.1.0.2' }, CLOS[2], CLOS[3]]))), []);
    assert.deepEqual(issuesOf(stream(clos([CLOS[0], spineNoVtep, CLOS[2], leafNoVtep]))), [
      ['EVPNFabric/lab', 'spec.nodes[1].routerID', 'ROUTER_ID_REQUIRED'],
      ['EVPNFabric/lab', 'spec.nodes[3].vtepAddress', 'FIELD_REQUIRED'],
    ]);
  });

  test('an IGP underlay: OSPF with one AS, route reflectors and passwords allowed; its own problems all at once', () => {
    const igp = CLOS.map((n) => ({ ...n, asn: 65000 }));
    igp[0] = { ...igp[0], roles: ['spine', 'route-reflector'] };
    const ok = clos(igp, { underlay: { protocol: 'ospf', area: '0.0.0.10' }, passwordFrom: { file: '/etc/pw' } });
    assert.deepEqual(issuesOf(stream(ok, network('web', { vni: 100 }))), []);
    assert.deepEqual(
      issuesOf(readFileSync(new URL('../../lab/clos-fabric-ospf.fabric.yaml', import.meta.url), 'utf8')),
      [],
    );
    const { vtepAddress: _v, ...spineNoVtep } = { ...igp[1], routerID: '10.1.0.2' };
    const mixed = [igp[0], spineNoVtep, { ...igp[2], asn: 65001 }, { ...igp[3], uplinks: [] }];
    assert.deepEqual(issuesOf(stream(clos(mixed, { underlay: { protocol: 'ospf', area: '1.2.3.256' } }))), [
      ['EVPNFabric/lab', 'spec.underlay.area', 'FIELD_VALUE'],
      ['EVPNFabric/lab', 'spec.nodes[1].vtepAddress', 'FIELD_REQUIRED'],
      ['EVPNFabric/lab', 'spec.nodes[3].uplinks', 'UPLINKS_MISSING'],
      ['EVPNFabric/lab', 'spec.nodes', 'ASN_MIXED'],
    ]);
    const flat = fabricOn([{ name: 'a', vtepAddress: '10.0.0.1' }] as never)({ underlay: { protocol: 'ospf' } });
    assert.deepEqual(issuesOf(stream(flat)), [['EVPNFabric/lab', 'spec.underlay', 'UPLINKS_MISSING']]);
  });

  test('IS-IS and OpenFabric: an ISO area address (default 49.0001); the shipped IS-IS lab fabric validates', () => {
    const igp = CLOS.map((n) => ({ ...n, asn: 65000 }));
    for (const protocol of ['isis', 'openfabric']) {
      assert.deepEqual(issuesOf(stream(clos(igp, { underlay: { protocol } }))), [], protocol);
      assert.deepEqual(issuesOf(stream(clos(igp, { underlay: { protocol, area: '49.0001.00AB' } }))), [], protocol);
      for (const area of ['0.0.0.0', '490001', '49.', '49.001', '49.0001.0002.0003.0004.0005.0006.0007'])
        expectOne(
          stream(clos(igp, { underlay: { protocol, area } })),
          'EVPNFabric/lab',
          'spec.underlay.area',
          'FIELD_VALUE',
          `${protocol} area "${area}"`,
          'ISO area address',
        );
    }
    assert.deepEqual(
      issuesOf(readFileSync(new URL('../../lab/clos-fabric-isis.fabric.yaml', import.meta.url), 'utf8')),
      [],
    );
  });

  test('every code of the underlay rules was produced above', () => {
    for (const code of FROM_UNDERLAY_RULES) assert.ok(seen.has(code), code);
  });
});
