// Validation of tenant VRFs, routed networks and IRB (rules-vrf.ts), end to end
// on YAML text: every problem with its resource, field path and code, all at
// once. A final test checks that every code only these rules raise was seen.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cidrsOverlap, formatIp, parseCidr, parseIp, subnetText } from '../../src/resources/cidr.ts';
import { ERROR_CODES, type ErrorCode, type ValidationIssue } from '../../src/resources/error-codes.ts';
import { defaultRouterMac } from '../../src/resources/names.ts';
import { expectIssues, FROM_VRF_RULES, type IssueTriple, issueChecker } from '../helpers/issues.ts';
import { API, fabricOn, LEAVES_EXITS_RR, network, type Obj, stream, vrf } from '../helpers/resources.ts';

const fabric = fabricOn(LEAVES_EXITS_RR);
const asymmetric = () => fabric({ irb: 'asymmetric' });
const check = issueChecker(20);
const { seen, validate } = check;
const issuesOf = (...docs: Obj[]): IssueTriple[] => check.issuesOf(stream(...docs));
const expectOne = (
  docs: Obj[],
  resource: string,
  path: string,
  code: ErrorCode,
  ...messageIncludes: string[]
): ValidationIssue => check.expectOne(stream(...docs), resource, path, code, ...messageIncludes);

// One uplink that passes every rule, for exit tests that break one field.
function uplink(node: string, over: Obj = {}): Obj {
  return { node, interface: 'eth9', address: { ipv4: '192.0.2.2/29' }, nextHop: { ipv4: '192.0.2.1' }, ...over };
}

const exitVrf = (exit: Obj, spec: Obj = {}) =>
  vrf('red', { l3vni: 5001, exit: { nodes: ['exit1'], uplinks: [uplink('exit1')], ...exit }, ...spec });

// Two tenants reusing the same subnets, dual-stack gateways, an exit on two nodes.
const VALID_SYMMETRIC = [
  fabric({ routeReflectors: { nodes: ['rr1'] } }),
  vrf('red', {
    l3vni: 5001,
    table: 'auto',
    rd: '10.0.0.1:5001',
    routerMAC: { leaf1: '02:00:00:00:01:01', leaf2: '02:00:00:00:01:02', exit1: '02-00-00-00-01-03' },
    routeTargets: { import: ['65000:5001', '*:5001'], export: ['65000:5001'] },
    advertise: { ipv4Unicast: true, ipv6Unicast: true },
    exit: {
      nodes: ['exit1', 'exit2'],
      primary: 'exit1',
      defaultRoute: true,
      uplinks: [
        {
          node: 'exit1',
          interface: 'eth9',
          address: { ipv4: '192.0.2.2/29', ipv6: '2001:db8:ff::2/64' },
          nextHop: { ipv4: '192.0.2.1', ipv6: '2001:db8:ff::1' },
        },
        // the same upstream LAN; IPv6 via the router's link-local address
        {
          node: 'exit2',
          interface: 'eth9',
          address: { ipv4: '192.0.2.3/29' },
          nextHop: { ipv4: '192.0.2.1', ipv6: 'fe80::1' },
        },
      ],
    },
  }),
  vrf('blue', {
    l3vni: 5002,
    table: 1002,
    nodes: ['leaf1', 'leaf2'],
    routeTargets: { import: ['65000:5002'], export: ['65000:5002'] },
  }),
  vrf('solo', { l3vni: 5003, nodes: ['leaf1'], routerMAC: '02:00:00:00:03:01' }),
  network('red-web', {
    vni: 100,
    vrf: 'red',
    gateway: { ipv4: '10.1.0.1/24', ipv6: 'fd00:1::1/64', mac: '02:aa:00:00:00:01' },
  }),
  network('red-db', { vni: 101, vrf: 'red', nodes: ['leaf1', 'leaf2'], gateway: { ipv4: '10.1.1.1/24' } }),
  network('blue-web', {
    vni: 200,
    vrf: 'blue',
    nodes: ['leaf1', 'leaf2'],
    gateway: { ipv4: '10.1.0.1/24', ipv6: 'fd00:1::1/64', mac: '02:aa:00:00:00:01' },
  }),
  network('blue-p2p', {
    vni: 201,
    vrf: 'blue',
    nodes: ['leaf1'],
    gateway: { ipv4: '10.9.9.0/31', ipv6: 'fd00:9::/127' },
  }),
  network('solo-net', { vni: 300, vrf: 'solo', nodes: ['leaf1'], gateway: { ipv4: '10.1.0.1/24' } }),
  network('plain-l2', { vni: 400, ports: [{ node: 'leaf1', interface: 'eth1' }] }),
];

const VALID_ASYMMETRIC = [
  asymmetric(),
  vrf('green', { table: 100, advertise: { ipv4Unicast: false } }),
  vrf('edge', { nodes: ['leaf1', 'leaf2'] }),
  network('g1', { vni: 10, vrf: 'green', gateway: { ipv4: '10.2.0.1/24' } }),
  network('g2', { vni: 11, vrf: 'green', gateway: { ipv6: 'fd00:2::1/64' } }),
  network('e1', { vni: 12, vrf: 'edge', nodes: ['leaf2', 'leaf1'], gateway: { ipv4: '10.2.0.1/24' } }),
];

describe('valid VRFs', () => {
  test('symmetric IRB: two tenants with the same subnets, dual-stack gateways, an exit on two nodes', () => {
    expectIssues(validate(stream(...VALID_SYMMETRIC)), []);
  });

  test('asymmetric IRB: no L3VNI, every routed network on every node of its VRF', () => {
    expectIssues(validate(stream(...VALID_ASYMMETRIC)), []);
  });
});

describe('EVPNVRF rules', () => {
  test('FABRIC_MISSING: a VRF without a fabric (one issue per kind), not when the fabric failed its shape', () => {
    assert.deepEqual(issuesOf(vrf('red', { l3vni: 5001 }), vrf('blue', { l3vni: 5002 })), [
      ['EVPNVRF/red', 'spec', 'FABRIC_MISSING'],
    ]);
    assert.deepEqual(issuesOf(network('n1', { vni: 1 }), vrf('red', { l3vni: 5001 })), [
      ['EVPNNetwork/n1', 'spec', 'FABRIC_MISSING'],
      ['EVPNVRF/red', 'spec', 'FABRIC_MISSING'],
    ]);
    const broken = { apiVersion: API, kind: 'EVPNFabric', metadata: { name: 'lab' }, spec: { asn: 65000 } };
    assert.deepEqual(issuesOf(broken, vrf('red', { l3vni: 5001 })), [
      ['EVPNFabric/lab', 'spec.nodes', 'FIELD_REQUIRED'],
    ]);
  });

  test('the VRF name becomes the VRF device: at most 15 bytes', () => {
    expectOne(
      [fabric(), vrf('tenant-red-vrf-1', { l3vni: 5001 })],
      'EVPNVRF/tenant-red-vrf-1',
      'metadata.name',
      'IFNAME_TOO_LONG',
      'VRF device',
    );
  });

  test('DEVICE_NAME_DUPLICATE: a VRF named like a network bridge or a VXLAN device', () => {
    expectOne(
      [fabric(), network('blue', { vni: 1 }), vrf('blue', { l3vni: 5001 })],
      'EVPNVRF/blue',
      'metadata.name',
      'DEVICE_NAME_DUPLICATE',
      'EVPNVRF/blue (VRF device)',
      'EVPNNetwork/blue (bridge)',
    );
    expectOne(
      [fabric(), network('n1', { vni: 100 }), vrf('vxlan100', { l3vni: 5001 })],
      'EVPNVRF/vxlan100',
      'metadata.name',
      'DEVICE_NAME_DUPLICATE',
      'EVPNNetwork/n1 (VXLAN device)',
    );
  });

  test('DEVICE_NAME_DUPLICATE: an L3VNI bridge named like a network bridge; a VRF named like its own L3VNI bridge', () => {
    expectOne(
      [fabric(), network('n1', { vni: 1, bridge: 'l3vni5001' }), vrf('red', { l3vni: 5001 })],
      'EVPNVRF/red',
      'spec.l3vni',
      'DEVICE_NAME_DUPLICATE',
      'L3VNI bridge',
      'EVPNNetwork/n1 (bridge)',
    );
    expectOne(
      [fabric(), vrf('l3vni5001', { l3vni: 5001 })],
      'EVPNVRF/l3vni5001',
      'metadata.name',
      'DEVICE_NAME_DUPLICATE',
      'EVPNVRF/l3vni5001 (L3VNI bridge)',
    );
  });

  test('l3vni: range, and one VNI space with L2VNIs and other VRFs', () => {
    expectOne([fabric(), vrf('red', { l3vni: 16777216 })], 'EVPNVRF/red', 'spec.l3vni', 'VNI_RANGE', '16777216');
    expectOne(
      [fabric(), network('n1', { vni: 5001 }), vrf('red', { l3vni: 5001 })],
      'EVPNVRF/red',
      'spec.l3vni',
      'VNI_DUPLICATE',
      'EVPNNetwork/n1',
    );
    expectOne(
      [fabric(), vrf('red', { l3vni: 5001, table: 10 }), vrf('blue', { l3vni: 5001, table: 11 })],
      'EVPNVRF/blue',
      'spec.l3vni',
      'VNI_DUPLICATE',
      'EVPNVRF/red',
    );
  });

  test('L3VNI_REQUIRED: symmetric IRB (the default and explicit) needs an l3vni', () => {
    expectOne([fabric(), vrf('red', {})], 'EVPNVRF/red', 'spec.l3vni', 'L3VNI_REQUIRED');
    expectOne([fabric({ irb: 'symmetric' }), vrf('red', { table: 10 })], 'EVPNVRF/red', 'spec.l3vni', 'L3VNI_REQUIRED');
  });

  test('IRB_MODE_CONFLICT: asymmetric IRB with l3vni, type-5 advertise, exit, rd and route targets', () => {
    const issues = validate(
      stream(
        asymmetric(),
        vrf('red', {
          l3vni: 5001,
          advertise: { ipv4Unicast: true, ipv6Unicast: false },
          exit: { nodes: ['exit1'] },
          rd: '65000:1',
          routeTargets: { import: ['65000:1'] },
        }),
      ),
    );
    expectIssues(issues, [
      { resource: 'EVPNVRF/red', path: 'spec.l3vni', code: 'IRB_MODE_CONFLICT' },
      { resource: 'EVPNVRF/red', path: 'spec.advertise', code: 'IRB_MODE_CONFLICT' },
      { resource: 'EVPNVRF/red', path: 'spec.exit', code: 'IRB_MODE_CONFLICT' },
      { resource: 'EVPNVRF/red', path: 'spec.rd', code: 'IRB_MODE_CONFLICT' },
      { resource: 'EVPNVRF/red', path: 'spec.routeTargets', code: 'IRB_MODE_CONFLICT' },
    ]);
    assert.match(issues[0]!.message, /asymmetric.*no L3VNI and no type-5/);
    assert.match(issues[1]!.message, /advertise ipv4Unicast asks/);
  });

  test('TABLE_RANGE: 0, the reserved 253..255 and above 2^32-1', () => {
    assert.deepEqual(
      issuesOf(
        fabric(),
        vrf('a', { l3vni: 1, table: 0 }),
        vrf('b', { l3vni: 2, table: 254 }),
        vrf('c', { l3vni: 3, table: 4294967296 }),
      ),
      [
        ['EVPNVRF/a', 'spec.table', 'TABLE_RANGE'],
        ['EVPNVRF/b', 'spec.table', 'TABLE_RANGE'],
        ['EVPNVRF/c', 'spec.table', 'TABLE_RANGE'],
      ],
    );
    assert.deepEqual(
      issuesOf(fabric(), vrf('a', { l3vni: 1, table: 1 }), vrf('b', { l3vni: 2, table: 4294967295 })),
      [],
    );
  });

  test('TABLE_DUPLICATE: explicit, and derived from the l3vni (the message says so)', () => {
    expectOne(
      [fabric(), vrf('a', { l3vni: 1, table: 1000 }), vrf('b', { l3vni: 2, table: 1000 })],
      'EVPNVRF/b',
      'spec.table',
      'TABLE_DUPLICATE',
      'EVPNVRF/a',
    );
    expectOne(
      [fabric(), vrf('a', { l3vni: 5003 }), vrf('b', { l3vni: 2, table: 5003 })],
      'EVPNVRF/b',
      'spec.table',
      'TABLE_DUPLICATE',
      'EVPNVRF/a (derived)',
    );
    expectOne(
      [fabric(), vrf('a', { l3vni: 1, table: 5002 }), vrf('b', { l3vni: 5002 })],
      'EVPNVRF/b',
      'spec.table',
      'TABLE_DUPLICATE',
      'derived',
      'its l3vni',
      'set spec.table',
    );
  });

  test('routerMAC: MAC_INVALID and MAC_NOT_UNICAST (multicast, all zeros)', () => {
    expectOne(
      [fabric(), vrf('red', { l3vni: 5001, nodes: ['leaf1'], routerMAC: '02:00:00:00:01' })],
      'EVPNVRF/red',
      'spec.routerMAC',
      'MAC_INVALID',
      '02:00:00:00:01',
    );
    assert.deepEqual(
      issuesOf(
        fabric(),
        vrf('red', {
          l3vni: 5001,
          routerMAC: { leaf1: '01:00:5e:00:00:01', leaf2: '00:00:00:00:00:00', exit1: 'zz:00:00:00:00:01' },
        }),
      ),
      [
        ['EVPNVRF/red', 'spec.routerMAC.leaf1', 'MAC_NOT_UNICAST'],
        ['EVPNVRF/red', 'spec.routerMAC.leaf2', 'MAC_NOT_UNICAST'],
        ['EVPNVRF/red', 'spec.routerMAC.exit1', 'MAC_INVALID'],
      ],
    );
  });

  test('ROUTER_MAC_SHARED: one routerMAC string for a VRF on several nodes', () => {
    expectOne(
      [fabric(), vrf('red', { l3vni: 5001, routerMAC: '02:00:00:00:01:01' })],
      'EVPNVRF/red',
      'spec.routerMAC',
      'ROUTER_MAC_SHARED',
      'leaf1, leaf2, exit1, exit2',
      '{node: MAC}',
    );
  });

  test("ROUTER_MAC_DUPLICATE: the same MAC for two nodes (any spelling), or a node's derived MAC", () => {
    expectOne(
      [fabric(), vrf('red', { l3vni: 5001, routerMAC: { leaf1: '02:00:00:00:01:01', leaf2: '02-00-00-00-01-01' } })],
      'EVPNVRF/red',
      'spec.routerMAC.leaf2',
      'ROUTER_MAC_DUPLICATE',
      'leaf1',
    );
    expectOne(
      [fabric(), vrf('red', { l3vni: 5001, routerMAC: { leaf1: defaultRouterMac('lab', 'leaf2') } })],
      'EVPNVRF/red',
      'spec.routerMAC.leaf1',
      'ROUTER_MAC_DUPLICATE',
      'derived router MAC of node "leaf2"',
    );
  });

  test('ROUTER_MAC_DUPLICATE: a router MAC equal to an anycast gateway MAC in that VRF (not in another VRF)', () => {
    const docs = [
      fabric(),
      vrf('red', { l3vni: 5001, routerMAC: { leaf1: '02:00:00:00:01:01' } }),
      vrf('blue', { l3vni: 5002 }),
      network('r1', { vni: 1, vrf: 'red', gateway: { ipv4: '10.1.0.1/24', mac: '02:00:00:00:01:01' } }),
      network('b1', { vni: 2, vrf: 'blue', gateway: { ipv4: '10.1.0.1/24', mac: '02:00:00:00:01:01' } }),
    ];
    expectOne(docs, 'EVPNVRF/red', 'spec.routerMAC.leaf1', 'ROUTER_MAC_DUPLICATE', 'EVPNNetwork/r1');
    const derived = [
      fabric(),
      vrf('red', { l3vni: 5001 }),
      network('r1', { vni: 1, vrf: 'red', gateway: { ipv4: '10.1.0.1/24', mac: defaultRouterMac('lab', 'exit2') } }),
    ];
    expectOne(derived, 'EVPNNetwork/r1', 'spec.gateway.mac', 'ROUTER_MAC_DUPLICATE', 'node "exit2"');
  });

  test('routerMAC map keys must be nodes of the VRF', () => {
    const issues = issuesOf(
      fabric(),
      vrf('red', {
        l3vni: 5001,
        nodes: ['leaf1'],
        routerMAC: { leaf1: '02:00:00:00:01:01', leaf2: '02:00:00:00:01:02', 'no.de': '02:00:00:00:01:03' },
      }),
    );
    assert.deepEqual(issues, [
      ['EVPNVRF/red', 'spec.routerMAC.leaf2', 'NODE_UNKNOWN'],
      ['EVPNVRF/red', 'spec.routerMAC["no.de"]', 'NODE_UNKNOWN'],
    ]);
  });

  test('rd and route targets: a wildcard only on import', () => {
    assert.deepEqual(
      issuesOf(
        fabric(),
        vrf('red', {
          l3vni: 5001,
          rd: '*:5001',
          routeTargets: { import: ['*:5001', '65000:x'], export: ['*:5001', '65000:1'] },
        }),
      ),
      [
        ['EVPNVRF/red', 'spec.rd', 'FIELD_VALUE'],
        ['EVPNVRF/red', 'spec.routeTargets.import[1]', 'FIELD_VALUE'],
        ['EVPNVRF/red', 'spec.routeTargets.export[0]', 'FIELD_VALUE'],
      ],
    );
  });

  test('nodes: unknown nodes and route reflectors', () => {
    assert.deepEqual(issuesOf(fabric(), vrf('red', { l3vni: 5001, nodes: ['leaf1', 'ghost', 'rr1'] })), [
      ['EVPNVRF/red', 'spec.nodes[1]', 'NODE_UNKNOWN'],
      ['EVPNVRF/red', 'spec.nodes[2]', 'FIELD_VALUE'],
    ]);
  });
});

describe('EVPNVRF exit', () => {
  test('exit nodes: unknown, a route reflector, outside the VRF, twice; primary no node of the VRF; snat', () => {
    const docs = [
      fabric(),
      vrf('red', {
        l3vni: 5001,
        nodes: ['leaf1', 'exit1'],
        exit: {
          nodes: ['exit1', 'ghost', 'rr1', 'exit2', 'exit1'],
          primary: 'ghost',
          snat: { to: '192.0.2.2' },
          uplinks: [uplink('exit1')],
        },
      }),
    ];
    assert.deepEqual(issuesOf(...docs), [
      ['EVPNVRF/red', 'spec.exit.nodes[1]', 'NODE_UNKNOWN'],
      ['EVPNVRF/red', 'spec.exit.nodes[2]', 'FIELD_VALUE'],
      ['EVPNVRF/red', 'spec.exit.nodes[3]', 'NODE_UNKNOWN'],
      ['EVPNVRF/red', 'spec.exit.nodes[4]', 'FIELD_VALUE'],
      ['EVPNVRF/red', 'spec.exit.primary', 'NODE_UNKNOWN'],
      ['EVPNVRF/red', 'spec.exit.snat', 'FIELD_UNSUPPORTED'],
    ]);
  });

  test('EXIT_UPLINK_MISSING: an uplink on every exit node or on none; none (host routing) is valid on a flat fabric', () => {
    assert.deepEqual(issuesOf(fabric(), exitVrf({ nodes: ['exit1', 'exit2'], uplinks: undefined })), []);
    assert.deepEqual(issuesOf(fabric(), exitVrf({ nodes: ['exit1', 'exit2'], uplinks: [], primary: 'exit2' })), []);
    // a primary need not be an exit (Proxmox VE allows it): every exit then defers to it alike
    assert.deepEqual(issuesOf(fabric(), exitVrf({ nodes: ['exit1'], uplinks: [], primary: 'exit2' })), []);
    expectOne(
      [fabric(), exitVrf({ nodes: ['exit1', 'exit2'] })],
      'EVPNVRF/red',
      'spec.exit.uplinks',
      'EXIT_UPLINK_MISSING',
      '"exit2"',
      'or none to every exit node (host routing)',
    );
  });

  test('FIELD_UNSUPPORTED: host-routing exits on an eBGP underlay', () => {
    const clos = fabricOn([
      { name: 'spine1', asn: 65100, vtepAddress: '10.1.0.1', roles: ['spine'], uplinks: ['eth1', 'eth2'] },
      { name: 'exit1', asn: 65101, vtepAddress: '10.1.1.1', uplinks: ['eth1'] },
      { name: 'leaf1', asn: 65102, vtepAddress: '10.1.1.2', uplinks: ['eth1'] },
    ]);
    expectOne(
      [clos({ asn: undefined }), exitVrf({ nodes: ['exit1'], uplinks: undefined })],
      'EVPNVRF/red',
      'spec.exit',
      'FIELD_UNSUPPORTED',
      'eBGP underlay',
    );
  });

  test('uplinks: a node twice, a node that is not an exit node', () => {
    assert.deepEqual(
      issuesOf(
        fabric(),
        exitVrf({ uplinks: [uplink('exit1'), uplink('exit1', { interface: 'eth8' }), uplink('leaf1')] }),
      ),
      [
        ['EVPNVRF/red', 'spec.exit.uplinks[1].node', 'FIELD_VALUE'],
        ['EVPNVRF/red', 'spec.exit.uplinks[2].node', 'NODE_UNKNOWN'],
      ],
    );
  });

  test('uplink interface: a bad name, a port of a network on the same node, a device the daemon creates, the loopback', () => {
    expectOne(
      [fabric(), exitVrf({ uplinks: [uplink('exit1', { interface: 'enp0s31f6-uplink' })] })],
      'EVPNVRF/red',
      'spec.exit.uplinks[0].interface',
      'IFNAME_TOO_LONG',
    );
    const port = [
      fabric(),
      network('n1', {
        vni: 1,
        ports: [
          { node: 'exit1', interface: 'eth9' },
          { node: 'leaf1', interface: 'eth8' },
        ],
      }),
      exitVrf({}),
    ];
    expectOne(port, 'EVPNVRF/red', 'spec.exit.uplinks[0].interface', 'PORT_DUPLICATE', 'a port of EVPNNetwork/n1');
    // the same interface name on another node is another interface
    assert.deepEqual(
      issuesOf(fabric(), network('n1', { vni: 1, ports: [{ node: 'leaf1', interface: 'eth9' }] }), exitVrf({})),
      [],
    );
    expectOne(
      [fabric(), vrf('blue', { l3vni: 5002 }), exitVrf({ uplinks: [uplink('exit1', { interface: 'blue' })] })],
      'EVPNVRF/red',
      'spec.exit.uplinks[0].interface',
      'PORT_INVALID',
      'EVPNVRF/blue (VRF device)',
    );
    // a later VRF's devices count too
    expectOne(
      [fabric(), exitVrf({ uplinks: [uplink('exit1', { interface: 'l3vni7' })] }), vrf('blue', { l3vni: 7 })],
      'EVPNVRF/red',
      'spec.exit.uplinks[0].interface',
      'PORT_INVALID',
      'L3VNI bridge',
    );
    expectOne(
      [fabric(), exitVrf({ uplinks: [uplink('exit1', { interface: 'lo' })] })],
      'EVPNVRF/red',
      'spec.exit.uplinks[0].interface',
      'PORT_INVALID',
      'loopback',
    );
  });

  test('the same uplink interface in two VRFs on one node', () => {
    const blue = vrf('blue', {
      l3vni: 5002,
      exit: {
        nodes: ['exit1'],
        uplinks: [uplink('exit1', { address: { ipv4: '198.51.100.2/29' }, nextHop: { ipv4: '198.51.100.1' } })],
      },
    });
    expectOne(
      [fabric(), exitVrf({}), blue],
      'EVPNVRF/blue',
      'spec.exit.uplinks[0].interface',
      'PORT_DUPLICATE',
      'the exit uplink of EVPNVRF/red',
    );
  });

  test('uplink addresses: CIDR_INVALID (no prefix, wrong family), none given', () => {
    assert.deepEqual(
      issuesOf(
        fabric(),
        exitVrf({ uplinks: [uplink('exit1', { address: { ipv4: '192.0.2.2', ipv6: '192.0.2.2/29' }, nextHop: {} })] }),
      ),
      [
        ['EVPNVRF/red', 'spec.exit.uplinks[0].address.ipv4', 'CIDR_INVALID'],
        ['EVPNVRF/red', 'spec.exit.uplinks[0].address.ipv6', 'CIDR_INVALID'],
        ['EVPNVRF/red', 'spec.exit.uplinks[0].nextHop', 'FIELD_REQUIRED'],
      ],
    );
    expectOne(
      [fabric(), exitVrf({ defaultRoute: false, uplinks: [uplink('exit1', { address: {}, nextHop: {} })] })],
      'EVPNVRF/red',
      'spec.exit.uplinks[0].address',
      'FIELD_REQUIRED',
    );
  });

  test("next hops: IP_INVALID, NEXTHOP_OUTSIDE_SUBNET, a family without an address, the uplink's own address", () => {
    const bad = uplink('exit1', {
      address: { ipv4: '192.0.2.2/29' },
      nextHop: { ipv4: '192.0.2.1/29', ipv6: '2001:db8::1' },
    });
    assert.deepEqual(issuesOf(fabric(), exitVrf({ uplinks: [bad] })), [
      ['EVPNVRF/red', 'spec.exit.uplinks[0].nextHop.ipv4', 'IP_INVALID'],
      ['EVPNVRF/red', 'spec.exit.uplinks[0].address.ipv6', 'FIELD_REQUIRED'],
    ]);
    expectOne(
      [fabric(), exitVrf({ uplinks: [uplink('exit1', { nextHop: { ipv4: '192.0.2.9' } })] })],
      'EVPNVRF/red',
      'spec.exit.uplinks[0].nextHop.ipv4',
      'NEXTHOP_OUTSIDE_SUBNET',
      '192.0.2.0/29',
    );
    expectOne(
      [
        fabric(),
        exitVrf({
          uplinks: [uplink('exit1', { address: { ipv6: '2001:db8:ff::2/64' }, nextHop: { ipv6: '2001:db8:fe::1' } })],
        }),
      ],
      'EVPNVRF/red',
      'spec.exit.uplinks[0].nextHop.ipv6',
      'NEXTHOP_OUTSIDE_SUBNET',
      '2001:db8:ff::/64',
    );
    expectOne(
      [fabric(), exitVrf({ uplinks: [uplink('exit1', { nextHop: { ipv4: '192.0.2.2' } })] })],
      'EVPNVRF/red',
      'spec.exit.uplinks[0].nextHop.ipv4',
      'FIELD_VALUE',
      'own address',
    );
    expectOne(
      [fabric(), exitVrf({ uplinks: [uplink('exit1', { nextHop: { ipv4: 'fe80::1' } })] })],
      'EVPNVRF/red',
      'spec.exit.uplinks[0].nextHop.ipv4',
      'IP_INVALID',
    );
  });

  test('defaultRoute (default true) needs a next hop on every uplink; false does not', () => {
    expectOne(
      [fabric(), exitVrf({ uplinks: [uplink('exit1', { nextHop: {} })] })],
      'EVPNVRF/red',
      'spec.exit.uplinks[0].nextHop',
      'FIELD_REQUIRED',
      'defaultRoute',
    );
    assert.deepEqual(
      issuesOf(fabric(), exitVrf({ defaultRoute: false, uplinks: [uplink('exit1', { nextHop: {} })] })),
      [],
    );
  });

  test('SUBNET_OVERLAP: an uplink subnet overlapping a network subnet of the same VRF (not another VRF)', () => {
    const docs = [
      fabric(),
      exitVrf({}),
      vrf('blue', { l3vni: 5002 }),
      network('r1', { vni: 1, vrf: 'red', gateway: { ipv4: '192.0.2.9/28' } }),
      network('b1', { vni: 2, vrf: 'blue', gateway: { ipv4: '192.0.2.1/29' } }),
    ];
    expectOne(
      docs,
      'EVPNVRF/red',
      'spec.exit.uplinks[0].address.ipv4',
      'SUBNET_OVERLAP',
      '192.0.2.0/29',
      '192.0.2.0/28',
      'EVPNNetwork/r1',
    );
  });
});

describe('routed EVPNNetwork rules', () => {
  test('VRF_UNKNOWN lists the known VRFs; not raised when an EVPNVRF failed its shape', () => {
    expectOne(
      [fabric(), vrf('red', { l3vni: 5001 }), network('n1', { vni: 1, vrf: 'reed' })],
      'EVPNNetwork/n1',
      'spec.vrf',
      'VRF_UNKNOWN',
      '"reed"',
      'known: red',
    );
    assert.deepEqual(issuesOf(fabric(), vrf('red', { l3vni: '5001' }), network('n1', { vni: 1, vrf: 'red' })), [
      ['EVPNVRF/red', 'spec.l3vni', 'FIELD_TYPE'],
    ]);
  });

  test('VRF_NOT_ON_NODE: the network is on nodes its VRF is not on (explicit and default nodes)', () => {
    const red = vrf('red', { l3vni: 5001, nodes: ['leaf1'] });
    expectOne(
      [fabric(), red, network('n1', { vni: 1, vrf: 'red', nodes: ['leaf1', 'leaf2'] })],
      'EVPNNetwork/n1',
      'spec.nodes',
      'VRF_NOT_ON_NODE',
      'leaf2',
    );
    expectOne(
      [fabric(), red, network('n1', { vni: 1, vrf: 'red' })],
      'EVPNNetwork/n1',
      'spec.vrf',
      'VRF_NOT_ON_NODE',
      'leaf2, exit1, exit2',
    );
  });

  test('GATEWAY_NEEDS_VRF; a gateway with neither ipv4 nor ipv6', () => {
    expectOne(
      [fabric(), network('n1', { vni: 1, gateway: { ipv4: '10.1.0.1/24' } })],
      'EVPNNetwork/n1',
      'spec.gateway',
      'GATEWAY_NEEDS_VRF',
    );
    expectOne(
      [
        fabric(),
        vrf('red', { l3vni: 5001 }),
        network('n1', { vni: 1, vrf: 'red', gateway: { mac: '02:aa:00:00:00:01' } }),
      ],
      'EVPNNetwork/n1',
      'spec.gateway',
      'FIELD_REQUIRED',
    );
  });

  test('CIDR_INVALID: no prefix length, the wrong family, a prefix too long', () => {
    const issues = validate(
      stream(
        fabric(),
        vrf('red', { l3vni: 5001 }),
        network('a', { vni: 1, vrf: 'red', gateway: { ipv4: '10.1.0.1', ipv6: '10.1.1.1/24' } }),
        network('b', { vni: 2, vrf: 'red', gateway: { ipv4: 'fd00:1::1/64', ipv6: 'fd00:2::1/129' } }),
      ),
    );
    expectIssues(issues, [
      { resource: 'EVPNNetwork/a', path: 'spec.gateway.ipv4', code: 'CIDR_INVALID' },
      { resource: 'EVPNNetwork/a', path: 'spec.gateway.ipv6', code: 'CIDR_INVALID' },
      { resource: 'EVPNNetwork/b', path: 'spec.gateway.ipv4', code: 'CIDR_INVALID' },
      { resource: 'EVPNNetwork/b', path: 'spec.gateway.ipv6', code: 'CIDR_INVALID' },
    ]);
    assert.match(issues[0]!.message, /prefix length is missing/);
  });

  test('GATEWAY_ADDRESS: network address, broadcast, /32, IPv6 subnet-router anycast; /30 and /126 too; /31 and /127 are fine', () => {
    const issues = validate(
      stream(
        fabric(),
        vrf('red', { l3vni: 5001 }),
        vrf('vb', { l3vni: 5002 }),
        vrf('vc', { l3vni: 5003 }),
        vrf('vd', { l3vni: 5004 }),
        vrf('ve', { l3vni: 5005 }),
        network('a', { vni: 1, vrf: 'red', gateway: { ipv4: '10.1.0.0/24', ipv6: 'fd00:1::/64' } }),
        network('b', { vni: 2, vrf: 'vb', gateway: { ipv4: '10.1.0.255/24' } }),
        network('c', { vni: 3, vrf: 'vc', gateway: { ipv4: '10.1.0.1/32', ipv6: 'fd00:1::1/128' } }),
        network('d', { vni: 4, vrf: 'vd', gateway: { ipv4: '10.1.0.1/31', ipv6: 'fd00:1::1/127' } }),
        network('e', { vni: 5, vrf: 've', gateway: { ipv4: '10.1.0.4/30', ipv6: 'fd00:1::/126' } }),
      ),
    );
    expectIssues(issues, [
      { resource: 'EVPNNetwork/a', path: 'spec.gateway.ipv4', code: 'GATEWAY_ADDRESS' },
      { resource: 'EVPNNetwork/a', path: 'spec.gateway.ipv6', code: 'GATEWAY_ADDRESS' },
      { resource: 'EVPNNetwork/b', path: 'spec.gateway.ipv4', code: 'GATEWAY_ADDRESS' },
      { resource: 'EVPNNetwork/c', path: 'spec.gateway.ipv4', code: 'GATEWAY_ADDRESS' },
      { resource: 'EVPNNetwork/c', path: 'spec.gateway.ipv6', code: 'GATEWAY_ADDRESS' },
      { resource: 'EVPNNetwork/e', path: 'spec.gateway.ipv4', code: 'GATEWAY_ADDRESS' },
      { resource: 'EVPNNetwork/e', path: 'spec.gateway.ipv6', code: 'GATEWAY_ADDRESS' },
    ]);
    assert.match(issues[0]!.message, /10\.1\.0\.0\/24 is the network address of 10\.1\.0\.0\/24.*10\.1\.0\.1\/24/);
    assert.match(issues[2]!.message, /broadcast/);
  });

  test('gateway.mac: MAC_INVALID and MAC_NOT_UNICAST', () => {
    assert.deepEqual(
      issuesOf(
        fabric(),
        vrf('red', { l3vni: 5001 }),
        network('a', { vni: 1, vrf: 'red', gateway: { ipv4: '10.1.0.1/24', mac: '02:aa:00:00:00:0g' } }),
        network('b', { vni: 2, vrf: 'red', gateway: { ipv4: '10.1.1.1/24', mac: '03:aa:00:00:00:01' } }),
      ),
      [
        ['EVPNNetwork/a', 'spec.gateway.mac', 'MAC_INVALID'],
        ['EVPNNetwork/b', 'spec.gateway.mac', 'MAC_NOT_UNICAST'],
      ],
    );
  });

  test('GATEWAY_DUPLICATE: the same gateway IP on two networks of one VRF (even with another prefix length)', () => {
    expectOne(
      [
        fabric(),
        vrf('red', { l3vni: 5001 }),
        network('a', { vni: 1, vrf: 'red', gateway: { ipv4: '10.1.0.1/24' } }),
        network('b', { vni: 2, vrf: 'red', gateway: { ipv4: '10.1.0.1/16' } }),
      ],
      'EVPNNetwork/b',
      'spec.gateway.ipv4',
      'GATEWAY_DUPLICATE',
      '10.1.0.1',
      'EVPNNetwork/a',
    );
  });

  test('SUBNET_OVERLAP: two networks of one VRF; IPv4 and IPv6 each; names both networks and prefixes', () => {
    const issues = validate(
      stream(
        fabric(),
        vrf('red', { l3vni: 5001 }),
        network('a', { vni: 1, vrf: 'red', gateway: { ipv4: '10.1.0.1/16', ipv6: 'fd00:1::1/48' } }),
        network('b', { vni: 2, vrf: 'red', gateway: { ipv4: '10.1.2.1/24', ipv6: 'fd00:1:0:5::1/64' } }),
      ),
    );
    expectIssues(issues, [
      { resource: 'EVPNNetwork/b', path: 'spec.gateway.ipv4', code: 'SUBNET_OVERLAP' },
      { resource: 'EVPNNetwork/b', path: 'spec.gateway.ipv6', code: 'SUBNET_OVERLAP' },
    ]);
    for (const text of ['10.1.2.0/24', '10.1.0.0/16', 'EVPNNetwork/a', 'EVPNVRF/red'])
      assert.ok(issues[0]!.message.includes(text), issues[0]!.message);
    assert.ok(issues[1]!.message.includes('fd00:1::/48'), issues[1]!.message);
  });

  test('several subnets on one network: lists of gateway CIDRs, each checked by its index', () => {
    const ok = [
      fabric(),
      vrf('red', { l3vni: 5001 }),
      network('a', {
        vni: 1,
        vrf: 'red',
        gateway: { ipv4: ['10.1.0.1/24', '192.168.10.1/24'], ipv6: ['fd00:1::1/64', 'fd00:2::1/64'] },
      }),
    ];
    assert.deepEqual(issuesOf(...ok), []);
    const issues = validate(
      stream(
        fabric(),
        vrf('red', { l3vni: 5001 }),
        network('a', { vni: 1, vrf: 'red', gateway: { ipv4: ['10.1.0.1/24', '10.1.0.9/25', '10.2.0.1'], ipv6: [] } }),
        network('b', { vni: 2, vrf: 'red', gateway: { ipv4: [], ipv6: [] } }),
      ),
    );
    expectIssues(issues, [
      { resource: 'EVPNNetwork/a', path: 'spec.gateway.ipv4[2]', code: 'CIDR_INVALID' },
      { resource: 'EVPNNetwork/b', path: 'spec.gateway', code: 'FIELD_REQUIRED' },
      { resource: 'EVPNNetwork/a', path: 'spec.gateway.ipv4[1]', code: 'SUBNET_OVERLAP' },
    ]);
  });

  test('SNAT: needs an exit (SNAT_NO_EXIT) and, with uplinks, an uplink address of each family (SNAT_NO_SOURCE)', () => {
    const net = (vrfName: string) =>
      network('apps', { vni: 1, vrf: vrfName, gateway: { ipv4: '10.1.0.1/24', ipv6: 'fd00:1::1/64', snat: true } });
    expectOne(
      [fabric(), vrf('red', { l3vni: 5001 }), net('red')],
      'EVPNNetwork/apps',
      'spec.gateway.snat',
      'SNAT_NO_EXIT',
      'EVPNVRF/red has no exit nodes to source-NAT 10.1.0.0/24, fd00:1::/64 at',
    );
    expectOne(
      [fabric(), exitVrf({}), net('red')],
      'EVPNNetwork/apps',
      'spec.gateway.snat',
      'SNAT_NO_SOURCE',
      'the uplink eth9 of exit node "exit1" in EVPNVRF/red has no IPv6 address to translate fd00:1::/64 to',
    );
    // host-routing exits translate to their own default route's source, read on the node
    assert.deepEqual(issuesOf(fabric(), exitVrf({ uplinks: undefined }), net('red')), []);
  });

  test('ASYMMETRIC_COVERAGE: a routed network missing from nodes of its VRF', () => {
    expectOne(
      [
        asymmetric(),
        vrf('green', {}),
        network('g1', { vni: 1, vrf: 'green', nodes: ['leaf1', 'leaf2'], gateway: { ipv4: '10.2.0.1/24' } }),
      ],
      'EVPNNetwork/g1',
      'spec.nodes',
      'ASYMMETRIC_COVERAGE',
      'exit1, exit2',
      'every VTEP needs every routed L2VNI',
    );
    // the same under symmetric IRB is fine
    assert.deepEqual(
      issuesOf(fabric(), vrf('green', { l3vni: 5001 }), network('g1', { vni: 1, vrf: 'green', nodes: ['leaf1'] })),
      [],
    );
  });

  test('flood and group stay unsupported; vrf and gateway no longer are', () => {
    assert.deepEqual(
      issuesOf(
        fabric(),
        vrf('red', { l3vni: 5001 }),
        network('a', { vni: 1, vrf: 'red', gateway: { ipv4: '10.1.0.1/24' }, flood: ['10.0.0.2'] }),
      ),
      [['EVPNNetwork/a', 'spec.flood', 'FIELD_UNSUPPORTED']],
    );
  });
});

describe('many VRF problems at once', () => {
  test('every problem in one document comes back, each with resource, path and code', () => {
    const docs = [
      fabric(),
      vrf('tenant-red-vrf-1', {
        table: 254,
        routerMAC: '01:00:00:00:00:01',
        exit: {
          nodes: ['exit1', 'ghost'],
          primary: 'exit9',
          uplinks: [uplink('exit1', { nextHop: { ipv4: '198.51.100.1' } })],
        },
      }),
      vrf('blue', { l3vni: 100, routerMAC: '02:00:00:00:00:01' }),
      network('n100', { vni: 100, vrf: 'blue', gateway: { ipv4: '10.1.0.0/24' } }),
      network('n101', { vni: 101, vrf: 'nope', gateway: { ipv4: '10.1.0.1/24', mac: 'nope' } }),
      network('n102', { vni: 102, gateway: { ipv6: '10.1.0.1/24' } }),
      network('n103', { vni: 103, vrf: 'blue', gateway: { ipv4: '10.1.0.7/25' } }),
    ];
    const got = issuesOf(...docs);
    const expected: [string, string, ErrorCode][] = [
      ['EVPNVRF/tenant-red-vrf-1', 'spec.l3vni', 'L3VNI_REQUIRED'],
      ['EVPNVRF/tenant-red-vrf-1', 'metadata.name', 'IFNAME_TOO_LONG'],
      ['EVPNVRF/tenant-red-vrf-1', 'spec.table', 'TABLE_RANGE'],
      ['EVPNVRF/tenant-red-vrf-1', 'spec.routerMAC', 'MAC_NOT_UNICAST'],
      ['EVPNVRF/blue', 'spec.l3vni', 'VNI_DUPLICATE'],
      ['EVPNVRF/blue', 'spec.routerMAC', 'ROUTER_MAC_SHARED'],
      ['EVPNVRF/tenant-red-vrf-1', 'spec.exit.nodes[1]', 'NODE_UNKNOWN'],
      ['EVPNVRF/tenant-red-vrf-1', 'spec.exit.primary', 'NODE_UNKNOWN'],
      ['EVPNVRF/tenant-red-vrf-1', 'spec.exit.uplinks[0].nextHop.ipv4', 'NEXTHOP_OUTSIDE_SUBNET'],
      ['EVPNNetwork/n100', 'spec.gateway.ipv4', 'GATEWAY_ADDRESS'],
      ['EVPNNetwork/n101', 'spec.vrf', 'VRF_UNKNOWN'],
      ['EVPNNetwork/n101', 'spec.gateway.mac', 'MAC_INVALID'],
      ['EVPNNetwork/n102', 'spec.gateway', 'GATEWAY_NEEDS_VRF'],
      ['EVPNNetwork/n102', 'spec.gateway.ipv6', 'CIDR_INVALID'],
      ['EVPNNetwork/n103', 'spec.gateway.ipv4', 'SUBNET_OVERLAP'],
    ];
    assert.deepEqual(got, expected);
  });
});

describe('cidr helpers', () => {
  test('parse IPv4 and IPv6 (compressed, embedded IPv4), refuse zones and bad prefixes', () => {
    assert.deepEqual(parseIp('10.1.2.3'), { family: 4, value: 0x0a010203n });
    assert.equal(parseIp('::ffff:10.1.2.3')!.value, 0xffff0a010203n);
    assert.equal(parseIp('fd00::1')!.value, (0xfd00n << 112n) | 1n);
    assert.equal(parseIp('1:2:3:4:5:6:7:8')!.value, 0x00010002000300040005000600070008n);
    assert.equal(parseIp('fe80::1%eth0'), undefined);
    assert.equal(parseIp('10.1.2.3/24'), undefined);
    for (const bad of ['10.1.0.1', '10.1.0.1/33', 'fd00::1/129', '10.1.0.1/-1', '10.1.0.1/24/1', 'x/24'])
      assert.equal(parseCidr(bad), undefined, bad);
    assert.equal(parseCidr('fd00::1/128')!.prefix, 128);
  });

  test('subnets, overlap and RFC 5952 formatting', () => {
    assert.equal(subnetText(parseCidr('10.1.2.3/20')!), '10.1.0.0/20');
    assert.equal(subnetText(parseCidr('fd00:1:2:3::1/48')!), 'fd00:1:2::/48');
    assert.equal(subnetText(parseCidr('0.0.0.0/0')!), '0.0.0.0/0');
    assert.equal(formatIp(6, 0n), '::');
    assert.equal(formatIp(6, 1n), '::1');
    assert.equal(formatIp(6, parseIp('2001:db8:0:0:1:0:0:1')!.value), '2001:db8::1:0:0:1');
    assert.equal(formatIp(6, parseIp('2001:db8:0:1:1:1:1:1')!.value), '2001:db8:0:1:1:1:1:1');
    const o = (a: string, b: string) => cidrsOverlap(parseCidr(a)!, parseCidr(b)!);
    assert.equal(o('10.1.0.1/24', '10.1.0.200/25'), true);
    assert.equal(o('10.1.0.1/25', '10.1.0.200/25'), false);
    assert.equal(o('10.0.0.1/8', '10.255.0.1/24'), true);
    assert.equal(o('10.1.0.1/24', 'fd00::1/0'), false);
    assert.equal(o('fd00::1/64', 'fd00:0:0:0:ffff::1/80'), true);
  });
});

// The L2 test file leaves exactly FROM_VRF_RULES to this file: both import the one list.
test('every VRF rule code was produced by a test above', () => {
  const missing = FROM_VRF_RULES.filter((c) => !(c in ERROR_CODES) || !seen.has(c));
  assert.deepEqual(missing, [], `VRF rule codes never produced (or not registered): ${missing.join(', ')}`);
  assert.equal(new Set(FROM_VRF_RULES).size, FROM_VRF_RULES.length, 'each code listed once');
});
