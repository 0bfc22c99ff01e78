// The single VXLAN device (EVPNFabric spec.vxlanDevice: single, or a node's
// own vxlanDevice): validation (all problems at once), translate, the device
// plan, the kernel diff (idempotent, perVni <-> single, port PVIDs, L3VNI
// hold-back), the VLAN view parsers on recorded kernel output, the pre-flight.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyKernel } from '../../src/apply/kernel-apply.ts';
import { hasKernelWrites } from '../../src/apply/kernel-changes.ts';
import { diffKernel } from '../../src/apply/kernel-diff.ts';
import { planFromObserved } from '../../src/apply/kernel-restore.ts';
import { singleVxlanRefusal } from '../../src/controller/preflight.ts';
import { type DevicePlan, planDevices } from '../../src/render/devices.ts';
import { derivedVlan } from '../../src/resources/names.ts';
import { validateYaml } from '../../src/resources/validate.ts';
import { parseFrrVersion } from '../../src/system/frr-version.ts';
import type { Kernel } from '../../src/system/kernel.ts';
import { interpretProbe, PROBE_BRIDGE, PROBE_VXLAN } from '../../src/system/kernel-probe.ts';
import { parseBridgeVlans } from '../../src/system/parse-bridge-vlan.ts';
import { parseIpLinks } from '../../src/system/parse-ip-link.ts';
import { translate } from '../../src/translate/translate.ts';
import { fixture } from '../helpers/fixtures.ts';
import { FROM_SINGLE_RULES, issueChecker } from '../helpers/issues.ts';
import { observedFromPlan } from '../helpers/observed-single.ts';
import { fabricOn, network, stream, THREE_LEAVES, vrf } from '../helpers/resources.ts';

const { seen, issuesOf } = issueChecker();
const fabric = fabricOn(THREE_LEAVES);
const single = (spec = {}) => fabric({ vxlanDevice: 'single', ...spec });

function resourcesOf(text: string) {
  const r = validateYaml(text);
  assert.deepEqual(r.issues, [], 'valid input');
  return r.resources;
}

const planOf = (text: string, node = 'leaf1'): DevicePlan => planDevices(translate(resourcesOf(text), node));

const L2 = stream(
  single(),
  network('blue', { vni: 100, ports: [{ node: 'leaf1', interface: 'tap1' }] }),
  network('green', { vni: 10100, arpNdSuppression: true }),
);

const IRB = stream(
  single(),
  vrf('red', { l3vni: 4000 }),
  network('apps', {
    vni: 110,
    vrf: 'red',
    gateway: { ipv4: '10.1.0.1/24' },
    ports: [{ node: 'leaf1', interface: 'tap2' }],
  }),
);

describe('validation', () => {
  test('VLAN rule: the VNI when it is a VLAN id, else 1 + (VNI - 1) mod 4094', () => {
    assert.equal(derivedVlan(100), 100);
    assert.equal(derivedVlan(4094), 4094);
    assert.equal(derivedVlan(4095), 1);
    assert.equal(derivedVlan(10100), 1912);
  });

  test('every problem at once, each with its resource, field and code', () => {
    const issues = issuesOf(
      stream(
        single({ nodes: [...THREE_LEAVES.slice(0, 2), { ...THREE_LEAVES[2], vxlanDevice: 'perVni' }] }),
        network('blue', { vni: 100 }),
        network('green', { vni: 200, vlan: 100 }), // clashes with blue's derived VLAN
        network('red', { vni: 300, vlan: 5000 }),
        network('br-evpn', { vni: 400 }), // the shared bridge's name
        network('only3', { vni: 4196, nodes: ['leaf3'] }), // VLAN 102 on a perVni node: no clash
        network('gw', { vni: 102, ports: [{ node: 'leaf1', interface: 'vlan500' }] }),
        vrf('tenant', { l3vni: 500 }), // its SVI vlan500 is a port above
        network('routed', { vni: 600, vrf: 'tenant', vlan: 500 }), // clashes with the L3VNI's VLAN
      ),
    );
    assert.deepEqual(issues, [
      ['EVPNNetwork/br-evpn', 'metadata.name', 'BRIDGE_DUPLICATE'],
      ['EVPNNetwork/red', 'spec.vlan', 'VLAN_RANGE'],
      ['EVPNNetwork/green', 'spec.vlan', 'VLAN_DUPLICATE'],
      ['EVPNVRF/tenant', 'spec.l3vni', 'VLAN_DUPLICATE'],
      ['EVPNNetwork/gw', 'spec.ports[0].interface', 'PORT_INVALID'],
    ]);
  });

  test('a clash names both resources, how each VLAN came about and the nodes', () => {
    const r = validateYaml(stream(single(), network('a', { vni: 4095 }), network('b', { vni: 1 })));
    assert.equal(r.issues.length, 1);
    const m = r.issues[0]!.message;
    for (const part of [
      'VLAN 1',
      'derived from VNI 4095',
      'EVPNNetwork/a',
      'derived from VNI 1',
      'leaf1, leaf2, leaf3',
    ])
      assert.ok(m.includes(part), `${m} names ${part}`);
  });

  test('perVni fabrics never clash on VLANs, and asymmetric VRFs take no vlan', () => {
    assert.deepEqual(issuesOf(stream(fabric(), network('a', { vni: 4095 }), network('b', { vni: 1 }))), []);
    assert.deepEqual(issuesOf(stream(fabric({ irb: 'asymmetric' }), vrf('red', { vlan: 10 }))), [
      ['EVPNVRF/red', 'spec.vlan', 'IRB_MODE_CONFLICT'],
    ]);
    assert.deepEqual(issuesOf(stream(fabric({ vxlanDevice: 'both' }))), [
      ['EVPNFabric/lab', 'spec.vxlanDevice', 'FIELD_VALUE'],
    ]);
  });
});

describe('translate and plan', () => {
  test('a single node: shared bridge and VXLAN device, VLANs, SVIs; the perVni node of the same fabric is unchanged', () => {
    const text = stream(
      single({ nodes: [...THREE_LEAVES.slice(0, 2), { ...THREE_LEAVES[2], vxlanDevice: 'perVni' }] }),
      network('blue', { vni: 100 }),
    );
    const one = translate(resourcesOf(text), 'leaf1')!;
    assert.deepEqual(one.single, {
      owner: 'EVPNFabric/lab',
      vxlanDevice: 'vxlan-evpn',
      bridge: 'br-evpn',
      localAddress: '10.0.0.1',
      udpPort: 4789,
      mtu: 1450,
      macLearning: false,
    });
    assert.deepEqual(
      [one.l2vnis[0]!.bridge, one.l2vnis[0]!.vxlanDevice, one.l2vnis[0]!.vlan],
      ['br-evpn', 'vxlan-evpn', 100],
    );
    const three = translate(resourcesOf(text), 'leaf3')!;
    assert.equal(three.single, undefined);
    assert.deepEqual(
      [three.l2vnis[0]!.bridge, three.l2vnis[0]!.vxlanDevice, three.l2vnis[0]!.vlan],
      ['blue', 'vxlan100', undefined],
    );
  });

  test('symmetric IRB: the L3VNI and the routed network get SVIs in the VRF', () => {
    const p = planOf(IRB);
    assert.deepEqual(
      p.devices.map((d) => `${d.kind} ${d.name}`),
      ['vrf red', 'bridge br-evpn', 'vxlan vxlan-evpn', 'vlan vlan110', 'vlan vlan4000'],
    );
    const svi = p.devices.find((d) => d.name === 'vlan110');
    assert.ok(svi?.kind === 'vlan' && svi.master === 'red' && svi.addresses?.includes('10.1.0.1/24'));
    assert.deepEqual(p.vlans, [
      { vid: 110, vni: 110, owner: 'routerd-evpn:EVPNNetwork/apps', self: true, neighSuppress: true },
      { vid: 4000, vni: 4000, owner: 'routerd-evpn:EVPNVRF/red', self: true, neighSuppress: true, l3vni: true },
    ]);
    assert.deepEqual(p.ports, [{ name: 'tap2', master: 'br-evpn', owner: 'routerd-evpn:EVPNNetwork/apps', vlan: 110 }]);
  });

  test('networks that differ in arpNdSuppression get per-VLAN neigh_suppress', () => {
    const p = planOf(stream(single(), network('a', { vni: 10 }), network('b', { vni: 20, arpNdSuppression: false })));
    const vx = p.devices.find((d) => d.kind === 'vxlan');
    assert.ok(vx?.kind === 'vxlan' && vx.neighVlanSuppress === true && vx.neighSuppress === false);
    const d = diffKernel(p, [], []);
    assert.ok(d.bridgeBatch.includes('vlan set dev vxlan-evpn vid 20 neigh_suppress off'));
    assert.ok(d.bridgeBatch[0]?.endsWith('vlan_tunnel on neigh_vlan_suppress on'));
  });
});

describe('kernel diff', () => {
  test('empty kernel: the bridge, the device, flags first, then VLAN, tunnel, VNI, port PVID', () => {
    const d = diffKernel(planOf(L2), [], []);
    assert.deepEqual(d.ipBatch, [
      'link add name br-evpn mtu 1450 type bridge vlan_filtering 1 vlan_default_pvid 0',
      'link set dev br-evpn alias routerd-evpn:EVPNFabric/lab addrgenmode none',
      'link add name vxlan-evpn mtu 1450 type vxlan local 10.0.0.1 dstport 4789 external vnifilter nolearning',
      'link set dev vxlan-evpn alias routerd-evpn:EVPNFabric/lab addrgenmode none master br-evpn',
      'link set dev br-evpn up',
      'link set dev vxlan-evpn up',
    ]);
    assert.deepEqual(d.bridgeBatch, [
      'link set dev vxlan-evpn learning off neigh_suppress on vlan_tunnel on',
      'vlan add dev vxlan-evpn vid 100',
      'vlan add dev vxlan-evpn vid 100 tunnel_info id 100',
      'vni add dev vxlan-evpn vni 100',
      'vlan add dev vxlan-evpn vid 1912',
      'vlan add dev vxlan-evpn vid 1912 tunnel_info id 10100',
      'vni add dev vxlan-evpn vni 10100',
    ]);
    assert.deepEqual(
      d.missingPorts.map((p) => p.name),
      ['tap1'],
    );
  });

  test('a second run over what the first made writes nothing (L2 and IRB)', () => {
    for (const text of [L2, IRB]) {
      const p = planOf(text);
      const { links, bridge } = observedFromPlan(p);
      const d = diffKernel(p, links, p.ports, bridge);
      assert.equal(hasKernelWrites(d), false, `${d.summary.join('\n')}`);
    }
  });

  test('IRB from empty: SVIs after the bridge, in the VRF with the gateway address, bridge self VLANs', () => {
    const p = planOf(IRB);
    const links = [{ name: 'tap2', kind: 'tun', mtu: 1500, up: true, operUp: true }];
    const d = diffKernel(p, links, []);
    assert.ok(d.ipBatch.includes('link add link br-evpn name vlan110 mtu 1450 type vlan id 110'));
    assert.ok(
      d.ipBatch.some((l) =>
        l.startsWith('link set dev vlan4000 alias routerd-evpn:EVPNVRF/red addrgenmode none address '),
      ),
    );
    assert.ok(
      d.ipBatch.indexOf('link set dev tap2 master br-evpn') <
        d.ipBatch.indexOf('address replace 10.1.0.1/24 dev vlan110'),
    );
    for (const line of [
      'vlan add dev br-evpn vid 110 self',
      'vlan add dev br-evpn vid 4000 self',
      'vlan add dev tap2 vid 110 pvid untagged',
    ])
      assert.ok(d.bridgeBatch.includes(line), line);
  });

  test('perVni -> single: the old bridge and VXLAN device go, the port moves with its VLAN as PVID', () => {
    const text = (mode: string) =>
      stream(
        fabric({ vxlanDevice: mode }),
        network('blue', { vni: 100, ports: [{ node: 'leaf1', interface: 'tap1' }] }),
      );
    const before = planOf(text('perVni'));
    const { links } = observedFromPlan(before);
    const d = diffKernel(planOf(text('single')), links, before.ports);
    assert.deepEqual(d.ipBatch.slice(0, 2), ['link del dev blue', 'link del dev vxlan100']);
    assert.ok(d.ipBatch.includes('link set dev tap1 master br-evpn'));
    assert.ok(d.bridgeBatch.includes('vlan add dev tap1 vid 100 pvid untagged'));
    assert.ok(!d.ipBatch.some((l) => l.includes('nomaster')));
  });

  test('single -> perVni: SVIs go before their bridge, then the shared devices; per-VNI devices come back', () => {
    const mode = (m: string) => IRB.replace('vxlanDevice: single', `vxlanDevice: ${m}`);
    const before = planOf(mode('single'));
    const { links, bridge } = observedFromPlan(before);
    const d = diffKernel(planOf(mode('perVni')), links, before.ports, bridge);
    const dels = d.ipBatch.filter((l) => l.startsWith('link del'));
    assert.deepEqual(dels, [
      'link del dev vlan110',
      'link del dev vlan4000',
      'link del dev br-evpn',
      'link del dev vxlan-evpn',
    ]);
    assert.ok(d.ipBatch.includes('link set dev tap2 master apps'));
    assert.deepEqual(
      d.bridgeBatch.filter((l) => l.startsWith('vlan') || l.startsWith('vni')),
      [],
    );
  });

  test('a changed VLAN: the old mapping, VNI and PVID go, the new ones come', () => {
    const before = planOf(L2);
    const { links, bridge } = observedFromPlan(before);
    const after = planOf(L2.replace('vni: 100', 'vni: 100\n  vlan: 300'));
    const d = diffKernel(after, links, before.ports, bridge);
    assert.deepEqual(d.bridgeBatch, [
      'vlan del dev vxlan-evpn vid 100',
      'vlan add dev vxlan-evpn vid 300',
      'vlan add dev vxlan-evpn vid 300 tunnel_info id 100',
      'vlan del dev tap1 vid 100',
      'vlan add dev tap1 vid 300 pvid untagged',
    ]);
    assert.deepEqual(d.ipBatch, []);
  });

  test('a removed network: its VLAN and VNI leave the shared device', () => {
    const before = planOf(L2);
    const { links, bridge } = observedFromPlan(before);
    const after = planOf(stream(single(), network('green', { vni: 10100 })));
    const d = diffKernel(after, links, before.ports, bridge);
    assert.deepEqual(d.bridgeBatch, ['vlan del dev vxlan-evpn vid 100', 'vni del dev vxlan-evpn vni 100']);
  });

  test('a removed VRF: its VRF, SVI, VLAN and VNI stay until after the FRR reload, then go', async () => {
    const before = planOf(IRB);
    const { links, bridge } = observedFromPlan(before);
    const after = planOf(
      stream(single(), network('apps', { vni: 110, ports: [{ node: 'leaf1', interface: 'tap2' }] })),
    );
    const kernel = {
      readLinks: async () => links,
      readBridgeVlans: async () => bridge,
      ipBatch: async () => undefined,
      bridgeBatch: async () => undefined,
    } as unknown as Kernel;
    const l3 = before.vlans?.find((v) => v.l3vni);
    assert.ok(l3, 'the IRB plan has an L3VNI VLAN');
    const first = await applyKernel(kernel, after, before.ports, { beforeFrrReload: true });
    assert.deepEqual(first.changes.keptForNow?.sort(), ['red', `vlan${l3.vid}`]);
    const gone = (c: { ipBatch: string[]; bridgeBatch: string[] }, line: string) =>
      [...c.ipBatch, ...c.bridgeBatch].includes(line);
    assert.equal(gone(first.changes, `vni del dev vxlan-evpn vni ${l3.vni}`), false);
    assert.equal(gone(first.changes, 'link del dev red'), false);
    const second = await applyKernel(kernel, after, before.ports, {});
    assert.ok(gone(second.changes, `vni del dev vxlan-evpn vni ${l3.vni}`), second.changes.bridgeBatch.join('\n'));
    assert.ok(gone(second.changes, `link del dev vlan${l3.vid}`), second.changes.ipBatch.join('\n'));
    assert.ok(gone(second.changes, 'link del dev red'), second.changes.ipBatch.join('\n'));
  });

  test('restore: what the kernel has of a single device is a plan whose diff against it is empty', () => {
    const p = planOf(IRB);
    const { links, bridge } = observedFromPlan(p);
    const back = planFromObserved(links, p.ports, bridge);
    assert.deepEqual(
      back.vlans,
      p.vlans?.map(({ l3vni: _l3, ...v }) => ({ ...v, owner: 'routerd-evpn:EVPNFabric/lab' })),
    );
    assert.equal(hasKernelWrites(diffKernel(back, links, p.ports, bridge)), false);
  });
});

describe('parsers on recorded kernel output (test/fixtures/kernel/record-single.sh)', () => {
  const links = parseIpLinks(fixture('kernel/single-ip-link-show.json'));
  const b = parseBridgeVlans(
    JSON.parse(fixture('kernel/single-bridge-vlan-show.json')),
    JSON.parse(fixture('kernel/single-bridge-vlan-tunnelshow.json')),
    JSON.parse(fixture('kernel/single-bridge-vni-show.json')),
  );

  test('ip -j -d link: vnifilter, vlan_filtering, vlan_tunnel, the SVI', () => {
    const by = (n: string) => links.find((l) => l.name === n)!;
    assert.equal(by('br-evpn').vlanFiltering, true);
    assert.deepEqual(by('vxlan-evpn').vxlan, {
      vni: 0,
      local: '10.99.0.1',
      dstport: 4789,
      learning: false,
      vnifilter: true,
    });
    assert.deepEqual(by('vxlan-evpn').bridgePort, { learning: false, neighSuppress: true, vlanTunnel: true });
    assert.deepEqual(by('vlan100').vlan, { id: 100, link: 'br-evpn' });
    assert.equal(by('ut-p0').vlanFiltering, undefined);
  });

  test('bridge -j: VLANs with PVID and untagged, tunnels, vnifilter VNIs', () => {
    assert.deepEqual(b.vlans['ut-p0'], [{ vid: 200, pvid: true, untagged: true }]);
    assert.deepEqual(
      b.vlans['vxlan-evpn']?.map((v) => v.vid),
      [100, 200],
    );
    assert.deepEqual(
      b.vlans['br-evpn']?.map((v) => v.vid),
      [100],
    );
    assert.deepEqual(b.tunnels['vxlan-evpn'], [
      { vid: 100, vni: 10100 },
      { vid: 200, vni: 20200 },
    ]);
    assert.deepEqual(b.vnis['vxlan-evpn'], [10100, 20200]);
  });

  test('compressed ranges are expanded', () => {
    const r = parseBridgeVlans(
      [{ ifname: 'p', vlans: [{ vlan: 10, vlanEnd: 12, flags: ['Egress Untagged'] }] }],
      [{ ifname: 'vx', tunnels: [{ vlan: 10, vlanEnd: 11, tunid: 100, tunidEnd: 101 }] }],
      [{ ifname: 'vx', vnis: [{ vni: 100, vniEnd: 102 }] }],
    );
    assert.deepEqual(
      r.vlans.p?.map((v) => v.vid),
      [10, 11, 12],
    );
    assert.deepEqual(r.tunnels.vx, [
      { vid: 10, vni: 100 },
      { vid: 11, vni: 101 },
    ]);
    assert.deepEqual(r.vnis.vx, [100, 101, 102]);
  });
});

describe('pre-flight', () => {
  const ok = { supported: true, perVlanNeighSuppress: false, problems: [] };
  const v = (text: string) => parseFrrVersion(`FRRouting ${text} (leaf1) on Linux(6.1.0).`);

  test('FRR 10.3 and a capable kernel pass; FRR 8.4 is refused, naming the version and the way out', () => {
    assert.equal(
      singleVxlanRefusal({ node: 'leaf1', version: v('10.3'), support: ok, perVlanNeighSuppress: false }),
      undefined,
    );
    assert.equal(
      singleVxlanRefusal({ node: 'leaf1', version: v('9.0.1'), support: ok, perVlanNeighSuppress: false }),
      undefined,
    );
    const old = singleVxlanRefusal({ node: 'leaf1', version: v('8.4.4'), support: ok, perVlanNeighSuppress: false });
    assert.equal(old?.reason, 'FRRTooOld');
    assert.match(old!.message, /FRR >= 9\.0.*FRR 8\.4\.4.*vxlanDevice: perVni/);
    assert.equal(
      singleVxlanRefusal({ node: 'leaf1', version: undefined, support: ok, perVlanNeighSuppress: false })?.reason,
      'FRRVersionUnknown',
    );
    assert.equal(
      singleVxlanRefusal({ node: 'leaf1', version: v('10.3'), support: ok, perVlanNeighSuppress: true })?.reason,
      'PerVlanNeighSuppressUnsupported',
    );
  });

  test('the kernel probe: a kernel without VLAN-aware bridges (this host) is refused with the reason', () => {
    const failed = {
      command: 'ip -force -batch -',
      exitCode: 1,
      stdout: '',
      stderr:
        'RTNETLINK answers: Operation not supported\nCommand failed -:1\nCannot find device "rdx-probe-br"\nCommand failed -:3\n',
      durationMs: 1,
      failed: true,
    };
    const vx = {
      name: PROBE_VXLAN,
      kind: 'vxlan',
      mtu: 1500,
      up: false,
      operUp: false,
      vxlan: { vni: 0, dstport: 64789, learning: false, vnifilter: true },
    };
    const s = interpretProbe({ add: failed, links: [vx], vni: undefined, neighVlan: undefined });
    assert.equal(s.supported, false);
    assert.match(s.problems.join(), /VLAN-aware bridge.*Operation not supported.*CONFIG_BRIDGE_VLAN_FILTERING/);
    const r = singleVxlanRefusal({ node: 'leaf1', version: v('10.3'), support: s, perVlanNeighSuppress: false });
    assert.equal(r?.reason, 'KernelUnsupported');
    const good = interpretProbe({
      add: undefined,
      links: [
        { name: PROBE_BRIDGE, kind: 'bridge', mtu: 1500, up: false, operUp: false, vlanFiltering: true },
        { ...vx, master: PROBE_BRIDGE },
      ],
      vni: { ...failed, exitCode: 0, stderr: '', failed: false },
      neighVlan: failed,
    });
    assert.deepEqual(good, { supported: true, perVlanNeighSuppress: false, problems: [] });
  });
});

test('every single-device rule code was produced by a test above', () => {
  const missing = FROM_SINGLE_RULES.filter((c) => !seen.has(c));
  assert.deepEqual(missing, []);
});
