// IPv6 VTEP addresses need FRR >= 10.6, the first release whose EVPN carries
// IPv6 VTEPs. On an older FRR the daemon refuses before touching the kernel or
// FRR, and the fabric's status says why (the real daemon over the fake tools);
// which addresses count, pure.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { API_PREFIX as API, CONTROL_API_VERSION as V } from '../../src/api/paths.ts';
import { ipv6VtepRefusal, ipv6Vteps } from '../../src/controller/preflight.ts';
import { type FakeDaemon, startFakeDaemon } from '../helpers/fake-daemon.ts';
import { nodeIntent } from '../helpers/intents.ts';
import { docs, networkYaml } from '../helpers/recorded-fabric.ts';

const IPV6_FABRIC = `apiVersion: evpn.routerd.net/v1alpha1
kind: EVPNFabric
metadata: {name: lab}
spec:
  asn: 65000
  nodes:
    - {name: rec-a, vtepAddress: "fd00:99::1", routerID: 10.99.1.1}
    - {name: rec-b, vtepAddress: "fd00:99::2", routerID: 10.99.1.2}
`;
const open: FakeDaemon[] = [];
after(async () => {
  for (const d of open) await d.close();
});

async function applyOn(frr: string) {
  const d = await startFakeDaemon();
  open.push(d);
  await d.fake.setVtysh('show version', `FRRouting ${frr} (rec-a) on Linux(6.1.0-57-amd64).\n`);
  const candidateYaml = docs(IPV6_FABRIC, networkYaml('blue', 100));
  const res = await d.inject('POST', `${API}/apply`, { apiVersion: V, kind: 'ApplyRequest', candidateYaml });
  const fabric = await d.inject('GET', `${API}/describe?target=EVPNFabric/lab`);
  const status = fabric.body.resource.status;
  const c = status.conditions.find((x: { type: string }) => x.type === 'PreflightPassed');
  return { d, res, status, c };
}

test('FRR 10.3 with IPv6 VTEPs: refused before the kernel and FRR are touched; the fabric says why', async () => {
  const { d, res, status, c } = await applyOn('10.3');
  assert.equal(res.body.result.phase, 'Failed');
  assert.equal(status.phase, 'Error');
  assert.deepEqual([c.status, c.reason], ['False', 'FRRTooOld']);
  assert.match(
    c.message,
    /IPv6 VTEP addresses \(fd00:99::1, fd00:99::2\); EVPN carries IPv6 VTEPs only from FRR 10\.6 on, and this node runs FRR 10\.3/,
  );
  assert.equal(await d.fake.read('ip-batch.log'), undefined, 'no kernel change');
  assert.equal(await d.fake.read('reload.log'), undefined, 'FRR not reloaded');
});

test('FRR 10.6 with IPv6 VTEPs: passed, and the VXLAN device gets its IPv6 local address', async () => {
  const { d, c } = await applyOn('10.6.0');
  assert.equal(c.status, 'True', c.message);
  assert.match((await d.fake.read('ip-batch.log')) ?? '', /type vxlan id 100 local fd00:99::1 /);
});

test('which addresses count: own, flat neighbors and routed remote VTEPs; not an external route reflector', () => {
  const v4 = nodeIntent();
  assert.deepEqual(ipv6Vteps(v4), []);
  assert.equal(ipv6VtepRefusal('a', undefined, []), undefined);
  const mixed = nodeIntent({
    neighbors: [
      { address: 'fd00::2', remoteAs: 65000, description: 'b', routeReflectorClient: false },
      { address: '2001:db8::9', remoteAs: 65000, description: 'external-rr', routeReflectorClient: false },
    ],
  });
  assert.deepEqual(ipv6Vteps(mixed), ['fd00::2']);
  assert.equal(ipv6VtepRefusal('a', undefined, ['fd00::2'])?.reason, 'FRRVersionUnknown');
});
