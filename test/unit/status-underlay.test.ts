// EVPNFabric's UplinksReady and UnderlayReady on a routed underlay: an uplink
// that is missing, down or without an IPv6 link-local address is named; every
// remote VTEP's route and its paths, on routes recorded from the Clos lab; a
// flat underlay gets no such conditions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyObservation, type Observation } from '../../src/observe/collect.ts';
import {
  peerLinkConditions,
  underlayConditions,
  underlayReadyCondition,
  underlayView,
  vtepReachability,
} from '../../src/status/status-underlay.ts';
import type { ObservedLink } from '../../src/system/parse-ip-link.ts';
import { parseIpRoutes } from '../../src/system/parse-ip-route.ts';
import type { UnderlayIntent } from '../../src/translate/intent.ts';
import { fixture } from '../helpers/fixtures.ts';

// leaf1 of the Clos lab: two uplinks, leaf2..leaf4 the remote VTEPs.
const CLOS: UnderlayIntent = {
  owner: 'EVPNFabric/clos',
  uplinks: ['eth1', 'eth2'],
  loopback: ['10.1.1.1/32'],
  families: [{ name: 'ipv4', networks: ['10.1.1.1/32'] }],
  remoteVteps: ['leaf2', 'leaf3', 'leaf4'].map((node, i) => ({ node, address: `10.1.1.${i + 2}` })),
};
const UNDERLAY = CLOS;
const link = (name: string, over: Partial<ObservedLink> = {}): ObservedLink => ({
  name,
  kind: 'veth',
  mtu: 1500,
  up: true,
  operUp: true,
  addresses: ['fe80::a8c1:abff:fe12:3456/64'],
  ...over,
});
const obsWith = (links: ObservedLink[]): Observation => ({ ...emptyObservation('2026-12-01T00:00:00.000Z'), links });

test('usable uplinks: UplinksReady is True and names them', () => {
  const [c] = underlayConditions(UNDERLAY, obsWith([link('eth1'), link('eth2')]));
  assert.deepEqual([c?.type, c?.status, c?.reason], ['UplinksReady', 'True', 'AllUsable']);
  assert.match(c?.message ?? '', /eth1, eth2/);
});

test('a missing, a down and an IPv4-only uplink are each named', () => {
  const [c] = underlayConditions(UNDERLAY, obsWith([link('eth1', { up: false })]));
  assert.deepEqual([c?.status, c?.reason], ['False', 'UplinkUnusable']);
  assert.equal(c?.message, 'eth1 down; eth2 missing');
  const [v4] = underlayConditions(UNDERLAY, obsWith([link('eth1'), link('eth2', { addresses: ['192.0.2.1/31'] })]));
  assert.match(v4?.message ?? '', /^eth2 has no IPv6 link-local address/);
});

test('BGP-unnumbered peers: PeerLinksReady names an unknown or down interface; none without such peers', () => {
  const [ok] = peerLinkConditions(['eth7'], obsWith([link('eth7')]));
  assert.deepEqual([ok.type, ok.status, ok.reason], ['PeerLinksReady', 'True', 'AllUsable']);
  const [bad] = peerLinkConditions(['eth7', 'eth8'], obsWith([link('eth7', { up: false })]));
  assert.deepEqual([bad.status, bad.reason, bad.message], ['False', 'PeerLinkUnusable', 'eth7 down; eth8 missing']);
  assert.deepEqual(peerLinkConditions([], obsWith([])), []);
});

test('a flat underlay has no UplinksReady condition', () => {
  assert.deepEqual(underlayConditions(undefined, obsWith([])), []);
});

// `ip -j -4 route show table all` recorded on the Clos lab's leaf1 (FRR 8.4):
// both spines up, then spine1's links down (test/fixtures/kernel/clos/SOURCE.md).
const recordedRoutes = (name: string) => parseIpRoutes(fixture(`kernel/clos/${name}`), 'ipv4');
const withLo: ObservedLink = link('lo', { kind: 'loopback', addresses: ['127.0.0.1/8', '10.1.1.1/32', '::1/128'] });

test('every remote VTEP routed over both spines: UnderlayReady, two paths each', () => {
  const obs = { ...obsWith([withLo]), routes: recordedRoutes('leaf1-ip-4-route-up.json') };
  assert.deepEqual(
    vtepReachability(CLOS, obs).map((r) => [r.node, r.route, r.paths, r.via]),
    [
      ['leaf2', '10.1.1.2', 2, ['eth1', 'eth2']],
      ['leaf3', '10.1.1.3', 2, ['eth1', 'eth2']],
      ['leaf4', '10.1.1.4', 2, ['eth1', 'eth2']],
    ],
  );
  const [c] = underlayReadyCondition(CLOS, obs);
  assert.deepEqual([c.type, c.status, c.reason], ['UnderlayReady', 'True', 'VtepsRouted']);
  assert.equal(c.message, '3/3 remote VTEPs routed (paths: leaf2 2, leaf3 2, leaf4 2)');
});

test('one spine gone: still routed, one path each, over the other spine', () => {
  const obs = { ...obsWith([withLo]), routes: recordedRoutes('leaf1-ip-4-route-spine1-down.json') };
  assert.deepEqual(
    vtepReachability(CLOS, obs).map((r) => [r.node, r.paths, r.via]),
    [
      ['leaf2', 1, ['eth2']],
      ['leaf3', 1, ['eth2']],
      ['leaf4', 1, ['eth2']],
    ],
  );
  assert.equal(underlayReadyCondition(CLOS, obs)[0].status, 'True');
});

test('a VTEP with no route (a default route does not count) and a VTEP address missing on lo', () => {
  const routes = recordedRoutes('leaf1-ip-4-route-up.json').filter((r) => r.dst !== '10.1.1.4');
  routes.push({
    family: 'ipv4',
    table: 'main',
    dst: '0.0.0.0/0',
    type: 'unicast',
    dev: 'eth9',
    protocol: 'static',
    flags: [],
  });
  const obs = { ...obsWith([link('lo', { addresses: ['127.0.0.1/8'] })]), routes };
  const [c] = underlayReadyCondition(CLOS, obs);
  assert.deepEqual([c.status, c.reason], ['False', 'VtepUnreachable']);
  assert.equal(c.message, '10.1.1.1/32 not on lo; no route to leaf4 (10.1.1.4)');
  assert.deepEqual(underlayView(CLOS, obs).loopback, [{ address: '10.1.1.1/32', present: false }]);
});
