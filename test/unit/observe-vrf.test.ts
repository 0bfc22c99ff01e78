// L3VNI, router MAC, next-hop, type-5 and kernel route parsers against output
// recorded from real FRR 8.4.4 and 10.3 (test/fixtures/frr/record-vrf.sh, the
// same fabric, rec-a unless the name says rec-b; every assertion runs against
// both), newer shapes from FRR's topotests, and shape drift.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseEvpnVniDetail, parseEvpnVniDetails, parseEvpnVnis } from '../../src/observe/parse-evpn.ts';
import { parseType5Routes } from '../../src/observe/parse-type5.ts';
import { parseEvpnNextHops, parseEvpnRmacs, parseVrfVnis } from '../../src/observe/parse-vrf.ts';
import { unmapIpv4 } from '../../src/resources/cidr.ts';
import { parseIpLinks } from '../../src/system/parse-ip-link.ts';
import { parseIpRoutes } from '../../src/system/parse-ip-route.ts';
import {
  FRR_VERSIONS,
  fixture,
  frrRecorded,
  notJsonRecordings,
  type RecordedFrr,
  recorded,
} from '../helpers/fixtures.ts';

const DRIFT: unknown[] = [
  undefined,
  null,
  '',
  'x',
  42,
  [],
  {},
  { vrfs: 'nope' },
  { vrfs: [null, 1, { vrf: 3 }] },
  { 4000: 'x' },
  { 4000: { numRmacs: 'n/a', 'aa:bb': 7 } },
];

// How each release prints an IPv6 route's next hop over an IPv4 VTEP (IPv4-mapped).
const MAPPED: Record<RecordedFrr, (v4: string) => string> = {
  '8.4': (v4) => {
    const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
    return `::ffff:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  },
  '10.3': (v4) => `::ffff:${v4}`,
};

for (const version of FRR_VERSIONS) {
  const rec = (name: string) => frrRecorded(version, `vrf/${name}`);
  const raw = (name: string) => fixture(`frr/${version}/vrf/${name}`);
  const mapped = MAPPED[version];
  const flood = version === '8.4' ? {} : { flood: 'HER' };
  describe(`FRR ${version} recordings`, () => {
    test('show vrf vni: the L3VNI of VRF red, up, with the router MAC (both VTEPs)', () => {
      assert.deepEqual(parseVrfVnis(rec('show-vrf-vni.json')), [
        {
          vrf: 'red',
          vni: 4000,
          vxlanIntf: 'vxlan4000',
          sviIntf: 'br4000',
          state: 'Up',
          routerMac: '02:52:4d:00:00:01',
        },
      ]);
      assert.equal(parseVrfVnis(rec('show-vrf-vni-rec-b.json'))[0].routerMac, '02:52:4d:00:00:02');
    });

    test('show vrf vni: an L3VNI without devices prints "None", which parses to absent', () => {
      assert.deepEqual(parseVrfVnis(rec('show-vrf-vni-no-devices.json')), [{ vrf: 'red', vni: 4000, state: 'Down' }]);
    });

    test('show evpn rmac vni all: the remote VTEP router MAC per L3VNI', () => {
      assert.deepEqual(parseEvpnRmacs(rec('show-evpn-rmac-vni-all.json')), [
        { vni: 4000, routerMac: '02:52:4d:00:00:02', vtepIp: '10.99.2.2' },
      ]);
      assert.deepEqual(parseEvpnRmacs(rec('show-evpn-rmac-vni-all-rec-b.json')), [
        { vni: 4000, routerMac: '02:52:4d:00:00:01', vtepIp: '10.99.2.1' },
      ]);
      // The single-VNI form is the inner object, filed under the VNI the caller names.
      assert.deepEqual(
        parseEvpnRmacs(rec('show-evpn-rmac-vni-4000.json'), 4000),
        parseEvpnRmacs(rec('show-evpn-rmac-vni-all.json')),
      );
      assert.deepEqual(
        parseEvpnRmacs(rec('show-evpn-rmac-vni-4000.json')),
        [],
        'no VNI to file it under: skipped, not thrown',
      );
      assert.deepEqual(parseEvpnRmacs(rec('show-evpn-rmac-vni-all-no-devices.json')), []);
    });

    test('show evpn next-hops vni all: one entry per family; IPv6 routes over an IPv4 VTEP use a mapped address', () => {
      assert.deepEqual(parseEvpnNextHops(rec('show-evpn-next-hops-vni-all.json')), [
        { vni: 4000, ip: '10.99.2.2', vtep: '10.99.2.2', routerMac: '02:52:4d:00:00:02' },
        { vni: 4000, ip: mapped('10.99.2.2'), vtep: '10.99.2.2', routerMac: '02:52:4d:00:00:02' },
      ]);
      assert.deepEqual(
        parseEvpnNextHops(rec('show-evpn-next-hops-vni-4000.json'), 4000),
        parseEvpnNextHops(rec('show-evpn-next-hops-vni-all.json')),
      );
      assert.deepEqual(parseEvpnNextHops(rec('show-evpn-next-hops-vni-all-no-devices.json')), []);
    });

    test('show evpn vni: the L3 entry has type L3, no remote VTEPs ("n/a"), and its tenant VRF', () => {
      const vnis = parseEvpnVnis(rec('show-evpn-vni.json'));
      assert.deepEqual(
        vnis.map((v) => [v.vni, v.type, v.vxlanIf, v.tenantVrf, v.remoteVteps]),
        [
          [100, 'L2', 'vxlan100', 'red', ['10.99.2.2']],
          [4000, 'L3', 'vxlan4000', 'red', []],
        ],
      );
      // Without devices zebra prints vxlanIf "None".
      assert.deepEqual(
        parseEvpnVnis(rec('show-evpn-vni-no-devices.json')).map((v) => [v.vni, v.type, v.vxlanIf]),
        [[4000, 'L3', '']],
      );
    });

    test('show evpn vni <l3vni>: state, router MAC, L2VNIs; "None" when the devices are missing', () => {
      const d = parseEvpnVniDetail(rec('show-evpn-vni-4000.json'));
      assert.equal(d?.type, 'L3');
      assert.equal(d?.state, 'Up');
      assert.equal(d?.routerMac, '02:52:4d:00:00:01');
      assert.equal(d?.vxlanIf, 'vxlan4000');
      assert.equal(d?.sviIf, 'br4000');
      assert.equal(d?.tenantVrf, 'red');
      assert.deepEqual(d?.l2Vnis, [100]);
      const down = parseEvpnVniDetail(rec('show-evpn-vni-4000-no-devices.json'));
      assert.equal(down?.state, 'Down');
      assert.equal(down?.routerMac, undefined);
      assert.equal(down?.vxlanIf, undefined);
      assert.deepEqual(
        parseEvpnVniDetails(rec('show-evpn-vni-detail.json')).map((x) => [x.vni, x.type, x.tenantVrf]),
        [
          [100, 'L2', 'red'],
          [4000, 'L3', 'red'],
        ],
      );
      const l2 = parseEvpnVniDetail(rec('show-evpn-vni-100.json'));
      assert.equal(l2?.tenantVrf, 'red');
      assert.deepEqual(l2?.remoteVteps, [{ ip: '10.99.2.2', ...flood }]);
      assert.equal(l2?.sviIf, 'br100');
    });

    test('type-5 routes: prefixes as CIDRs, local vs remote, router MAC and RTs from the communities', () => {
      const routes = parseType5Routes(rec('show-bgp-l2vpn-evpn-route-type-prefix.json'));
      assert.equal(routes.length, 9);
      assert.deepEqual(
        routes.find((r) => r.prefix === '0.0.0.0/0'),
        {
          rd: '10.99.2.2:2',
          prefix: '0.0.0.0/0',
          family: 'ipv4',
          nextHop: '10.99.2.2',
          routerMac: '02:52:4d:00:00:02',
          routeTargets: ['65000:4000'],
          valid: true,
          best: true,
          originator: 'remote',
          peer: '10.99.2.2',
        },
      );
      assert.deepEqual(
        routes.find((r) => r.prefix === '10.1.1.0/24'),
        {
          rd: '10.99.2.1:2',
          prefix: '10.1.1.0/24',
          family: 'ipv4',
          nextHop: '10.99.2.1',
          routerMac: '02:52:4d:00:00:01',
          routeTargets: ['65000:4000'],
          valid: true,
          best: true,
          originator: 'local',
        },
      );
      assert.deepEqual(
        routes.filter((r) => r.originator === 'local').map((r) => r.prefix),
        ['10.1.1.0/24', '10.100.0.0/24', 'fd00:1:1::/64', 'fd00:100::/64'],
      );
      assert.deepEqual(
        routes.filter((r) => r.originator === 'remote').map((r) => r.prefix),
        ['0.0.0.0/0', '10.1.2.0/24', '10.100.0.0/24', 'fd00:1:2::/64', 'fd00:100::/64'],
      );
      assert.deepEqual(
        routes.filter((r) => r.family === 'ipv6').map((r) => r.nextHop),
        ['10.99.2.1', '10.99.2.2', '10.99.2.1', '10.99.2.2'],
      );
    });

    test('type-5 routes: the full EVPN table gives the same routes and skips type-2/type-3', () => {
      assert.deepEqual(
        parseType5Routes(rec('show-bgp-l2vpn-evpn.json')),
        parseType5Routes(rec('show-bgp-l2vpn-evpn-route-type-prefix.json')),
      );
      assert.deepEqual(parseType5Routes(rec('show-bgp-l2vpn-evpn-route-type-macip.json')), []);
      // No type-5 routes at all: 8.4 prints {"numPrefix":0,"numPaths":0}; 10.3 prints broken JSON (next test).
      const empty = 'show-bgp-l2vpn-evpn-route-type-prefix-no-devices.json';
      if (!notJsonRecordings(version, 'vrf/').includes(empty)) assert.deepEqual(parseType5Routes(rec(empty)), []);
    });

    test('kernel routes: the VRF netns tables as iproute2 prints them (main has no table field)', () => {
      const v4 = parseIpRoutes(raw('ip-4-route-show-table-all.json'), 'ipv4');
      const main = v4.filter((r) => r.table === 'main');
      assert.deepEqual(
        main.map((r) => [r.dst, r.gateway, r.dev, r.protocol, r.tableId]),
        [
          ['0.0.0.0/0', '10.99.2.2', 'br4000', 'bgp', 254],
          ['10.1.1.0/24', undefined, 'lo1', 'kernel', 254],
          ['10.1.2.0/24', '10.99.2.2', 'br4000', 'bgp', 254],
          ['10.100.0.0/24', undefined, 'br100', 'kernel', 254],
        ],
      );
      assert.deepEqual(main[0].flags, ['onlink']);
      assert.ok(
        v4
          .filter((r) => r.table === 'local')
          .every((r) => r.tableId === 255 && (r.type === 'local' || r.type === 'broadcast')),
      );
      const v6 = parseIpRoutes(raw('ip-6-route-show-table-all.json'), 'ipv6');
      assert.deepEqual(
        v6.find((r) => r.protocol === 'bgp'),
        {
          family: 'ipv6',
          table: 'main',
          tableId: 254,
          dst: 'fd00:1:2::/64',
          type: 'unicast',
          protocol: 'bgp',
          flags: ['onlink'],
          dev: 'br4000',
          gateway: '::ffff:10.99.2.2',
          metric: 20,
        },
      );
    });

    test('kernel routes: a numbered (VRF) table prints as a string; defaults and unreachable', () => {
      const v4 = parseIpRoutes(raw('ip-4-route-show-table-all-numbered.json'), 'ipv4').filter(
        (r) => r.tableId === 1001,
      );
      assert.deepEqual(
        v4.map((r) => [r.table, r.dst, r.type, r.gateway, r.protocol, r.metric]),
        [
          ['1001', '0.0.0.0/0', 'unicast', '10.99.2.2', 'boot', undefined],
          ['1001', '0.0.0.0/0', 'unreachable', undefined, 'boot', 4278198272],
          ['1001', '10.1.0.0/24', 'unicast', undefined, 'boot', undefined],
        ],
      );
      const v6 = parseIpRoutes(raw('ip-6-route-show-table-all-numbered.json'), 'ipv6').filter(
        (r) => r.table === '1001',
      );
      assert.deepEqual(
        v6.map((r) => [r.dst, r.dev, r.metric]),
        [['fd00:1::/64', 'rdevpnrecd0', 1024]],
      );
    });

    test('kernel links in the VRF: the L3VNI bridge carries the router MAC, the routed bridge the gateway', () => {
      const links = parseIpLinks(raw('ip-d-addr-show-red.json'));
      const by = (name: string) => links.find((l) => l.name === name);
      assert.deepEqual(
        [by('br4000')?.kind, by('br4000')?.address, by('br4000')?.addresses],
        ['bridge', '02:52:4d:00:00:01', []],
      );
      assert.deepEqual(
        [by('vxlan4000')?.vxlan?.vni, by('vxlan4000')?.master, by('vxlan4000')?.bridgePort],
        [4000, 'br4000', { learning: false, neighSuppress: true }],
      );
      assert.deepEqual(
        [by('br100')?.address, by('br100')?.addresses],
        ['02:00:5e:10:01:00', ['10.100.0.254/24', 'fd00:100::fe/64', 'fe80::5eff:fe10:100/64']],
      );
    });
  });
}

test('newer FRR (topotests): rmac and next-hop shapes, mapped address printed dotted', () => {
  assert.deepEqual(parseEvpnRmacs(recorded('frr/10.x/show-evpn-rmac-vni-all.json')), [
    { vni: 300, routerMac: 'f2:6f:90:d3:65:02', vtepIp: '10.125.0.2' },
  ]);
  assert.deepEqual(parseEvpnNextHops(recorded('frr/10.x/show-evpn-next-hops-vni-all.json')), [
    { vni: 101, ip: '192.168.0.2', vtep: '192.168.0.2' },
    { vni: 101, ip: '::ffff:192.168.0.2', vtep: '192.168.0.2' },
  ]);
  assert.equal(unmapIpv4('::FFFF:c0a8:6429'), '192.168.100.41');
  assert.equal(unmapIpv4('fd00::1'), 'fd00::1');
});

test('type-5 routes: newer flat `paths`, top-level counters and pathCount', () => {
  const rt5 = parseType5Routes(recorded('frr/10.x/show-bgp-l2vpn-evpn-rt5.json'));
  assert.equal(rt5.length, 8);
  assert.deepEqual(
    rt5.filter((r) => r.originator === 'local').map((r) => r.prefix),
    ['10.0.101.1/32', '10.0.102.1/32', 'fd01::1/128', 'fd02::1/128'],
  );
  assert.deepEqual(
    rt5.find((r) => r.prefix === 'fd01::2/128'),
    {
      rd: '65000:2',
      prefix: 'fd01::2/128',
      family: 'ipv6',
      nextHop: '192.168.0.2',
      routeTargets: [],
      valid: true,
      best: true,
      originator: 'remote',
      peer: '192.168.0.2',
    },
  );
  // A subset without routeType, peerId or ip: prefix from the key, remote without a local weight.
  assert.deepEqual(
    parseType5Routes(recorded('frr/10.x/show-bgp-l2vpn-evpn-rd-300.json')).map((r) => [
      r.prefix,
      r.nextHop,
      r.originator,
      r.best,
    ]),
    [
      ['192.168.3.0/24', '10.125.0.2', 'remote', false],
      ['2001:db8:3::/64', '10.125.0.2', 'remote', false],
    ],
  );
});

test('FRR 10.3 prints broken JSON for an empty EVPN route table; 8.4 prints a valid object', () => {
  // bgpd 10.3 opens the object, prints no RD, then ",numPrefix...": not JSON. The
  // daemon asks this (OBSERVE_VRF_COMMANDS) in one batched vtysh call, so such an
  // answer fails the whole batch until a type-5 route exists.
  const broken = 'show-bgp-l2vpn-evpn-route-type-prefix-no-devices.json';
  assert.deepEqual(notJsonRecordings('10.3', 'vrf/'), [broken]);
  assert.equal(fixture(`frr/10.3/vrf/${broken}`), '{\n,"numPrefix":0,"numPaths":0}\n');
  assert.throws(() => recorded(`frr/10.3/vrf/${broken}`), SyntaxError);
  assert.deepEqual(notJsonRecordings('10.3'), ['show-bgp-l2vpn-evpn-route-no-vnis.json']);
  assert.equal(fixture('frr/10.3/show-bgp-l2vpn-evpn-route-no-vnis.json'), '{\n,"numPrefix":0,"numPaths":0}\n');
  assert.deepEqual(recorded(`frr/8.4/vrf/${broken}`), { numPrefix: 0, numPaths: 0 });
  assert.deepEqual(notJsonRecordings('8.4', 'vrf/'), []);
  assert.deepEqual(notJsonRecordings('8.4'), []);
});

test('FRR 10.3, netns VRF backend: no L2VNI for a VXLAN device that appears in the VRF netns later', () => {
  // Recorded before record-vrf.sh re-enables advertise-all-vni (see SOURCE.md): zebra has the L3VNI only.
  const vnis = parseEvpnVnis(recorded('frr/10.3/vrf/show-evpn-vni-l2vni-missing.json'));
  assert.deepEqual(
    vnis.map((v) => [v.vni, v.type, v.vxlanIf, v.tenantVrf]),
    [[4000, 'L3', 'vxlan4000', 'red']],
  );
  assert.equal(parseEvpnVniDetail(recorded('frr/10.3/vrf/show-evpn-vni-100-l2vni-missing.json')), undefined);
  const l3 = parseEvpnVniDetail(recorded('frr/10.3/vrf/show-evpn-vni-4000-l2vni-missing.json'));
  assert.deepEqual([l3?.state, l3?.routerMac, l3?.l2Vnis], ['Up', '02:52:4d:00:00:01', []]);
});

test('kernel routes: multipath, named tables, empty output', () => {
  const json = JSON.stringify([
    {
      dst: '10.9.0.0/16',
      table: 'vrf-red',
      protocol: 'bgp',
      metric: 20,
      flags: [],
      nexthops: [
        { gateway: '10.0.0.1', dev: 'eth1', weight: 1, flags: [] },
        { gateway: '10.0.0.2', dev: 'eth2', weight: 1, flags: [] },
      ],
    },
    { dst: 'default', table: 'main', type: 'blackhole', flags: [] },
    { table: 'main' },
  ]);
  const routes = parseIpRoutes(json, 'ipv6');
  assert.deepEqual(routes[0].nexthops, [
    { gateway: '10.0.0.1', dev: 'eth1', weight: 1 },
    { gateway: '10.0.0.2', dev: 'eth2', weight: 1 },
  ]);
  assert.equal(routes[0].tableId, undefined, 'a name from rt_tables has no number');
  assert.deepEqual([routes[1].dst, routes[1].type, routes[1].tableId], ['::/0', 'blackhole', 254]);
  assert.equal(routes.length, 2, 'an entry without dst is skipped');
  assert.deepEqual(parseIpRoutes('', 'ipv4'), []);
  assert.deepEqual(parseIpRoutes('{}', 'ipv4'), []);
  assert.throws(() => parseIpRoutes('not json', 'ipv4'), /not JSON/);
});

test('shape drift: unknown or empty input gives empty results, never a throw', () => {
  for (const input of DRIFT) {
    assert.deepEqual(parseVrfVnis(input), [], JSON.stringify(input));
    assert.deepEqual(parseEvpnRmacs(input), [], JSON.stringify(input));
    assert.deepEqual(parseEvpnNextHops(input), [], JSON.stringify(input));
    assert.deepEqual(parseType5Routes(input), [], JSON.stringify(input));
  }
  // Retyped fields: VNI as a string, paths neither arrays nor objects, a prefix key that is not an address.
  assert.deepEqual(parseVrfVnis({ vrfs: [{ vrf: 'red', vni: '4000', state: 'Up' }] }), [
    { vrf: 'red', vni: 4000, state: 'Up' },
  ]);
  assert.deepEqual(
    parseType5Routes({
      '1:1': { '[5]:[0]:[24]:[10.0.0.0]': { paths: 'x' }, '[5]:[0]:[24]:[nope]': { paths: [[{ routeType: 5 }]] } },
    }),
    [],
  );
});
