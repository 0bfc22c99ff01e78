// Validation end to end on YAML text: envelope (load), shape (zod) and rules.
// Every problem must come back with its resource, field path and code, all at
// once. A final test checks that every code the three steps can produce was
// seen at least once in this file.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { ERROR_CODES, type ErrorCode, type ValidationIssue } from '../../src/resources/error-codes.ts';
import { loadYaml } from '../../src/resources/load.ts';
import { validateYaml } from '../../src/resources/validate.ts';
import { checkCandidate } from '../../src/store/candidate.ts';
import {
  expectIssues,
  FROM_PEER_RULES,
  FROM_RT_RULES,
  FROM_SINGLE_RULES,
  FROM_UNDERLAY_RULES,
  FROM_VRF_RULES,
  issueChecker,
} from '../helpers/issues.ts';
import { API, fabricOn, LEAVES_AND_RR, network, type Obj, stream } from '../helpers/resources.ts';

const fabric = fabricOn(LEAVES_AND_RR);
const { seen, validate, issuesOf, expectOne } = issueChecker();

function one(text: string): ValidationIssue {
  const issues = validate(text);
  assert.equal(issues.length, 1, `expected exactly one issue, got ${JSON.stringify(issues, null, 1)}`);
  return issues[0]!;
}

const VALID_STREAM = stream(
  fabric({
    routeReflectors: { nodes: ['rr1'], clusterID: '10.0.0.9' },
    duplicateAddressDetection: { maxMoves: 3, time: 60, freeze: true },
  }),
  network('vnet100', {
    vni: 100,
    ports: [{ node: 'leaf1', interface: 'eth1' }],
    rd: '10.0.0.1:100',
    routeTargets: { import: ['65000:100', '10.0.0.1:100'], export: ['65000:100'] },
  }),
  network('vnet200', { vni: 200, bridge: 'br200', nodes: ['leaf2'], mtu: 1400, arpNdSuppression: false }),
);

describe('loadYaml envelopes', () => {
  test('multi-document stream: one resource per document, empty trailing document ignored', () => {
    const loaded = loadYaml(`${VALID_STREAM}---\n`);
    assert.deepEqual(loaded.issues, []);
    assert.deepEqual(
      loaded.resources.map((r) => `${r.apiVersion}/${r.kind}/${r.metadata.name}`),
      [`${API}/EVPNFabric/lab`, `${API}/EVPNNetwork/vnet100`, `${API}/EVPNNetwork/vnet200`],
    );
    assert.deepEqual(loaded.resources[1]!.spec, {
      vni: 100,
      ports: [{ node: 'leaf1', interface: 'eth1' }],
      rd: '10.0.0.1:100',
      routeTargets: { import: ['65000:100', '10.0.0.1:100'], export: ['65000:100'] },
    });
  });

  test('routerd Router document with spec.resources', () => {
    const router = {
      apiVersion: 'routerd.net/v1alpha1',
      kind: 'Router',
      metadata: { name: 'edge' },
      spec: { resources: [fabric(), network('vnet100', { vni: 100 })] },
    };
    const loaded = loadYaml(stringify(router));
    assert.deepEqual(loaded.issues, []);
    assert.deepEqual(
      loaded.resources.map((r) => [r.apiVersion, r.kind, r.metadata.name]),
      [
        [API, 'EVPNFabric', 'lab'],
        [API, 'EVPNNetwork', 'vnet100'],
      ],
    );
    assert.deepEqual(loaded.resources[1]!.spec, { vni: 100 });
    const v = validateYaml(stringify(router));
    assert.equal(v.ok, true);
    assert.equal(v.resources.length, 2);
  });

  test('a Router without spec.resources is an envelope error', () => {
    const loaded = loadYaml(
      stringify({ apiVersion: 'routerd.net/v1alpha1', kind: 'Router', metadata: { name: 'edge' }, spec: {} }),
    );
    assert.deepEqual(loaded.resources, []);
    expectIssues(loaded.issues, [{ resource: 'document 1', path: 'spec.resources', code: 'ENVELOPE_INVALID' }]);
    seen.add('ENVELOPE_INVALID');
  });

  test('a Router item without kind is reported with its index path', () => {
    const text = stringify({
      apiVersion: 'routerd.net/v1alpha1',
      kind: 'Router',
      metadata: { name: 'edge' },
      spec: { resources: [fabric(), { apiVersion: API, metadata: { name: 'x' }, spec: {} }] },
    });
    expectOne(text, 'document 1', 'spec.resources[1]', 'ENVELOPE_INVALID', 'kind');
  });

  test('a scalar document and a document without metadata.name', () => {
    const text = `just a string\n---\napiVersion: ${API}\nkind: EVPNNetwork\nspec: {vni: 1}\n`;
    assert.deepEqual(issuesOf(text), [
      ['document 1', '', 'ENVELOPE_INVALID'],
      ['document 2', '', 'ENVELOPE_INVALID'],
    ]);
  });
});

describe('valid input', () => {
  test('a valid stream yields ok=true, zero issues and typed resources', () => {
    const result = validateYaml(VALID_STREAM);
    assert.deepEqual(result.issues, []);
    assert.equal(result.ok, true);
    assert.deepEqual(
      result.resources.map((r) => r.kind),
      ['EVPNFabric', 'EVPNNetwork', 'EVPNNetwork'],
    );
  });

  test('IPv6 VTEPs with an IPv4 routerID are valid', () => {
    const text = stream(
      fabric({
        nodes: [
          { name: 'a', vtepAddress: 'fd00::1', routerID: '10.0.0.1' },
          { name: 'b', vtepAddress: 'fd00::2', routerID: '10.0.0.2' },
        ],
      }),
      network('n1', { vni: 1, mtu: 1430 }),
    );
    assert.deepEqual(issuesOf(text), []);
  });
});

describe('document and shape errors', () => {
  test('YAML syntax error', () => {
    const issue = one('apiVersion: evpn.routerd.net/v1alpha1\nkind: EVPNFabric\nmetadata: {name: lab\nspec: {}\n');
    assert.deepEqual([issue.resource, issue.path, issue.code], ['document 1', '', 'YAML_PARSE']);
  });

  test('YAML duplicate key is a parse error; the other documents are still validated', () => {
    const text = `${stringify(fabric())}---\napiVersion: ${API}\nkind: EVPNNetwork\nmetadata: {name: n1}\nspec: {vni: 1, vni: 2}\n---\n${stringify(network('n2', { vni: 0 }))}`;
    assert.deepEqual(issuesOf(text), [
      ['document 2', '', 'YAML_PARSE'],
      ['EVPNNetwork/n2', 'spec.vni', 'VNI_RANGE'],
    ]);
  });

  test('unknown kind', () => {
    expectOne(
      stream(fabric(), { apiVersion: API, kind: 'EVPNVrf', metadata: { name: 'red' }, spec: { l3vni: 5000 } }),
      'EVPNVrf/red',
      'kind',
      'KIND_UNKNOWN',
      'EVPNVrf',
    );
  });

  test('known kind under an unknown apiVersion', () => {
    expectOne(
      stream(fabric(), {
        apiVersion: 'evpn.routerd.net/v2',
        kind: 'EVPNNetwork',
        metadata: { name: 'n' },
        spec: { vni: 1 },
      }),
      'EVPNNetwork/n',
      'kind',
      'KIND_UNKNOWN',
    );
  });

  test('unknown field (typo) in EVPNNetwork', () => {
    expectOne(
      stream(fabric(), network('n1', { vni: 1, arpNdSupression: false })),
      'EVPNNetwork/n1',
      'spec.arpNdSupression',
      'FIELD_UNKNOWN',
      'arpNdSupression',
    );
  });

  test('unknown field (typo) in a fabric node and in metadata', () => {
    const f = fabric({ nodes: [{ name: 'leaf1', vtepAdress: '10.0.0.1', vtepAddress: '10.0.0.1' }] });
    (f.metadata as Obj).labls = { a: 'b' };
    assert.deepEqual(issuesOf(stream(f)), [
      ['EVPNFabric/lab', 'metadata.labls', 'FIELD_UNKNOWN'],
      ['EVPNFabric/lab', 'spec.nodes[0].vtepAdress', 'FIELD_UNKNOWN'],
    ]);
  });

  test('wrong type: VNI as a string', () => {
    expectOne(stream(fabric(), network('n1', { vni: '100' })), 'EVPNNetwork/n1', 'spec.vni', 'FIELD_TYPE', '"100"');
  });

  test('wrong type: fabric mtu as a string, node list as a map', () => {
    assert.deepEqual(issuesOf(stream(fabric({ mtu: 'big' }))), [['EVPNFabric/lab', 'spec.mtu', 'FIELD_TYPE']]);
    assert.deepEqual(issuesOf(stream(fabric({ nodes: { leaf1: '10.0.0.1' } }))), [
      ['EVPNFabric/lab', 'spec.nodes', 'FIELD_TYPE'],
    ]);
  });

  test('wrong type: duplicateAddressDetection.freeze matches none of the union forms', () => {
    expectOne(
      stream(fabric({ duplicateAddressDetection: { freeze: 'forever' } })),
      'EVPNFabric/lab',
      'spec.duplicateAddressDetection.freeze',
      'FIELD_TYPE',
      'forever',
    );
  });

  test('required fields missing: VNI, node vtepAddress', () => {
    expectOne(stream(fabric(), network('n1', { bridge: 'br1' })), 'EVPNNetwork/n1', 'spec.vni', 'FIELD_REQUIRED');
    expectOne(
      stream(fabric({ nodes: [{ name: 'leaf1' }] })),
      'EVPNFabric/lab',
      'spec.nodes[0].vtepAddress',
      'FIELD_REQUIRED',
    );
  });

  test('enum values: irb, roles, replication', () => {
    assert.deepEqual(
      issuesOf(
        stream(fabric({ irb: 'symetric', nodes: [{ name: 'leaf1', vtepAddress: '10.0.0.1', roles: ['border'] }] })),
      ),
      [
        ['EVPNFabric/lab', 'spec.nodes[0].roles[0]', 'FIELD_VALUE'],
        ['EVPNFabric/lab', 'spec.irb', 'FIELD_VALUE'],
      ],
    );
    expectOne(
      stream(fabric(), network('n1', { vni: 1, replication: 'flood' })),
      'EVPNNetwork/n1',
      'spec.replication',
      'FIELD_VALUE',
      '"flood"',
    );
  });

  test('a network with a broken shape does not also report FABRIC_MISSING for a broken fabric', () => {
    // The fabric fails its shape (nodes missing): only that is reported, not "no fabric".
    const text = stream(
      { apiVersion: API, kind: 'EVPNFabric', metadata: { name: 'lab' }, spec: { asn: 65000 } },
      network('n1', { vni: 1 }),
    );
    assert.deepEqual(issuesOf(text), [['EVPNFabric/lab', 'spec.nodes', 'FIELD_REQUIRED']]);
  });
});

describe('EVPNFabric rules', () => {
  test('node listed twice', () => {
    expectOne(
      stream(
        fabric({
          nodes: [
            { name: 'leaf1', vtepAddress: '10.0.0.1' },
            { name: 'leaf1', vtepAddress: '10.0.0.2' },
          ],
        }),
      ),
      'EVPNFabric/lab',
      'spec.nodes[1].name',
      'NODE_DUPLICATE',
      'leaf1',
    );
  });

  test('VTEP is not an IP address', () => {
    expectOne(
      stream(
        fabric({
          nodes: [
            { name: 'leaf1', vtepAddress: '10.0.0.256' },
            { name: 'leaf2', vtepAddress: '10.0.0.2' },
          ],
        }),
      ),
      'EVPNFabric/lab',
      'spec.nodes[0].vtepAddress',
      'IP_INVALID',
      '10.0.0.256',
    );
  });

  test('routerID must be IPv4; an IPv6 VTEP needs one', () => {
    const text = stream(
      fabric({
        nodes: [
          { name: 'a', vtepAddress: '10.0.0.1', routerID: 'fd00::1' },
          { name: 'b', vtepAddress: 'fd00::2' },
        ],
      }),
    );
    assert.deepEqual(issuesOf(text), [
      ['EVPNFabric/lab', 'spec.nodes[0].routerID', 'IP_INVALID'],
      ['EVPNFabric/lab', 'spec.nodes[1].routerID', 'ROUTER_ID_REQUIRED'],
    ]);
  });

  test('two nodes share a VTEP', () => {
    expectOne(
      stream(
        fabric({
          nodes: [
            { name: 'a', vtepAddress: '10.0.0.1' },
            { name: 'b', vtepAddress: '10.0.0.1' },
          ],
        }),
      ),
      'EVPNFabric/lab',
      'spec.nodes[1].vtepAddress',
      'VTEP_DUPLICATE',
      '"a"',
    );
  });

  test('node name with bad characters', () => {
    expectOne(
      stream(
        fabric({
          nodes: [
            { name: 'leaf 1', vtepAddress: '10.0.0.1' },
            { name: 'b', vtepAddress: '10.0.0.2' },
          ],
        }),
      ),
      'EVPNFabric/lab',
      'spec.nodes[0].name',
      'NAME_INVALID',
    );
  });

  test('ASN missing on a node when spec.asn is unset; per-node ASNs that differ', () => {
    const missing = fabric({
      nodes: [
        { name: 'a', vtepAddress: '10.0.0.1', asn: 65001 },
        { name: 'b', vtepAddress: '10.0.0.2' },
      ],
    });
    delete (missing.spec as Obj).asn;
    assert.deepEqual(issuesOf(stream(missing)), [['EVPNFabric/lab', 'spec.nodes[1].asn', 'ASN_MISSING']]);
    const mixed = fabric({
      nodes: [
        { name: 'a', vtepAddress: '10.0.0.1', asn: 65001 },
        { name: 'b', vtepAddress: '10.0.0.2', asn: 65002 },
      ],
    });
    delete (mixed.spec as Obj).asn;
    expectOne(stream(mixed), 'EVPNFabric/lab', 'spec.nodes', 'ASN_MIXED', '65001, 65002');
  });

  test('ASN out of range on the fabric and on a node', () => {
    const text = stream(
      fabric({
        asn: 0,
        nodes: [
          { name: 'a', vtepAddress: '10.0.0.1', asn: 4294967296 },
          { name: 'b', vtepAddress: '10.0.0.2' },
        ],
      }),
    );
    assert.deepEqual(issuesOf(text), [
      ['EVPNFabric/lab', 'spec.asn', 'ASN_RANGE'],
      ['EVPNFabric/lab', 'spec.nodes[0].asn', 'ASN_RANGE'],
      ['EVPNFabric/lab', 'spec.nodes', 'ASN_MIXED'],
    ]);
  });

  test('MTU 575 and underlay MTU 9217 are out of range', () => {
    const text = stream(fabric({ mtu: 575, underlayMTU: 9217 }));
    assert.deepEqual(issuesOf(text), [
      ['EVPNFabric/lab', 'spec.mtu', 'MTU_RANGE'],
      ['EVPNFabric/lab', 'spec.underlayMTU', 'MTU_RANGE'],
    ]);
  });

  test('overlay MTU plus encapsulation must fit the underlay', () => {
    expectOne(stream(fabric({ mtu: 1451 })), 'EVPNFabric/lab', 'spec.mtu', 'MTU_EXCEEDS_UNDERLAY', '1451');
    assert.deepEqual(issuesOf(stream(fabric({ mtu: 1450 }))), []);
    assert.deepEqual(issuesOf(stream(fabric({ mtu: 8950, underlayMTU: 9000 }))), []);
  });

  // FRR refuses `dup-addr-detection max-moves 1`, `time 1801`, `freeze 10`
  // (ranges 2-1000, 2-1800, 30-3600; checked with vtysh -C): refuse them up front.
  test("duplicateAddressDetection outside FRR's ranges", () => {
    const issues = issuesOf(stream(fabric({ duplicateAddressDetection: { maxMoves: 1, time: 1801, freeze: 10 } })));
    assert.deepEqual(
      issues.map((i) => i[1]),
      [
        'spec.duplicateAddressDetection.maxMoves',
        'spec.duplicateAddressDetection.time',
        'spec.duplicateAddressDetection.freeze',
      ],
    );
  });

  test('UDP port out of range', () => {
    expectOne(stream(fabric({ udpPort: 65536 })), 'EVPNFabric/lab', 'spec.udpPort', 'PORT_RANGE');
  });

  test('unknown node in routeReflectors; bad clusterID and external RR address', () => {
    const text = stream(
      fabric({ routeReflectors: { nodes: ['rr1', 'rr2'], clusterID: 'abc', external: ['10.0.0.300'] } }),
    );
    assert.deepEqual(issuesOf(text), [
      ['EVPNFabric/lab', 'spec.routeReflectors.nodes[1]', 'NODE_UNKNOWN'],
      ['EVPNFabric/lab', 'spec.routeReflectors.external[0]', 'IP_INVALID'],
      ['EVPNFabric/lab', 'spec.routeReflectors.clusterID', 'FIELD_VALUE'],
    ]);
  });

  test('every node a route reflector (by list and by role)', () => {
    const text = stream(
      fabric({
        nodes: [
          { name: 'a', vtepAddress: '10.0.0.1', roles: ['route-reflector'] },
          { name: 'b', vtepAddress: '10.0.0.2' },
        ],
        routeReflectors: { nodes: ['b'] },
      }),
    );
    expectOne(text, 'EVPNFabric/lab', 'spec.routeReflectors.nodes', 'RR_NO_CLIENTS');
  });

  test('contract fields not implemented yet are refused, each with its path', () => {
    const text = stream(
      fabric({
        external: ['10.9.9.9'],
        nodes: [
          { name: 'a', vtepAddress: '10.0.0.1' },
          { name: 'b', vtepAddress: '10.0.0.2' },
        ],
      }),
    );
    assert.deepEqual(issuesOf(text), [['EVPNFabric/lab', 'spec.external', 'FIELD_UNSUPPORTED']]);
  });

  test('two fabrics', () => {
    expectOne(stream(fabric(), fabric({}, 'other')), 'EVPNFabric/other', 'metadata.name', 'FABRIC_MULTIPLE', '"lab"');
  });

  test('the same identity twice (the copy causes no follow-on problems); a bad resource name', () => {
    assert.deepEqual(issuesOf(stream(fabric(), network('n1', { vni: 1 }), network('n1', { vni: 1 }))), [
      ['EVPNNetwork/n1', 'metadata.name', 'RESOURCE_DUPLICATE'],
    ]);
    expectOne(stream(fabric({}, '-lab')), 'EVPNFabric/-lab', 'metadata.name', 'NAME_INVALID');
  });
});

describe('EVPNNetwork rules', () => {
  test('FABRIC_MISSING: networks without a fabric', () => {
    expectOne(stream(network('n1', { vni: 1 }), network('n2', { vni: 2 })), 'EVPNNetwork/n1', 'spec', 'FABRIC_MISSING');
  });

  test('VNI 0 and 16777216 are out of range; 1 and 16777215 are fine', () => {
    assert.deepEqual(issuesOf(stream(fabric(), network('n0', { vni: 0 }), network('nmax', { vni: 16777216 }))), [
      ['EVPNNetwork/n0', 'spec.vni', 'VNI_RANGE'],
      ['EVPNNetwork/nmax', 'spec.vni', 'VNI_RANGE'],
    ]);
    assert.deepEqual(issuesOf(stream(fabric(), network('n1', { vni: 1 }), network('n2', { vni: 16777215 }))), []);
  });

  test('duplicate VNI names the network that has it first', () => {
    expectOne(
      stream(fabric(), network('a', { vni: 100 }), network('b', { vni: 100 })),
      'EVPNNetwork/b',
      'spec.vni',
      'VNI_DUPLICATE',
      'EVPNNetwork/a',
    );
  });

  test('MTU 575 and 9217 are out of range (and not also reported as exceeding the underlay)', () => {
    assert.deepEqual(
      issuesOf(stream(fabric(), network('a', { vni: 1, mtu: 575 }), network('b', { vni: 2, mtu: 9217 }))),
      [
        ['EVPNNetwork/a', 'spec.mtu', 'MTU_RANGE'],
        ['EVPNNetwork/b', 'spec.mtu', 'MTU_RANGE'],
      ],
    );
  });

  test('network MTU above the fabric overlay MTU', () => {
    expectOne(
      stream(fabric(), network('a', { vni: 1, mtu: 1500 })),
      'EVPNNetwork/a',
      'spec.mtu',
      'MTU_EXCEEDS_UNDERLAY',
      '1450',
    );
    // IPv6 VTEPs: 1500 - 70 = 1430
    const v6 = fabric({ nodes: [{ name: 'a', vtepAddress: 'fd00::1', routerID: '10.0.0.1' }] });
    expectOne(
      stream(v6, network('a', { vni: 1, mtu: 1431 })),
      'EVPNNetwork/a',
      'spec.mtu',
      'MTU_EXCEEDS_UNDERLAY',
      '1430',
    );
    assert.deepEqual(issuesOf(stream(fabric({ underlayMTU: 9000 }), network('a', { vni: 1, mtu: 8950 }))), []);
  });

  test('bridge name over 15 bytes (explicit and derived from the resource name)', () => {
    expectOne(
      stream(fabric(), network('n1', { vni: 1, bridge: 'bridge-name-16by' })),
      'EVPNNetwork/n1',
      'spec.bridge',
      'IFNAME_TOO_LONG',
      '16 bytes',
    );
    expectOne(
      stream(fabric(), network('tenant-network-1', { vni: 1 })),
      'EVPNNetwork/tenant-network-1',
      'metadata.name',
      'IFNAME_TOO_LONG',
      'set spec.bridge',
    );
    // 15 bytes is fine; multi-byte UTF-8 counts bytes, not characters
    assert.deepEqual(issuesOf(stream(fabric(), network('n1', { vni: 1, bridge: 'bridge-name-15b' }))), []);
    expectOne(
      stream(fabric(), network('n1', { vni: 1, bridge: 'brüüüüüüü' })),
      'EVPNNetwork/n1',
      'spec.bridge',
      'IFNAME_TOO_LONG',
      '16 bytes',
    );
  });

  test('bridge and port names with bad characters', () => {
    const text = stream(
      fabric(),
      network('n1', {
        vni: 1,
        bridge: 'br/1',
        ports: [
          { node: 'leaf1', interface: 'eth 1' },
          { node: 'leaf1', interface: '..' },
        ],
      }),
    );
    assert.deepEqual(issuesOf(text), [
      ['EVPNNetwork/n1', 'spec.bridge', 'IFNAME_INVALID'],
      ['EVPNNetwork/n1', 'spec.ports[0].interface', 'IFNAME_INVALID'],
      ['EVPNNetwork/n1', 'spec.ports[1].interface', 'IFNAME_INVALID'],
    ]);
  });

  test('port interface name over 15 bytes', () => {
    expectOne(
      stream(fabric(), network('n1', { vni: 1, ports: [{ node: 'leaf1', interface: 'enp0s31f6-long-x' }] })),
      'EVPNNetwork/n1',
      'spec.ports[0].interface',
      'IFNAME_TOO_LONG',
    );
  });

  test('unknown node in ports and in nodes; port node outside the network nodes', () => {
    const text = stream(
      fabric(),
      network('n1', {
        vni: 1,
        nodes: ['leaf1', 'leaf9'],
        ports: [
          { node: 'leaf7', interface: 'eth1' },
          { node: 'leaf2', interface: 'eth1' },
          { node: 'leaf1', interface: 'eth1' },
        ],
      }),
    );
    assert.deepEqual(issuesOf(text), [
      ['EVPNNetwork/n1', 'spec.nodes[1]', 'NODE_UNKNOWN'],
      ['EVPNNetwork/n1', 'spec.ports[0].node', 'NODE_UNKNOWN'],
      ['EVPNNetwork/n1', 'spec.ports[1].node', 'NODE_UNKNOWN'],
    ]);
  });

  test('duplicate bridge: explicit bridge equal to another network name', () => {
    expectOne(
      stream(fabric(), network('blue', { vni: 1 }), network('red', { vni: 2, bridge: 'blue' })),
      'EVPNNetwork/red',
      'spec.bridge',
      'BRIDGE_DUPLICATE',
      'EVPNNetwork/blue',
    );
  });

  test("duplicate bridge: a bridge named like an earlier network's VXLAN device", () => {
    expectOne(
      stream(fabric(), network('a', { vni: 100 }), network('b', { vni: 2, bridge: 'vxlan100' })),
      'EVPNNetwork/b',
      'spec.bridge',
      'BRIDGE_DUPLICATE',
      'VXLAN device',
    );
  });

  // Bridges and VXLAN devices share one interface namespace, in any order.
  test('duplicate bridge: VXLAN device named like an earlier bridge or its own bridge', () => {
    assert.notDeepEqual(
      issuesOf(stream(fabric(), network('a', { vni: 1, bridge: 'vxlan100' }), network('b', { vni: 100 }))),
      [],
    );
    assert.notDeepEqual(issuesOf(stream(fabric(), network('a', { vni: 100, bridge: 'vxlan100' }))), []);
  });

  test('the same port in two networks and twice in one', () => {
    const text = stream(
      fabric(),
      network('a', {
        vni: 1,
        ports: [
          { node: 'leaf1', interface: 'eth1' },
          { node: 'leaf1', interface: 'eth1' },
        ],
      }),
      network('b', {
        vni: 2,
        ports: [
          { node: 'leaf1', interface: 'eth1' },
          { node: 'leaf2', interface: 'eth1' },
        ],
      }),
    );
    assert.deepEqual(issuesOf(text), [
      ['EVPNNetwork/a', 'spec.ports[1]', 'PORT_DUPLICATE'],
      ['EVPNNetwork/b', 'spec.ports[0]', 'PORT_DUPLICATE'],
    ]);
  });

  test('bad rd and route targets', () => {
    const text = stream(
      fabric(),
      network('a', {
        vni: 1,
        rd: '65000',
        routeTargets: { import: ['65000:1', 'x:1'], export: ['65000:1', '1.2.3:4'] },
      }),
    );
    assert.deepEqual(issuesOf(text), [
      ['EVPNNetwork/a', 'spec.rd', 'FIELD_VALUE'],
      ['EVPNNetwork/a', 'spec.routeTargets.import[1]', 'FIELD_VALUE'],
      ['EVPNNetwork/a', 'spec.routeTargets.export[1]', 'FIELD_VALUE'],
    ]);
  });

  // FRR 8.4 bgpd (checked with `bgpd --dryrun`, see test/golden) refuses a
  // wildcard RT under an L2VNI ("% Malformed Route Target list"; FRR issue
  // 20713: only L3VNI/VRF RTs take `*:NN`) and `rd *:NN` ("% Malformed Route
  // Distinguisher"), so rules.ts refuses `*` for both.
  test('wildcard route targets and rd under an EVPNNetwork are refused', () => {
    const issues = issuesOf(
      stream(fabric(), network('a', { vni: 1, rd: '*:1', routeTargets: { import: ['*:1'], export: ['*:1'] } })),
    );
    assert.deepEqual(
      issues.map((i) => i[1]),
      ['spec.rd', 'spec.routeTargets.import[0]', 'spec.routeTargets.export[0]'],
    );
  });

  // vrf and gateway are checked by rules-vrf.ts (resources-validate-vrf.test.ts).
  test('flood, group and static replication are not implemented yet', () => {
    const text = stream(
      fabric(),
      network('a', { vni: 1, replication: 'static', flood: ['10.0.0.2'], group: '239.1.1.1' }),
    );
    assert.deepEqual(issuesOf(text), [
      ['EVPNNetwork/a', 'spec.flood', 'FIELD_UNSUPPORTED'],
      ['EVPNNetwork/a', 'spec.group', 'FIELD_UNSUPPORTED'],
      ['EVPNNetwork/a', 'spec.replication', 'FIELD_UNSUPPORTED'],
    ]);
  });
});

describe('many problems at once', () => {
  const MANY = `
apiVersion: ${API}
kind: EVPNFabric
metadata: {name: lab}
spec:
  asn: 65000
  mtu: 575
  nodes:
    - {name: leaf1, vtepAddress: 10.0.0.1}
    - {name: leaf1, vtepAddress: 10.0.0.2}
    - {name: leaf3, vtepAddress: not-an-ip}
  routeReflectors: {nodes: [rr9]}
---
apiVersion: ${API}
kind: EVPNNetwork
metadata: {name: blue}
spec:
  vni: 16777216
  mtu: 9217
  arpNdSupression: false
  ports:
    - {node: leaf9, interface: eth1}
    - {node: leaf1, interface: this-is-too-long0}
---
apiVersion: ${API}
kind: EVPNNetwork
metadata: {name: red}
spec:
  vni: 100
  bridge: blue
  ports:
    - {node: leaf1, interface: "eth:1"}
---
apiVersion: ${API}
kind: EVPNNetwork
metadata: {name: green}
spec:
  vni: 100
  mtu: "1400"
---
apiVersion: ${API}
kind: EVPNVrf
metadata: {name: tenant}
spec: {l3vni: 5000}
`;

  test('every problem is reported, with its resource and path', () => {
    const result = validateYaml(MANY);
    for (const i of result.issues) seen.add(i.code);
    assert.equal(result.ok, false);
    const got = result.issues.map((i) => [i.resource, i.path, i.code]);
    const expected = [
      ['EVPNNetwork/blue', 'spec.arpNdSupression', 'FIELD_UNKNOWN'],
      ['EVPNNetwork/green', 'spec.mtu', 'FIELD_TYPE'],
      ['EVPNVrf/tenant', 'kind', 'KIND_UNKNOWN'],
      ['EVPNFabric/lab', 'spec.mtu', 'MTU_RANGE'],
      ['EVPNFabric/lab', 'spec.nodes[1].name', 'NODE_DUPLICATE'],
      ['EVPNFabric/lab', 'spec.nodes[2].vtepAddress', 'IP_INVALID'],
      ['EVPNFabric/lab', 'spec.routeReflectors.nodes[0]', 'NODE_UNKNOWN'],
      ['EVPNNetwork/blue', 'spec.vni', 'VNI_RANGE'],
      ['EVPNNetwork/blue', 'spec.mtu', 'MTU_RANGE'],
      ['EVPNNetwork/blue', 'spec.ports[0].node', 'NODE_UNKNOWN'],
      ['EVPNNetwork/blue', 'spec.ports[1].interface', 'IFNAME_TOO_LONG'],
      ['EVPNNetwork/red', 'spec.ports[0].interface', 'IFNAME_INVALID'],
      ['EVPNNetwork/red', 'spec.bridge', 'BRIDGE_DUPLICATE'],
    ];
    assert.equal(got.length, expected.length, JSON.stringify(got, null, 1));
    assert.deepEqual(new Set(got.map((g) => g.join(' '))), new Set(expected.map((e) => e.join(' '))));
    assert.deepEqual(
      new Set(result.issues.map((i) => i.code)),
      new Set([
        'FIELD_UNKNOWN',
        'FIELD_TYPE',
        'KIND_UNKNOWN',
        'MTU_RANGE',
        'NODE_DUPLICATE',
        'IP_INVALID',
        'NODE_UNKNOWN',
        'VNI_RANGE',
        'IFNAME_TOO_LONG',
        'IFNAME_INVALID',
        'BRIDGE_DUPLICATE',
      ]),
    );
    for (const i of result.issues) assert.ok(i.message.length > 10, `${i.code} has a message`);
    // The network with a type error (green) fails its shape and is not checked
    // further, so its VNI 100 does not also count as a duplicate of red's.
    assert.equal(
      result.resources.some((r) => r.metadata.name === 'green'),
      false,
    );
    assert.equal(
      result.resources.some((r) => r.metadata.name === 'blue'),
      true,
      'an unknown field alone does not drop the resource',
    );
  });
});

describe('hostile and careless input (issue: hardening)', () => {
  test('ordinary anchor reuse works; aliases without an anchor, across documents or into themselves are coded', () => {
    const nodes = Array.from(
      { length: 150 },
      (_, i) => `    - {name: n${i}, vtepAddress: 10.1.${i >> 8}.${(i & 255) + 1}, asn: *as}`,
    ).join('\n');
    const reuse = `apiVersion: ${API}\nkind: EVPNFabric\nmetadata: {name: lab}\nspec:\n  asn: &as 65000\n  nodes:\n${nodes}\n`;
    assert.deepEqual(issuesOf(reuse), []);
    expectOne(
      `apiVersion: ${API}\nkind: EVPNFabric\nmetadata: {name: lab}\nspec: {asn: *nope, nodes: []}\n`,
      'document 1',
      'spec.asn',
      'YAML_ALIAS',
      'names no anchor',
    );
    const cross = `apiVersion: ${API}\nkind: EVPNFabric\nmetadata: {name: &x lab}\nspec: {asn: 1, nodes: []}\n---\napiVersion: ${API}\nkind: EVPNNetwork\nmetadata: {name: *x}\nspec: {vni: 1}\n`;
    expectOne(cross, 'document 2', 'metadata.name', 'YAML_ALIAS', 'do not cross');
    expectOne(
      `apiVersion: ${API}\nkind: EVPNFabric\nmetadata: {name: lab}\nspec: {asn: &a [*a], nodes: []}\n`,
      'document 1',
      'spec.asn[0]',
      'YAML_ALIAS',
      'recursive',
    );
  });

  test('an alias bomb is refused before it is expanded', () => {
    const levels = ['a: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `b${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const issue = one(levels.join('\n'));
    assert.equal(issue.code, 'LIMIT_EXCEEDED');
    assert.match(issue.message, /aliases are expanded/);
  });

  test('"__proto__" keys are reserved; built-in property names are plain unknown kinds and node names', () => {
    expectOne(
      stream(fabric(), { apiVersion: API, kind: 'EVPNVRF', metadata: { name: 'red' }, spec: { l3vni: 5000 } }).replace(
        'l3vni: 5000',
        'l3vni: 5000\n  routerMAC: {__proto__: {leaf1: 02:00:00:00:00:01}}',
      ),
      'document 2',
      'spec.routerMAC.__proto__',
      'KEY_RESERVED',
    );
    for (const kind of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expectOne(
        stream({ apiVersion: API, kind, metadata: { name: 'x' }, spec: {} }),
        `${kind}/x`,
        'kind',
        'KIND_UNKNOWN',
      );
      expectOne(
        stream({ apiVersion: kind, kind: 'EVPNFabric', metadata: { name: 'x' }, spec: {} }),
        'EVPNFabric/x',
        'kind',
        'KIND_UNKNOWN',
      );
    }
    const named = fabric({
      nodes: [
        { name: 'constructor', vtepAddress: '10.0.0.1' },
        { name: 'toString', vtepAddress: '10.0.0.2' },
      ],
    });
    assert.deepEqual(
      issuesOf(stream(named, { apiVersion: API, kind: 'EVPNVRF', metadata: { name: 'red' }, spec: { l3vni: 5000 } })),
      [],
    );
  });

  test('VTEP addresses: special addresses are unusable, one address written two ways is a duplicate', () => {
    const at = (addrs: string[]) =>
      stream(fabric({ nodes: addrs.map((a, i) => ({ name: `n${i}`, vtepAddress: a, routerID: `10.9.0.${i + 1}` })) }));
    for (const bad of [
      '0.0.0.0',
      '255.255.255.255',
      '239.1.1.1',
      '127.0.0.1',
      '169.254.1.1',
      'ff02::1',
      'fe80::1',
      '::',
      '::1',
      '::ffff:10.0.0.11',
    ]) {
      expectOne(at(['10.0.0.1', bad]), 'EVPNFabric/lab', 'spec.nodes[1].vtepAddress', 'IP_UNUSABLE');
    }
    expectOne(
      at(['10.0.0.1', 'fe80::1%eth0']),
      'EVPNFabric/lab',
      'spec.nodes[1].vtepAddress',
      'IP_INVALID',
      'zone index',
    );
    expectOne(at(['fd00::1', 'FD00:0::1']), 'EVPNFabric/lab', 'spec.nodes[1].vtepAddress', 'VTEP_DUPLICATE', 'n0');
  });

  test('ports naming a device the daemon creates, or the loopback, are refused', () => {
    const nets = [
      network('blue', {
        vni: 100,
        ports: [
          { node: 'leaf1', interface: 'blue' },
          { node: 'leaf1', interface: 'vxlan200' },
          { node: 'leaf2', interface: 'lo' },
        ],
      }),
      network('green', { vni: 200 }),
    ];
    assert.deepEqual(issuesOf(stream(fabric(), ...nets)), [
      ['EVPNNetwork/blue', 'spec.ports[0].interface', 'PORT_INVALID'],
      ['EVPNNetwork/blue', 'spec.ports[1].interface', 'PORT_INVALID'],
      ['EVPNNetwork/blue', 'spec.ports[2].interface', 'PORT_INVALID'],
    ]);
  });

  test('a fabric whose shape fails does not make every port a NODE_UNKNOWN', () => {
    const broken = fabric({
      nodes: [
        { name: 'leaf1', vtepAddress: '10.0.0.1', typo: 1 },
        { name: 'leaf2', vtepAddress: 10 },
      ],
    });
    assert.deepEqual(
      issuesOf(
        stream(
          broken,
          network('blue', {
            vni: 100,
            ports: [
              { node: 'leaf1', interface: 'eth1' },
              { node: 'leaf2', interface: 'eth1' },
            ],
          }),
        ),
      ),
      [
        ['EVPNFabric/lab', 'spec.nodes[0].typo', 'FIELD_UNKNOWN'],
        ['EVPNFabric/lab', 'spec.nodes[1].vtepAddress', 'FIELD_TYPE'],
      ],
    );
  });

  test('a mistyped secret value is never echoed', () => {
    const issue = one(stream(fabric({ passwordFrom: 'hunter2-secret' })));
    assert.equal(issue.code, 'FIELD_TYPE');
    assert.doesNotMatch(issue.message, /hunter2/);
  });

  test('an empty file or one of only comments is refused by the candidate check, with nothing to store', () => {
    for (const text of ['', '# only a comment\n', '---\n---\n']) {
      const c = checkCandidate(text, [], true);
      for (const i of c.issues) seen.add(i.code);
      assert.deepEqual(
        c.issues.map((i) => [i.resource, i.code]),
        [['document 1', 'CANDIDATE_EMPTY']],
      );
      assert.equal(c.yaml, '');
    }
  });
});

// The API-only codes are raised by the control API and store, not by validation.
const NOT_FROM_VALIDATION: ErrorCode[] = ['TARGET_INVALID', 'NOT_FOUND', 'REQUEST_INVALID', 'INTERNAL', 'UNAUTHORIZED'];
// LIMIT_EXCEEDED is produced above by the alias bomb; byte, document and resource limits in test/unit/limits.test.ts.
// Codes only the VRF and routed-network rules raise (FROM_VRF_RULES) are produced in resources-validate-vrf.test.ts,
// those of the single VXLAN device (FROM_SINGLE_RULES) in single-vxlan.test.ts.

test('every validation error code was produced by a test above', () => {
  const missing = (Object.keys(ERROR_CODES) as ErrorCode[]).filter(
    (c) =>
      !NOT_FROM_VALIDATION.includes(c) &&
      !FROM_VRF_RULES.includes(c) &&
      !FROM_SINGLE_RULES.includes(c) &&
      !FROM_UNDERLAY_RULES.includes(c) &&
      !FROM_RT_RULES.includes(c) &&
      !FROM_PEER_RULES.includes(c) &&
      !seen.has(c),
  );
  assert.deepEqual(missing, [], `validation codes never produced by a test: ${missing.join(', ')}`);
});
