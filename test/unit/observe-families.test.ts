// Sessions of every address family: `show bgp summary json` recorded from real
// FRR 8.4.4 and 10.3 on the Clos lab's leaf1 (eBGP underlay: IPv4 unicast and
// EVPN on both BGP-unnumbered uplinks), and what status and `describe` make of
// it: prefixes per family on each session, and a unicast-only peer listed too.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fabricSections } from '../../src/cli/describe-format.ts';
import { emptyObservation, type Observation } from '../../src/observe/collect.ts';
import { parseBgpEvpnSummary, parseBgpFamilySummary } from '../../src/observe/parse-bgp.ts';
import { sessionsCondition, sessionViews } from '../../src/status/status-sessions.ts';
import { FRR_VERSIONS, frrRecorded } from '../helpers/fixtures.ts';
import { nodeIntent } from '../helpers/intents.ts';

const routedIntent = nodeIntent({
  underlay: { owner: 'EVPNFabric/clos', uplinks: ['eth1', 'eth2'], loopback: [], families: [], remoteVteps: [] },
});

function observation(version: (typeof FRR_VERSIONS)[number], all: unknown): Observation {
  const obs = emptyObservation('2026-12-02T00:00:00Z');
  obs.bgp = parseBgpEvpnSummary(frrRecorded(version, 'clos/show-bgp-l2vpn-evpn-summary.json'));
  obs.families = parseBgpFamilySummary(all);
  return obs;
}

for (const version of FRR_VERSIONS) {
  describe(`sessions of every family on FRR ${version}`, () => {
    const all = frrRecorded(version, 'clos/show-bgp-summary.json');

    test('each uplink session once, with IPv4 unicast (the loopbacks) and EVPN prefixes', () => {
      const sessions = parseBgpFamilySummary(all);
      assert.deepEqual(
        sessions.map((s) => [s.peer, s.state, s.remoteAs, s.families]),
        ['eth1', 'eth2'].map((peer) => [
          peer,
          'Established',
          '65100',
          { ipv4Unicast: { received: 4, sent: 6 }, l2vpnEvpn: { received: 18, sent: 24 } },
        ]),
      );
      assert.deepEqual(parseBgpFamilySummary({}), []);
    });

    test('status: the EVPN sessions carry their families; describe shows them per family', () => {
      const views = sessionViews(routedIntent, observation(version, all));
      assert.deepEqual(
        views.map((v) => [v.peer, v.prefixesReceived, v.families?.ipv4Unicast?.received]),
        [
          ['eth1', 18, 4],
          ['eth2', 18, 4],
        ],
      );
      const text = fabricSections({ bgp: { routerId: '10.1.1.1', as: '65101', sessions: views } }).join('\n');
      assert.match(text, /PREFIXES \(RCVD\/SENT\)/);
      assert.match(text, /^ {2}eth1 .* ipv4 4\/6, evpn 18\/24/m);
      assert.doesNotMatch(text, /PFX-RCVD/);
    });

    test('a peer without EVPN (an upstream router with IPv4 unicast only) is listed and counted', () => {
      // eth2 as such a peer: the same recording without its EVPN session
      const copy = structuredClone(all) as { l2VpnEvpn: { peers: Record<string, unknown> } };
      delete copy.l2VpnEvpn.peers.eth2;
      const obs = observation(version, copy);
      obs.bgp.sessions = obs.bgp.sessions.filter((s) => s.peer !== 'eth2');
      const intent = { ...routedIntent, peers: [] };
      const views = sessionViews(intent, obs);
      assert.deepEqual(
        views.map((v) => [v.peer, v.prefixesReceived, v.prefixesSent, Object.keys(v.families ?? {})]),
        [
          ['eth1', 18, 24, ['ipv4Unicast', 'l2vpnEvpn']],
          ['eth2', 4, 6, ['ipv4Unicast']],
        ],
      );
      obs.families = obs.families?.map((s) => (s.peer === 'eth2' ? { ...s, state: 'Active', established: false } : s));
      const c = sessionsCondition(intent, sessionViews(intent, obs));
      assert.deepEqual([c.status, c.reason], ['False', 'SessionsDown']);
      assert.match(c.message, /1\/2 established; down: eth2 \(Active\)/);
    });
  });
}
