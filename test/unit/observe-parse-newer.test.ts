// Parsers against 9.x/10.x shapes published by the FRR project (topotest
// excerpts, see test/fixtures/frr/SOURCE.md: shapes the recordings lack, e.g.
// IPv6 VTEPs, VNIs as strings, flat `paths`) and against variations of the
// 8.4 and 10.3 recordings.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asRecord, num } from '../../src/observe/json-narrow.ts';
import { parseBgpEvpnSummary } from '../../src/observe/parse-bgp.ts';
import { parseEvpnMacs, parseEvpnVniDetail, parseEvpnVniDetails, parseEvpnVnis } from '../../src/observe/parse-evpn.ts';
import { parseType5Routes } from '../../src/observe/parse-type5.ts';
import { parseEvpnNextHops, parseEvpnRmacs, parseVrfVnis } from '../../src/observe/parse-vrf.ts';
import { FRR_VERSIONS, frrRecorded, recorded } from '../helpers/fixtures.ts';

test('9.x VNI detail: numRemoteVteps is a count, remoteVteps lists {ip, flood}', () => {
  assert.deepEqual(parseEvpnVniDetail(recorded('frr/9.x/show-evpn-vni-101.json')), {
    vni: 101,
    type: 'L2',
    tenantVrf: 'default',
    vxlanIf: 'vxlan101',
    localVtep: '10.0.0.1',
    remoteVteps: [
      { ip: '10.0.0.2', flood: 'HER' },
      { ip: '10.0.0.3', flood: 'HER' },
    ],
    l2Vnis: [],
  });
});

test('9.x VNI detail: IPv6 VTEPs and a tenant VRF', () => {
  const d = parseEvpnVniDetail(recorded('frr/9.x/show-evpn-vni-101-v6-vtep.json'));
  assert.equal(d?.tenantVrf, 'VRF-A');
  assert.equal(d?.localVtep, '10:10:10::10');
  assert.deepEqual(d?.remoteVteps, [{ ip: '10:30:30::30', flood: 'HER' }]);
});

test('9.x L3VNI detail: router MAC, state and member L2VNIs', () => {
  assert.deepEqual(parseEvpnVniDetail(recorded('frr/9.x/show-evpn-vni-300-l3.json')), {
    vni: 300,
    type: 'L3',
    tenantVrf: 'vrf-red',
    vxlanIf: 'vxlan300',
    sviIf: 'br300',
    localVtep: '10.0.0.1',
    remoteVteps: [],
    state: 'Up',
    routerMac: '00:00:00:00:00:01',
    sysMac: '00:00:00:00:00:01',
    l2Vnis: [101, 102],
  });
});

test('9.x VNI detail list mixes L2 and L3, sorted by VNI', () => {
  const all = parseEvpnVniDetails(recorded('frr/9.x/show-evpn-vni-detail.json'));
  assert.deepEqual(
    all.map((d) => [d.vni, d.type, d.vxlanIf]),
    [
      [100, 'L3', 'vni100'],
      [200, 'L2', 'vni200'],
    ],
  );
  assert.deepEqual(all[0].l2Vnis, [20, 30, 200]);
  assert.equal(all[0].routerMac, 'aa:bb:cc:dd:ee:f1');
  assert.deepEqual(all[1].remoteVteps, [{ ip: '2.2.2.2', flood: 'HER' }]);
  assert.equal(all[1].sviIf, 'br200');
  assert.equal(all[1].numMacs, 0);
});

test('10.x VNI list: an L3VNI has numRemoteVteps "n/a" and no remote VTEPs', () => {
  assert.deepEqual(parseEvpnVnis(recorded('frr/10.x/show-evpn-vni-l3.json')), [
    {
      vni: 4000,
      type: 'L3',
      vxlanIf: 'vxlan48',
      numMacs: 3,
      numArpNd: 3,
      remoteVteps: [],
      tenantVrf: 'vrf1',
    },
  ]);
});

test('newer master prints VNIs as strings; num() reads them', () => {
  const bgpVni = asRecord(recorded('frr/10.x/show-bgp-l2vpn-evpn-vni-101.json'));
  assert.equal(bgpVni?.vni, '101');
  assert.equal(num(bgpVni?.vni), 101);
});

// Numbers as strings (newer master) must parse like the recorded numbers.
function stringifyNumbers(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(stringifyNumbers);
  const rec = asRecord(value);
  return rec ? Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, stringifyNumbers(v)])) : value;
}

for (const version of FRR_VERSIONS) {
  describe(`FRR ${version} recordings`, () => {
    test('numbers that arrive as strings are converted', () => {
      for (const [name, parse] of [
        ['show-evpn-vni.json', parseEvpnVnis],
        ['show-evpn-vni-100.json', parseEvpnVniDetail],
        ['show-evpn-mac-vni-all.json', parseEvpnMacs],
        ['show-bgp-l2vpn-evpn-summary.json', parseBgpEvpnSummary],
        ['show-bgp-l2vpn-evpn-summary-rr-client.json', parseBgpEvpnSummary],
        ['vrf/show-evpn-vni-4000.json', parseEvpnVniDetail],
        ['vrf/show-vrf-vni.json', parseVrfVnis],
        ['vrf/show-evpn-rmac-vni-all.json', parseEvpnRmacs],
        ['vrf/show-evpn-next-hops-vni-all.json', parseEvpnNextHops],
        ['vrf/show-bgp-l2vpn-evpn-route-type-prefix.json', parseType5Routes],
      ] as const) {
        const json = frrRecorded(version, name);
        assert.notDeepEqual(parse(json), parse(undefined), `${name} parses to something`);
        assert.deepEqual(parse(stringifyNumbers(json)), parse(json), name);
      }
    });

    test('BGP summary: asdot ASNs stay text, wrappers are unwrapped', () => {
      const json = frrRecorded(version, 'show-bgp-l2vpn-evpn-summary.json') as Record<string, unknown> & {
        peers: Record<string, Record<string, unknown>>;
      };
      json.as = '1.10';
      json.peers['10.99.1.2'].remoteAs = '1.10';
      const s = parseBgpEvpnSummary(json);
      assert.equal(s.as, '1.10');
      assert.equal(s.sessions[0]?.remoteAs, '1.10');
      assert.deepEqual(parseBgpEvpnSummary({ l2VpnEvpn: json }), s);
      assert.deepEqual(parseBgpEvpnSummary({ default: json }), s);
    });
  });
}

test('numbers that arrive as strings are converted (topotest L3VNI detail)', () => {
  const json = recorded('frr/9.x/show-evpn-vni-300-l3.json');
  assert.deepEqual(parseEvpnVniDetail(stringifyNumbers(json)), parseEvpnVniDetail(json));
});

test('BGP summary: missing fields get defaults, peers sort naturally', () => {
  const s = parseBgpEvpnSummary({ peers: { '10.0.0.10': { state: 'Connect' }, '10.0.0.9': {}, swp1: 'junk' } });
  assert.deepEqual(
    s.sessions.map((x) => [x.peer, x.state, x.established]),
    [
      ['10.0.0.9', 'Unknown', false],
      ['10.0.0.10', 'Connect', false],
    ],
  );
  assert.deepEqual(s.sessions[0], {
    peer: '10.0.0.9',
    remoteAs: '',
    state: 'Unknown',
    established: false,
    uptimeMs: 0,
    prefixesReceived: 0,
    prefixesSent: 0,
    connectionsEstablished: 0,
    connectionsDropped: 0,
  });
});
