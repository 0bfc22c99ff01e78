// planFromObserved + diffKernel: after a batch failed part-way, the diff back
// to what the kernel had before recreates what the batch removed, removes what
// it created, and re-enslaves every port (ours and a VM tap someone else added).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { diffKernel } from '../../src/apply/kernel-diff.ts';
import { planFromObserved } from '../../src/apply/kernel-restore.ts';
import type { ObservedLink } from '../../src/system/parse-ip-link.ts';

const OWNER = 'routerd-evpn:EVPNNetwork/blue';
const link = (name: string, extra: Partial<ObservedLink>): ObservedLink => ({
  name,
  kind: '',
  mtu: 1500,
  up: true,
  operUp: true,
  ...extra,
});

// blue (VNI 100) as the daemon made it, with its access port eth1 and a VM tap.
const BEFORE: ObservedLink[] = [
  link('blue', {
    kind: 'bridge',
    mtu: 1450,
    alias: OWNER,
    address: '02:11:22:33:44:55',
    addresses: [],
    addrGenMode: 'none',
  }),
  link('vxlan100', {
    kind: 'vxlan',
    mtu: 1450,
    alias: OWNER,
    master: 'blue',
    addrGenMode: 'none',
    vxlan: { vni: 100, local: '10.0.0.1', dstport: 4789, learning: false },
    bridgePort: { learning: false, neighSuppress: true },
  }),
  link('eth1', { kind: 'veth', master: 'blue', bridgePort: { learning: true, neighSuppress: false } }),
  link('tap7', { kind: 'tun', master: 'blue', bridgePort: { learning: true, neighSuppress: false } }),
  link('eth0', { kind: 'veth' }),
];

describe('restoring the kernel after a failed batch', () => {
  test('the plan of what was there: our devices with their attributes, every port on them', () => {
    const plan = planFromObserved(BEFORE, [{ name: 'eth1', master: 'blue', owner: OWNER }]);
    assert.deepEqual(plan.devices, [
      { kind: 'bridge', name: 'blue', owner: OWNER, mtu: 1450, mac: '02:11:22:33:44:55', addresses: [] },
      {
        kind: 'vxlan',
        name: 'vxlan100',
        owner: OWNER,
        mtu: 1450,
        vni: 100,
        local: '10.0.0.1',
        dstport: 4789,
        master: 'blue',
        learning: false,
        neighSuppress: true,
      },
    ]);
    assert.deepEqual(
      plan.ports.map((p) => p.name),
      ['eth1', 'tap7'],
    );
  });

  test('a batch that deleted vxlan100, created vxlan101 and moved eth0 in is undone', () => {
    const before = planFromObserved(BEFORE, [{ name: 'eth1', master: 'blue', owner: OWNER }]);
    const after: ObservedLink[] = [
      BEFORE[0]!,
      link('vxlan101', {
        kind: 'vxlan',
        mtu: 1450,
        alias: OWNER,
        master: 'blue',
        addrGenMode: 'none',
        vxlan: { vni: 101, local: '10.0.0.1', dstport: 4789, learning: false },
        bridgePort: { learning: false, neighSuppress: true },
      }),
      BEFORE[2]!,
      BEFORE[3]!,
      link('eth0', { kind: 'veth', master: 'blue' }),
    ];
    const attempted = [
      { name: 'eth1', master: 'blue', owner: OWNER },
      { name: 'eth0', master: 'blue', owner: OWNER },
    ];
    const back = diffKernel(before, after, attempted);
    assert.deepEqual(back.ipBatch, [
      'link del dev vxlan101',
      'link add name vxlan100 mtu 1450 type vxlan id 100 local 10.0.0.1 dstport 4789 nolearning',
      `link set dev vxlan100 alias ${OWNER} addrgenmode none master blue`,
      'link set dev eth0 nomaster',
      'link set dev vxlan100 up',
    ]);
    assert.deepEqual(back.bridgeBatch, ['link set dev vxlan100 learning off neigh_suppress on']);
  });

  test('nothing changed: nothing to restore', () => {
    const before = planFromObserved(BEFORE, []);
    const back = diffKernel(before, BEFORE, []);
    assert.deepEqual([back.ipBatch, back.bridgeBatch], [[], []]);
  });
});

describe('restoring the loopback of a routed underlay', () => {
  const FABRIC = 'routerd-evpn:EVPNFabric/clos';
  const ours = { name: 'lo', owner: FABRIC, addresses: ['10.1.1.1/32'] };
  const lo = (addresses: string[]) => link('lo', { kind: 'loopback', mtu: 65536, addresses });

  test('our VTEP address stays on lo; only what the failed run added comes off', () => {
    const before = planFromObserved([lo(['127.0.0.1/8', '10.1.1.1/32'])], [ours]);
    assert.deepEqual(before.ports, [ours]);
    // the failed run was moving the VTEP address to 10.1.1.9 and had added it
    const attempted = [ours, { ...ours, addresses: ['10.1.1.9/32'] }];
    const back = diffKernel(before, [lo(['127.0.0.1/8', '10.1.1.1/32', '10.1.1.9/32'])], attempted);
    assert.deepEqual(back.ipBatch, ['address del 10.1.1.9/32 dev lo']);
  });

  test('an address of ours the failed run took off goes back on', () => {
    const before = planFromObserved([lo(['127.0.0.1/8', '10.1.1.1/32'])], [ours]);
    const back = diffKernel(before, [lo(['127.0.0.1/8'])], [ours]);
    assert.deepEqual(back.ipBatch, ['address replace 10.1.1.1/32 dev lo']);
  });
});
