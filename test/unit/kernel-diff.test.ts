// diffKernel: device plan + observed links -> only the commands needed; and
// parseIpLinks on real `ip -j -d link show` output (test/fixtures/kernel/record.sh).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hasKernelWrites, isOwned } from '../../src/apply/kernel-changes.ts';
import { diffKernel } from '../../src/apply/kernel-diff.ts';
import { type DevicePlan, type PlannedPort, planDevices } from '../../src/render/devices.ts';
import { type ObservedLink, parseIpLinks } from '../../src/system/parse-ip-link.ts';
import type { L2VniIntent } from '../../src/translate/intent.ts';
import { fixture } from '../helpers/fixtures.ts';
import { l2vniIntent, nodeIntent } from '../helpers/intents.ts';

const l2vni = l2vniIntent;

function plan(...l2vnis: L2VniIntent[]): DevicePlan {
  return planDevices(nodeIntent({ l2vnis }));
}

const owner = (name: string) => `routerd-evpn:EVPNNetwork/${name}`;

// The links a kernel has after a plan was applied completely.
function observedFrom(p: DevicePlan): ObservedLink[] {
  const links: ObservedLink[] = [];
  for (const d of p.devices) {
    if (d.kind === 'vrf')
      links.push({ name: d.name, kind: 'vrf', mtu: 65575, up: true, operUp: true, alias: d.owner, vrfTable: d.table });
    else if (d.kind === 'bridge') {
      links.push({
        name: d.name,
        kind: 'bridge',
        mtu: d.mtu,
        up: true,
        operUp: true,
        alias: d.owner,
        ...(d.master ? { master: d.master } : {}),
        ...(d.mac ? { address: d.mac } : {}),
        ...(d.addresses ? { addresses: [...d.addresses] } : {}),
      });
    } else if (d.kind === 'vxlan') {
      links.push({
        name: d.name,
        kind: 'vxlan',
        mtu: d.mtu,
        up: true,
        operUp: true,
        alias: d.owner,
        master: d.master,
        vxlan: { vni: d.vni, local: d.local, dstport: d.dstport, learning: false },
        bridgePort: { learning: d.learning, neighSuppress: d.neighSuppress },
      });
    }
  }
  for (const port of p.ports)
    links.push({
      name: port.name,
      kind: 'veth',
      mtu: 1500,
      up: true,
      operUp: true,
      master: port.master,
      bridgePort: { learning: true, neighSuppress: false },
    });
  return links;
}

const plainLink = (name: string, extra: Partial<ObservedLink> = {}): ObservedLink => ({
  name,
  kind: 'veth',
  mtu: 1500,
  up: true,
  operUp: true,
  ...extra,
});

const TWO = () =>
  plan(l2vni('blue', 100, { ports: ['eth1'] }), l2vni('red', 200, { arpNdSuppression: false, macLearning: true }));

describe('diffKernel', () => {
  test('empty kernel: create everything in order, bridge flags in the bridge batch', () => {
    const p = TWO();
    const c = diffKernel(p, [plainLink('eth1', { up: false })], []);
    assert.deepEqual(c.ipBatch, [
      `link add name blue mtu 1450 type bridge`,
      `link set dev blue alias ${owner('blue')} addrgenmode none`,
      `link add name red mtu 1450 type bridge`,
      `link set dev red alias ${owner('red')} addrgenmode none`,
      `link add name vxlan100 mtu 1450 type vxlan id 100 local 10.0.0.1 dstport 4789 nolearning`,
      `link set dev vxlan100 alias ${owner('blue')} addrgenmode none master blue`,
      `link add name vxlan200 mtu 1450 type vxlan id 200 local 10.0.0.1 dstport 4789 nolearning`,
      `link set dev vxlan200 alias ${owner('red')} addrgenmode none master red`,
      'link set dev eth1 master blue',
      'link set dev eth1 up',
      'link set dev blue up',
      'link set dev red up',
      'link set dev vxlan100 up',
      'link set dev vxlan200 up',
    ]);
    assert.deepEqual(c.bridgeBatch, [
      'link set dev vxlan100 learning off neigh_suppress on',
      'link set dev vxlan200 learning on neigh_suppress off',
    ]);
    assert.deepEqual(c.created, ['blue', 'red', 'vxlan100', 'vxlan200']);
    assert.deepEqual(c.conflicts, []);
    assert.deepEqual(c.missingPorts, []);
    assert.deepEqual(c.attachedPorts, [{ name: 'eth1', master: 'blue', owner: owner('blue') }]);
    assert.equal(c.summary.length, 6, c.summary.join('\n'));
    assert.ok(c.summary.includes('+ bridge blue mtu 1450'));
    assert.ok(c.summary.includes('+ port eth1 to blue'));
    assert.equal(hasKernelWrites(c), true);
  });

  test('a port that does not exist is reported missing, not attached', () => {
    const c = diffKernel(TWO(), [], []);
    assert.deepEqual(c.missingPorts, [{ name: 'eth1', master: 'blue', owner: owner('blue') }]);
    assert.deepEqual(c.attachedPorts, []);
    assert.equal(
      c.ipBatch.some((l) => l.includes('eth1')),
      false,
    );
  });

  test('kernel already matching: no writes at all', () => {
    const p = TWO();
    const c = diffKernel(p, observedFrom(p), p.ports);
    assert.deepEqual(c.ipBatch, []);
    assert.deepEqual(c.bridgeBatch, []);
    assert.deepEqual(c.created, []);
    assert.deepEqual(c.summary, []);
    assert.deepEqual(c.conflicts, []);
    assert.deepEqual(c.missingPorts, []);
    assert.deepEqual(c.attachedPorts, p.ports);
    assert.equal(hasKernelWrites(c), false);
  });

  test('unrelated links (ours or not) beside a matching plan change nothing', () => {
    const p = TWO();
    const c = diffKernel(
      p,
      [
        plainLink('lo', { kind: '' }),
        plainLink('eth0'),
        ...observedFrom(p),
        plainLink('br-vm', { kind: 'bridge', alias: 'hypervisor' }),
      ],
      [],
    );
    assert.deepEqual([c.ipBatch, c.bridgeBatch], [[], []]);
  });

  test('MTU change: only `link set dev X mtu N`', () => {
    const before = TWO();
    const after = plan(
      l2vni('blue', 100, { ports: ['eth1'], mtu: 1400 }),
      l2vni('red', 200, { arpNdSuppression: false, macLearning: true }),
    );
    const c = diffKernel(after, observedFrom(before), before.ports);
    assert.deepEqual(c.ipBatch, ['link set dev blue mtu 1400', 'link set dev vxlan100 mtu 1400']);
    assert.deepEqual(c.bridgeBatch, []);
    assert.deepEqual(c.created, []);
    assert.deepEqual(c.summary, ['~ blue: mtu 1450 -> 1400', '~ vxlan100: mtu 1450 -> 1400']);
  });

  test('bridge-port flag change: only the bridge batch', () => {
    const before = TWO();
    const after = plan(
      l2vni('blue', 100, { ports: ['eth1'], arpNdSuppression: false }),
      l2vni('red', 200, { arpNdSuppression: false, macLearning: true }),
    );
    const c = diffKernel(after, observedFrom(before), before.ports);
    assert.deepEqual(c.ipBatch, []);
    assert.deepEqual(c.bridgeBatch, ['link set dev vxlan100 learning off neigh_suppress off']);
  });

  test('an owned device that generates IPv6 link-locals gets addrgenmode none, nothing else', () => {
    const p = TWO();
    const links = observedFrom(p).map((l) =>
      l.name === 'red' ? { ...l, addrGenMode: 'eui64' } : l.name === 'blue' ? { ...l, addrGenMode: 'none' } : l,
    );
    const c = diffKernel(p, links, p.ports);
    assert.deepEqual(c.ipBatch, ['link set dev red addrgenmode none']);
    assert.deepEqual(c.bridgeBatch, []);
  });

  test('a device that is down is brought up, nothing else', () => {
    const p = TWO();
    const links = observedFrom(p).map((l) => (l.name === 'vxlan200' ? { ...l, up: false, operUp: false } : l));
    assert.deepEqual(diffKernel(p, links, p.ports).ipBatch, ['link set dev vxlan200 up']);
  });

  test('local address change: delete and recreate the VXLAN device, re-apply its flags', () => {
    const before = TWO();
    const after = plan(
      l2vni('blue', 100, { ports: ['eth1'], localAddress: '10.0.0.11' }),
      l2vni('red', 200, { arpNdSuppression: false, macLearning: true }),
    );
    const c = diffKernel(after, observedFrom(before), before.ports);
    assert.deepEqual(c.ipBatch, [
      'link del dev vxlan100',
      'link add name vxlan100 mtu 1450 type vxlan id 100 local 10.0.0.11 dstport 4789 nolearning',
      `link set dev vxlan100 alias ${owner('blue')} addrgenmode none master blue`,
      'link set dev vxlan100 up',
    ]);
    assert.deepEqual(c.bridgeBatch, ['link set dev vxlan100 learning off neigh_suppress on']);
    assert.deepEqual(c.created, ['vxlan100']);
    assert.ok(c.summary.includes('- vxlan vxlan100 (recreate: local 10.0.0.1 -> 10.0.0.11)'), c.summary.join('\n'));
  });

  test('VNI changed on the device under the same name: delete and recreate', () => {
    const p = TWO();
    const links = observedFrom(p).map((l) => (l.name === 'vxlan100' ? { ...l, vxlan: { ...l.vxlan!, vni: 999 } } : l));
    const c = diffKernel(p, links, p.ports);
    assert.deepEqual(c.ipBatch, [
      'link del dev vxlan100',
      'link add name vxlan100 mtu 1450 type vxlan id 100 local 10.0.0.1 dstport 4789 nolearning',
      `link set dev vxlan100 alias ${owner('blue')} addrgenmode none master blue`,
      'link set dev vxlan100 up',
    ]);
    assert.ok(c.summary.includes('- vxlan vxlan100 (recreate: vni 999 -> 100)'));
  });

  test('VNI changed in the plan: the old device goes, a new one comes', () => {
    const before = TWO();
    const after = plan(
      l2vni('blue', 101, { ports: ['eth1'] }),
      l2vni('red', 200, { arpNdSuppression: false, macLearning: true }),
    );
    const c = diffKernel(after, observedFrom(before), before.ports);
    assert.deepEqual(c.ipBatch, [
      'link del dev vxlan100',
      'link add name vxlan101 mtu 1450 type vxlan id 101 local 10.0.0.1 dstport 4789 nolearning',
      `link set dev vxlan101 alias ${owner('blue')} addrgenmode none master blue`,
      'link set dev vxlan101 up',
    ]);
    assert.deepEqual(c.bridgeBatch, ['link set dev vxlan101 learning off neigh_suppress on']);
  });

  test('a recreated bridge gets its ports attached again', () => {
    const p = TWO();
    const links = observedFrom(p).map((l) => (l.name === 'blue' ? { ...l, kind: 'vlan' } : l));
    const c = diffKernel(p, links, p.ports);
    assert.deepEqual(c.ipBatch.slice(0, 3), [
      'link del dev blue',
      'link add name blue mtu 1450 type bridge',
      `link set dev blue alias ${owner('blue')} addrgenmode none`,
    ]);
    assert.ok(c.ipBatch.includes('link set dev eth1 master blue'), c.ipBatch.join('\n'));
    assert.equal(c.ipBatch.at(-1), 'link set dev blue up');
    assert.deepEqual(c.created, ['blue']);
  });

  // `link del dev blue` also releases vxlan100 from it (and drops its bridge-port
  // flags): the same pass must enslave it again and set its flags.
  test('a recreated bridge gets its VXLAN device enslaved again, with its flags', () => {
    const p = TWO();
    const links = observedFrom(p).map((l) => (l.name === 'blue' ? { ...l, kind: 'vlan' } : l));
    const c = diffKernel(p, links, p.ports);
    assert.ok(
      c.ipBatch.some((l) => /^link set dev vxlan100 .*master blue/.test(l)),
      c.ipBatch.join('\n'),
    );
    assert.deepEqual(c.bridgeBatch, ['link set dev vxlan100 learning off neigh_suppress on']);
  });

  test('an owned device no longer in the plan is deleted (and only that)', () => {
    const before = TWO();
    const after = plan(l2vni('blue', 100, { ports: ['eth1'] }));
    const c = diffKernel(after, observedFrom(before), before.ports);
    assert.deepEqual(c.ipBatch, ['link del dev red', 'link del dev vxlan200']);
    assert.deepEqual(c.bridgeBatch, []);
    assert.deepEqual(c.summary, [`- bridge red (${owner('red')})`, `- vxlan vxlan200 (${owner('red')})`]);
  });

  test('an empty plan removes every owned device and leaves the rest', () => {
    const before = TWO();
    const c = diffKernel(plan(), [plainLink('eth0'), ...observedFrom(before)], before.ports);
    assert.deepEqual(c.ipBatch, [
      'link del dev blue',
      'link del dev red',
      'link del dev vxlan100',
      'link del dev vxlan200',
    ]);
  });

  test("a same-named device without our alias is a conflict; nothing touches it or its owner's other devices", () => {
    const before = TWO();
    const links = observedFrom(before).map((l) =>
      l.name === 'blue' ? { ...l, alias: undefined, mtu: 9000, up: false } : l,
    );
    // red is also out of date (MTU) and must still be fixed.
    const after = plan(
      l2vni('blue', 100, { ports: ['eth1'], mtu: 1400 }),
      l2vni('red', 200, { mtu: 1400, arpNdSuppression: false, macLearning: true }),
    );
    const c = diffKernel(after, links, before.ports);
    assert.equal(c.conflicts.length, 1);
    assert.equal(c.conflicts[0]!.owner, owner('blue'));
    assert.equal(c.conflicts[0]!.device, 'blue');
    assert.match(c.conflicts[0]!.message, /blue.*not created by routerd-evpn/);
    assert.deepEqual(c.ipBatch, ['link set dev red mtu 1400', 'link set dev vxlan200 mtu 1400']);
    assert.deepEqual(c.bridgeBatch, []);
    for (const line of [...c.ipBatch, ...c.bridgeBatch]) assert.doesNotMatch(line, /blue|vxlan100|eth1/);
    assert.deepEqual(c.attachedPorts, []);
    assert.deepEqual(c.missingPorts, []);
  });

  test("a foreign device with another tool's alias is a conflict too, and is not deleted", () => {
    const p = plan(l2vni('blue', 100));
    const c = diffKernel(
      p,
      [
        {
          name: 'vxlan100',
          kind: 'vxlan',
          mtu: 1500,
          up: true,
          operUp: true,
          alias: 'proxmox:vnet',
          vxlan: { vni: 7, dstport: 4789, learning: true },
        },
      ],
      [],
    );
    assert.deepEqual(
      c.conflicts.map((x) => [x.owner, x.device]),
      [[owner('blue'), 'vxlan100']],
    );
    assert.deepEqual(c.ipBatch, []);
    assert.deepEqual(c.bridgeBatch, []);
  });

  test('a previously attached port that is no longer wanted is detached', () => {
    const before = plan(l2vni('blue', 100, { ports: ['eth1', 'eth2'] }));
    const after = plan(l2vni('blue', 100, { ports: ['eth1'] }));
    const c = diffKernel(after, observedFrom(before), before.ports);
    assert.deepEqual(c.ipBatch, ['link set dev eth2 nomaster']);
    assert.deepEqual(c.summary, ['- port eth2 from blue']);
    assert.deepEqual(c.attachedPorts, after.ports);
  });

  test('a port we did not attach is never detached', () => {
    const p = plan(l2vni('blue', 100, { ports: ['eth1'] }));
    const links = [
      ...observedFrom(p),
      plainLink('tap100i0', { master: 'blue' }),
      plainLink('tap101i0', { master: 'blue', up: false }),
    ];
    const previous: PlannedPort[] = p.ports; // tap*: attached by the hypervisor
    const c = diffKernel(p, links, previous);
    assert.deepEqual(c.ipBatch, []);
    // and not when our own port list becomes empty either
    const c2 = diffKernel(plan(l2vni('blue', 100)), links, []);
    assert.deepEqual(c2.ipBatch, []);
  });

  test('a previous port now on another master (moved by someone else) is left alone', () => {
    const before = plan(l2vni('blue', 100, { ports: ['eth1'] }));
    const links = observedFrom(before).map((l) => (l.name === 'eth1' ? { ...l, master: 'br-other' } : l));
    const c = diffKernel(plan(l2vni('blue', 100)), links, before.ports);
    assert.deepEqual(c.ipBatch, []);
  });

  test('no nomaster when the bridge itself goes away', () => {
    const before = TWO();
    const c = diffKernel(
      plan(l2vni('red', 200, { arpNdSuppression: false, macLearning: true })),
      observedFrom(before),
      before.ports,
    );
    assert.deepEqual(c.ipBatch, ['link del dev blue', 'link del dev vxlan100']);
  });

  test('a port attached elsewhere is moved to our bridge when the plan wants it', () => {
    const p = plan(l2vni('blue', 100, { ports: ['eth1'] }));
    const links = observedFrom(p).map((l) => (l.name === 'eth1' ? { ...l, master: undefined } : l));
    const c = diffKernel(p, links, []);
    assert.deepEqual(c.ipBatch, ['link set dev eth1 master blue']);
  });
});

describe('parseIpLinks on recorded `ip -j -d link show` (namespace ut-rec)', () => {
  const json = fixture('kernel/ip-link-show.json');
  const links = parseIpLinks(json);
  const byName = new Map(links.map((l) => [l.name, l]));

  test('every link is parsed', () => {
    assert.deepEqual(links.map((l) => l.name).sort(), ['br100', 'lo', 'ut-p0', 'ut-p1', 'vxlan100']);
  });

  test('the bridge: kind, MTU, alias, up', () => {
    const br = byName.get('br100')!;
    assert.equal(br.kind, 'bridge');
    assert.equal(br.mtu, 1450);
    assert.equal(br.alias, 'routerd-evpn:EVPNNetwork/vnet100');
    assert.equal(br.up, true);
    assert.equal(br.addrGenMode, 'none');
    assert.equal(br.master, undefined);
    assert.equal(br.vxlan, undefined);
    assert.equal(br.bridgePort, undefined);
    assert.match(br.address!, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    assert.equal(isOwned(br), true);
  });

  test('the VXLAN device: VNI, local, port, no learning, bridge-port flags', () => {
    const vx = byName.get('vxlan100')!;
    assert.equal(vx.kind, 'vxlan');
    assert.equal(vx.mtu, 1450);
    assert.equal(vx.master, 'br100');
    assert.equal(vx.addrGenMode, 'none');
    assert.equal(vx.up, true);
    assert.equal(vx.operUp, true, 'UNKNOWN operstate with LOWER_UP counts as up');
    assert.deepEqual(vx.vxlan, { vni: 100, local: '10.99.0.1', dstport: 4789, learning: false });
    assert.deepEqual(vx.bridgePort, { learning: false, neighSuppress: true });
  });

  test('veth ports: one enslaved (default flags, no carrier), one free and down', () => {
    const p0 = byName.get('ut-p0')!;
    assert.equal(p0.kind, 'veth');
    assert.equal(p0.master, 'br100');
    assert.equal(p0.up, true);
    assert.equal(p0.operUp, false);
    assert.deepEqual(p0.bridgePort, { learning: true, neighSuppress: false });
    assert.equal(p0.addrGenMode, 'eui64');
    assert.equal(isOwned(p0), false);
    const p1 = byName.get('ut-p1')!;
    assert.deepEqual(
      [p1.kind, p1.up, p1.operUp, p1.master, p1.bridgePort, p1.alias],
      ['veth', false, false, undefined, undefined, undefined],
    );
  });

  test('loopback: plain device, kind ""', () => {
    const lo = byName.get('lo')!;
    assert.deepEqual([lo.kind, lo.mtu, lo.up], ['', 65536, false]);
  });

  test('the recorded kernel matches the plan it was built from: no writes', () => {
    const p = plan(l2vni('vnet100', 100, { bridge: 'br100', localAddress: '10.99.0.1', ports: ['ut-p0'] }));
    const c = diffKernel(p, links, p.ports);
    assert.deepEqual(c.ipBatch, []);
    assert.deepEqual(c.bridgeBatch, []);
    assert.deepEqual(c.conflicts, []);
  });

  test('empty and malformed input', () => {
    assert.deepEqual(parseIpLinks(''), []);
    assert.deepEqual(parseIpLinks('[]'), []);
    assert.throws(() => parseIpLinks('{}'), /expected a JSON array/);
  });
});
