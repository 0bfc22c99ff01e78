// EVPNFabric's UplinksReady on a routed underlay: an uplink that is missing,
// down or without an IPv6 link-local address is named; a flat underlay gets
// no such condition.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyObservation, type Observation } from '../../src/observe/collect.ts';
import { underlayConditions } from '../../src/status/status-underlay.ts';
import type { ObservedLink } from '../../src/system/parse-ip-link.ts';
import type { UnderlayIntent } from '../../src/translate/intent.ts';

const UNDERLAY: UnderlayIntent = {
  owner: 'EVPNFabric/clos',
  uplinks: ['eth1', 'eth2'],
  loopback: ['10.1.1.1/32'],
  families: [{ name: 'ipv4', networks: ['10.1.1.1/32'] }],
};
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

test('a flat underlay has no UplinksReady condition', () => {
  assert.deepEqual(underlayConditions(undefined, obsWith([])), []);
});
