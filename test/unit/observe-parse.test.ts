// Parsers against output recorded from real FRR 8.4.4 and 10.3
// (test/fixtures/frr/record.sh; the same fabric, so the same VNIs, VTEPs, MACs
// and peers): every assertion runs against both recordings.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseBgpEvpnSummary } from '../../src/observe/parse-bgp.ts';
import {
  parseEvpnArpCache,
  parseEvpnMacs,
  parseEvpnVniDetail,
  parseEvpnVniDetails,
  parseEvpnVnis,
} from '../../src/observe/parse-evpn.ts';
import { FRR_VERSIONS, frrRecorded, type RecordedFrr } from '../helpers/fixtures.ts';

// What differs between the releases in what the parsers return.
const PER_VERSION: Record<
  RecordedFrr,
  {
    /** `flood` of a remote VTEP in the VNI detail (9.0+ lists {ip, flood}). */
    flood: { flood?: string };
    /** Recordings of EVPN disabled that are 0-byte files (8.4 prints nothing, 10.3 `{}`). */
    printsNothing: string[];
  }
> = {
  '8.4': {
    flood: {},
    printsNothing: [
      'show-evpn-vni-empty.json',
      'show-evpn-vni-100-empty.json',
      'show-evpn-empty.json',
      'show-evpn-arp-cache-vni-all-empty.json',
      'show-bgp-l2vpn-evpn-route-empty.json',
      'show-bgp-l2vpn-evpn-vni-empty.json',
    ],
  },
  '10.3': {
    flood: { flood: 'HER' },
    printsNothing: ['show-bgp-l2vpn-evpn-route-empty.json', 'show-bgp-l2vpn-evpn-vni-empty.json'],
  },
};

for (const version of FRR_VERSIONS) {
  const rec = (name: string) => frrRecorded(version, name);
  const { flood, printsNothing } = PER_VERSION[version];
  describe(`FRR ${version} recordings`, () => {
    test('BGP summary: established iBGP EVPN peer', () => {
      const s = parseBgpEvpnSummary(rec('show-bgp-l2vpn-evpn-summary.json'));
      assert.equal(s.routerId, '10.99.1.1');
      assert.equal(s.as, '65000');
      assert.equal(s.sessions.length, 1);
      const [p] = s.sessions;
      assert.equal(p.peer, '10.99.1.2');
      assert.equal(p.hostname, 'rec-b');
      assert.equal(p.remoteAs, '65000');
      assert.equal(p.state, 'Established');
      assert.equal(p.established, true);
      assert.ok(p.uptimeMs >= 1000, `uptimeMs ${p.uptimeMs}`);
      assert.equal(p.prefixesReceived, 8);
      assert.equal(p.prefixesSent, 8);
      assert.equal(p.connectionsEstablished, 1);
      assert.equal(p.connectionsDropped, 0);
    });

    test('BGP summary: the other side sees rec-a', () => {
      const s = parseBgpEvpnSummary(rec('show-bgp-l2vpn-evpn-summary-rec-b.json'));
      assert.equal(s.routerId, '10.99.1.2');
      assert.deepEqual(
        s.sessions.map((x) => [x.peer, x.hostname, x.established]),
        [['10.99.1.1', 'rec-a', true]],
      );
    });

    test('BGP summary: peer not established', () => {
      for (const name of [
        'show-bgp-l2vpn-evpn-summary-not-established.json',
        'show-bgp-l2vpn-evpn-summary-no-vnis.json',
      ]) {
        const s = parseBgpEvpnSummary(rec(name));
        assert.equal(s.routerId, '10.99.1.1', name);
        assert.deepEqual(
          s.sessions,
          [
            {
              peer: '10.99.1.2',
              remoteAs: '65000',
              state: 'Active',
              established: false,
              uptimeMs: 0,
              prefixesReceived: 0,
              prefixesSent: 0,
              connectionsEstablished: 0,
              connectionsDropped: 0,
            },
          ],
          name,
        );
      }
    });

    test('BGP summary: a route-reflector client, and an external peer whose AS is not known yet (remoteAs 0)', () => {
      const json = rec('show-bgp-l2vpn-evpn-summary-rr-client.json') as {
        peers: Record<string, { remoteAs: unknown }>;
      };
      assert.equal(json.peers['10.99.1.9']?.remoteAs, 0, 'FRR prints 0 for an unresolved `remote-as external`');
      const s = parseBgpEvpnSummary(json);
      assert.equal(s.routerId, '10.99.1.1');
      assert.deepEqual(
        s.sessions.map((x) => [x.peer, x.hostname, x.remoteAs, x.state, x.established, x.connectionsEstablished]),
        [
          // Making it a route-reflector client reset the session once.
          ['10.99.1.2', 'rec-b', '65000', 'Established', true, 2],
          ['10.99.1.9', undefined, '', 'Connect', false, 0],
        ],
      );
      assert.equal(s.sessions[0]?.prefixesReceived, 8);
    });

    test('BGP summary: no BGP instance prints {}', () => {
      const json = rec('show-bgp-l2vpn-evpn-summary-empty.json');
      assert.deepEqual(json, {});
      assert.deepEqual(parseBgpEvpnSummary(json), { sessions: [] });
      assert.deepEqual(parseBgpEvpnSummary(undefined), { sessions: [] });
    });

    test('EVPN VNI list: two L2VNIs with the remote VTEP', () => {
      const expected = [100, 200].map((vni) => ({
        vni,
        type: 'L2',
        vxlanIf: `vxlan${vni}`,
        numMacs: 2,
        numArpNd: 4,
        remoteVteps: ['10.99.1.2'],
        tenantVrf: 'default',
      }));
      assert.deepEqual(parseEvpnVnis(rec('show-evpn-vni.json')), expected);
    });

    test('EVPN disabled: 8.4 prints nothing for several commands, 10.3 prints {}', () => {
      for (const name of [
        'show-evpn-vni-empty.json',
        'show-evpn-vni-100-empty.json',
        'show-evpn-empty.json',
        'show-evpn-arp-cache-vni-all-empty.json',
        'show-evpn-mac-vni-all-empty.json',
        'show-bgp-l2vpn-evpn-summary-empty.json',
        'show-bgp-l2vpn-evpn-route-empty.json',
        'show-bgp-l2vpn-evpn-vni-empty.json',
      ]) {
        assert.deepEqual(rec(name), printsNothing.includes(name) ? undefined : {}, name);
      }
    });

    test('EVPN VNI list: EVPN disabled or no VNIs parse to nothing', () => {
      assert.deepEqual(parseEvpnVnis(rec('show-evpn-vni-empty.json')), []);
      assert.deepEqual(rec('show-evpn-vni-no-vnis.json'), {});
      assert.deepEqual(parseEvpnVnis(rec('show-evpn-vni-no-vnis.json')), []);
    });

    test('EVPN VNI detail: remote VTEPs (8.4: IPs in numRemoteVteps; 10.3: a count there, {ip, flood} in remoteVteps)', () => {
      assert.deepEqual(parseEvpnVniDetail(rec('show-evpn-vni-100.json')), {
        vni: 100,
        type: 'L2',
        tenantVrf: 'default',
        vxlanIf: 'vxlan100',
        sviIf: 'br100',
        localVtep: '10.99.1.1',
        numMacs: 2,
        numArpNd: 4,
        remoteVteps: [{ ip: '10.99.1.2', ...flood }],
        l2Vnis: [],
      });
      assert.equal(parseEvpnVniDetail(rec('show-evpn-vni-200.json'))?.sviIf, 'br200');
    });

    test('EVPN VNI detail: unknown VNI prints {}, EVPN disabled prints nothing', () => {
      assert.deepEqual(rec('show-evpn-vni-999.json'), {});
      assert.equal(parseEvpnVniDetail(rec('show-evpn-vni-999.json')), undefined);
      assert.equal(parseEvpnVniDetail(rec('show-evpn-vni-100-no-vnis.json')), undefined);
      assert.equal(parseEvpnVniDetail(rec('show-evpn-vni-100-empty.json')), undefined);
    });

    test('EVPN VNI detail list (an array in both), sorted by VNI', () => {
      const all = parseEvpnVniDetails(rec('show-evpn-vni-detail.json'));
      assert.deepEqual(
        all.map((d) => [d.vni, d.vxlanIf, d.remoteVteps.map((r) => r.ip)]),
        [
          [100, 'vxlan100', ['10.99.1.2']],
          [200, 'vxlan200', ['10.99.1.2']],
        ],
      );
      assert.deepEqual(all[0], parseEvpnVniDetail(rec('show-evpn-vni-100.json')));
    });

    const MACS_100 = [
      { vni: 100, mac: '02:0a:00:00:64:01', type: 'local', interface: 'p100', isDuplicate: false },
      { vni: 100, mac: '02:0b:00:00:64:02', type: 'remote', remoteVtep: '10.99.1.2', isDuplicate: false },
    ];

    test('EVPN MACs: local host MAC on its port, remote host MAC behind the remote VTEP', () => {
      assert.deepEqual(parseEvpnMacs(rec('show-evpn-mac-vni-all.json')), [
        ...MACS_100,
        { vni: 200, mac: '02:0a:00:00:c8:01', type: 'local', interface: 'p200', isDuplicate: false },
        { vni: 200, mac: '02:0b:00:00:c8:02', type: 'remote', remoteVtep: '10.99.1.2', isDuplicate: false },
      ]);
    });

    test('EVPN MACs: single-VNI form needs the VNI', () => {
      assert.deepEqual(parseEvpnMacs(rec('show-evpn-mac-vni-100.json'), 100), MACS_100);
      assert.throws(() => parseEvpnMacs(rec('show-evpn-mac-vni-100.json')), /needs the vni argument/);
    });

    test('EVPN MACs: empty answers', () => {
      assert.deepEqual(parseEvpnMacs(rec('show-evpn-mac-vni-all-empty.json')), []);
      assert.deepEqual(parseEvpnMacs(rec('show-evpn-mac-vni-all-no-vnis.json')), []);
    });

    test('EVPN MACs: a counter misplaced inside "macs" (FRR PR 23321) is skipped', () => {
      const json = rec('show-evpn-mac-vni-all.json') as Record<string, { macs: Record<string, unknown> }>;
      json['100'].macs.numMacs = 2;
      assert.equal(parseEvpnMacs(json).length, 4);
    });

    test('EVPN ARP/ND cache: IPv4 and link-local IPv6 neighbors, local and remote', () => {
      const all = parseEvpnArpCache(rec('show-evpn-arp-cache-vni-all.json'));
      assert.equal(all.length, 8);
      const vni100 = [
        { vni: 100, ip: '10.100.0.1', mac: '02:0a:00:00:64:01', type: 'local', state: 'active' },
        {
          vni: 100,
          ip: '10.100.0.2',
          mac: '02:0b:00:00:64:02',
          type: 'remote',
          remoteVtep: '10.99.1.2',
          state: 'active',
        },
        { vni: 100, ip: 'fe80::a:ff:fe00:6401', mac: '02:0a:00:00:64:01', type: 'local', state: 'active' },
        {
          vni: 100,
          ip: 'fe80::b:ff:fe00:6402',
          mac: '02:0b:00:00:64:02',
          type: 'remote',
          remoteVtep: '10.99.1.2',
          state: 'active',
        },
      ];
      assert.deepEqual(all.slice(0, 4), vni100);
      assert.deepEqual(
        all.slice(4).map((n) => [n.vni, n.ip, n.type]),
        [
          [200, '10.200.0.1', 'local'],
          [200, '10.200.0.2', 'remote'],
          [200, 'fe80::a:ff:fe00:c801', 'local'],
          [200, 'fe80::b:ff:fe00:c802', 'remote'],
        ],
      );
      assert.deepEqual(parseEvpnArpCache(rec('show-evpn-arp-cache-vni-100.json'), 100), vni100);
    });

    test('EVPN ARP/ND cache: empty answers', () => {
      assert.deepEqual(parseEvpnArpCache(rec('show-evpn-arp-cache-vni-all-empty.json')), []);
      assert.deepEqual(parseEvpnArpCache(rec('show-evpn-arp-cache-vni-all-no-vnis.json')), []);
    });
  });
}
