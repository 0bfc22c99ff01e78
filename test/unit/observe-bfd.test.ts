// BFD: `show bfd peers json` recorded from real FRR 8.4.4 and 10.3 on the Clos
// lab's leaf1 (bfd {3, 100, 100} on both uplinks; then spine1's end of eth1
// down), and the status built from it: a BFD column per BGP session and a
// BFDUp condition that names the session that is down.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyObservation } from '../../src/observe/collect.ts';
import { bfdOf, parseBfdPeers } from '../../src/observe/parse-bfd.ts';
import { bfdConditions, sessionsCondition, sessionViews } from '../../src/status/status-sessions.ts';
import { FRR_VERSIONS, frrRecorded } from '../helpers/fixtures.ts';
import { nodeIntent } from '../helpers/intents.ts';

const session = (peer: string, state: string) => ({
  peer,
  remoteAs: '65100',
  state,
  established: state === 'Established',
  uptimeMs: 0,
  prefixesReceived: 0,
  prefixesSent: 0,
  connectionsEstablished: 1,
  connectionsDropped: 0,
});

const routedIntent = nodeIntent({
  sessions: { bfd: { profile: 'rdevpn-3-100-100', detectMultiplier: 3, receiveInterval: 100, transmitInterval: 100 } },
  underlay: { owner: 'EVPNFabric/clos', uplinks: ['eth1', 'eth2'], loopback: [], families: [], remoteVteps: [] },
});

for (const version of FRR_VERSIONS) {
  describe(`BFD on FRR ${version}`, () => {
    test('both uplinks: single-hop sessions on their interfaces, up, with the profile timers', () => {
      const peers = parseBfdPeers(frrRecorded(version, 'bfd/show-bfd-peers-up.json'));
      assert.deepEqual(peers.map((p) => [p.interface, p.status, p.multihop]).sort(), [
        ['eth1', 'up', false],
        ['eth2', 'up', false],
      ]);
      for (const p of peers) {
        assert.match(p.peer, /^fe80::/);
        assert.deepEqual([p.detectMultiplier, p.receiveInterval, p.transmitInterval], [3, 100, 100]);
      }
      assert.equal(bfdOf(peers, 'eth2')?.interface, 'eth2');
    });

    test('a link down on the far end: that session is down in status and in the BFDUp condition', () => {
      const obs = emptyObservation('2026-12-02T00:00:00Z');
      obs.bfdObserved = true;
      obs.bfd = parseBfdPeers(frrRecorded(version, 'bfd/show-bfd-peers-link-down.json'));
      obs.bgp = { sessions: [session('eth1', 'Idle'), session('eth2', 'Established')] };
      const views = sessionViews(routedIntent, obs);
      assert.deepEqual(
        views.map((v) => [v.peer, v.bfd]),
        [
          ['eth1', 'down'],
          ['eth2', 'up'],
        ],
      );
      const [c] = bfdConditions(routedIntent, obs, views);
      assert.deepEqual([c.type, c.status, c.reason, c.message], ['BFDUp', 'False', 'BFDDown', 'BFD not up: eth1 down']);
    });
  });
}

describe('BFD and passwords in status, whatever the release', () => {
  test('no BFD configured: no BFD column, no BFDUp condition', () => {
    const obs = emptyObservation('2026-12-02T00:00:00Z');
    obs.bgp = { sessions: [session('eth1', 'Established')] };
    const plain = nodeIntent({ underlay: routedIntent.underlay });
    assert.equal(sessionViews(plain, obs)[0].bfd, undefined);
    assert.deepEqual(bfdConditions(plain, obs, sessionViews(plain, obs)), []);
  });

  test('bfdd not running while BFD is configured: BFDUp is False with why', () => {
    const obs = emptyObservation('2026-12-02T00:00:00Z');
    obs.bfdObserved = true;
    obs.bfdError = 'bfdd is not running: BFD is configured in bgpd but no daemon runs the sessions';
    const [c] = bfdConditions(routedIntent, obs, []);
    assert.equal(c.reason, 'BFDUnavailable');
  });

  test('a password-protected session that is down says what a mismatch looks like; never the password', () => {
    const intent = nodeIntent({
      neighbors: [{ address: '10.0.0.2', remoteAs: 65000, description: 'b', routeReflectorClient: false }],
      sessions: { password: { resource: 'EVPNFabric/lab', path: 'spec.passwordFrom', file: '/etc/pw', base64: false } },
    });
    const obs = emptyObservation('2026-12-02T00:00:00Z');
    obs.bgp = { sessions: [session('10.0.0.2', 'Active')] };
    const views = sessionViews(intent, obs);
    assert.equal(views[0].password, true);
    const c = sessionsCondition(intent, views);
    assert.equal(c.status, 'False');
    assert.match(c.message, /10\.0\.0\.2 \(Active, TCP-MD5 password set: a password that differs/);
  });
});
