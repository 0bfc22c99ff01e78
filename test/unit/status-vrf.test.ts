// EVPNVRF status (and a routed EVPNNetwork's anycast gateway) from a
// hand-built observation: links as a real VRF setup shows them, FRR answers
// recorded from FRR 8.4.4 (test/fixtures/frr/8.4/vrf), and the describe view.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDescribe } from '../../src/cli/describe.ts';
import { initialState, type ReconcileState } from '../../src/controller/reconcile-state.ts';
import { emptyObservation, type Observation } from '../../src/observe/collect.ts';
import { parseEvpnVnis } from '../../src/observe/parse-evpn.ts';
import { parseType5Routes } from '../../src/observe/parse-type5.ts';
import { parseEvpnNextHops, parseEvpnRmacs, parseVrfVnis } from '../../src/observe/parse-vrf.ts';
import type { KnownResource } from '../../src/resources/schema.ts';
import { buildStatuses, type ResourceStatus } from '../../src/status/status.ts';
import type { ObservedLink } from '../../src/system/parse-ip-link.ts';
import { parseIpRoutes } from '../../src/system/parse-ip-route.ts';
import type { L2VniIntent, NodeIntent, VrfIntent } from '../../src/translate/intent.ts';
import { fixture, recorded } from '../helpers/fixtures.ts';
import { l2vniIntent, nodeIntent } from '../helpers/intents.ts';
import { API, network, vrf } from '../helpers/resources.ts';

const RMAC_A = '02:52:4d:00:00:01';
const RMAC_B = '02:52:4d:00:00:02';
const GW_MAC = '02:00:5e:10:01:00';

const l3vniOf = (): NonNullable<VrfIntent['l3vni']> => ({
  vni: 4000,
  vxlanDevice: 'vxlan4000',
  bridge: 'br4000',
  routerMac: RMAC_A,
  localAddress: '10.99.2.1',
  udpPort: 4789,
  mtu: 1450,
});

function vrfIntent(over: Partial<VrfIntent> = {}): VrfIntent {
  return {
    owner: 'EVPNVRF/red',
    name: 'red',
    table: 1001,
    irb: 'symmetric',
    l3vni: l3vniOf(),
    importRTs: [],
    exportRTs: [],
    advertiseIpv4: true,
    unreachableDefault: true,
    advertiseIpv6: true,
    networks: ['blue'],
    ...over,
  };
}

function blueIntent(over: Partial<L2VniIntent> = {}): L2VniIntent {
  const gateway = { ipv4: ['10.100.0.254/24'], ipv6: ['fd00:100::fe/64'], mac: GW_MAC };
  return l2vniIntent('blue', 100, { localAddress: '10.99.2.1', vrf: 'red', gateway, ...over });
}

function intentWith(vrfs: VrfIntent[], l2vnis: L2VniIntent[] = [blueIntent()]): NodeIntent {
  return nodeIntent({
    node: 'rec-a',
    routerId: '10.99.2.1',
    vtepAddress: '10.99.2.1',
    neighbors: [{ address: '10.99.2.2', remoteAs: 65000, description: 'rec-b', routeReflectorClient: false }],
    l2vnis,
    vrfs,
    forwarding: { ipv4: true, ipv6: true },
  });
}

const owner = (id: string) => `routerd-evpn:${id}`;

function link(name: string, kind: string, over: Partial<ObservedLink> = {}): ObservedLink {
  return { name, kind, mtu: 1450, up: true, operUp: true, ...over };
}

// rec-a as a kernel with real VRF devices would show it.
function links(): ObservedLink[] {
  return [
    link('red', 'vrf', { mtu: 65575, alias: owner('EVPNVRF/red'), vrfTable: 1001, address: '96:3e:4f:21:aa:01' }),
    link('br4000', 'bridge', {
      master: 'red',
      alias: owner('EVPNVRF/red'),
      address: RMAC_A,
      addrGenMode: 'none',
      addresses: [],
    }),
    link('vxlan4000', 'vxlan', {
      master: 'br4000',
      alias: owner('EVPNVRF/red'),
      vxlan: { vni: 4000, local: '10.99.2.1', dstport: 4789, learning: false },
      bridgePort: { learning: false, neighSuppress: true },
    }),
    link('blue', 'bridge', {
      master: 'red',
      alias: owner('EVPNNetwork/blue'),
      address: GW_MAC,
      addresses: ['10.100.0.254/24', 'fd00:100::fe/64'],
    }),
    link('vxlan100', 'vxlan', {
      master: 'blue',
      alias: owner('EVPNNetwork/blue'),
      vxlan: { vni: 100, local: '10.99.2.1', dstport: 4789, learning: false },
      bridgePort: { learning: false, neighSuppress: true },
    }),
    link('eth1', '', { mtu: 1500, master: 'red', addresses: ['192.0.2.2/24'] }),
  ];
}

// The recorded netns VRF's main table stands in for VRF table 1001.
function vrfTableRoutes() {
  const all = [
    ...parseIpRoutes(fixture('frr/8.4/vrf/ip-4-route-show-table-all.json'), 'ipv4'),
    ...parseIpRoutes(fixture('frr/8.4/vrf/ip-6-route-show-table-all.json'), 'ipv6'),
  ];
  return all.map((r) => (r.table === 'main' ? { ...r, table: '1001', tableId: 1001 } : r));
}

function observation(over: Partial<Observation> = {}): Observation {
  return {
    ...emptyObservation('2026-11-24T01:00:00.000Z'),
    frrReachable: true,
    daemons: ['bgpd', 'zebra'],
    vrfsObserved: true,
    links: links(),
    vnis: parseEvpnVnis(recorded('frr/8.4/vrf/show-evpn-vni.json')),
    vrfVnis: parseVrfVnis(recorded('frr/8.4/vrf/show-vrf-vni.json')),
    rmacs: parseEvpnRmacs(recorded('frr/8.4/vrf/show-evpn-rmac-vni-all.json')),
    nextHops: parseEvpnNextHops(recorded('frr/8.4/vrf/show-evpn-next-hops-vni-all.json')),
    type5: parseType5Routes(recorded('frr/8.4/vrf/show-bgp-l2vpn-evpn-route-type-prefix.json')),
    routes: vrfTableRoutes(),
    ...over,
  };
}

function settled(over: Partial<ReconcileState> = {}): ReconcileState {
  return {
    ...initialState(),
    generation: 3,
    appliedGeneration: 3,
    conversion: { result: 'Succeeded' },
    kernel: { result: 'Unchanged', writes: 0, changes: [] },
    reload: { result: 'Unchanged', commands: 0 },
    ...over,
  };
}

const RESOURCES = [
  vrf('red', { l3vni: 4000 }),
  network('blue', { vni: 100, vrf: 'red', gateway: { ipv4: '10.100.0.254/24', ipv6: 'fd00:100::fe/64', mac: GW_MAC } }),
  network('plain', { vni: 200 }),
] as KnownResource[];

function statuses(
  opts: { intent?: NodeIntent; obs?: Observation; state?: ReconcileState } = {},
): Map<string, ResourceStatus> {
  return buildStatuses({
    node: 'rec-a',
    generation: 3,
    resources: RESOURCES,
    intent: opts.intent ?? intentWith([vrfIntent()]),
    state: opts.state ?? settled(),
    obs: opts.obs ?? observation(),
  });
}

const condition = (s: ResourceStatus, type: string) => s.conditions.find((c) => c.type === type);
const summary = (s: ResourceStatus) => s.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`);

// FRR matches an automatic import RT on the L3VNI alone: a leaf in another AS
// (an eBGP fabric) still lists the recorded routes (RT 65000:4000) as imported.
test('type-5 imported in an eBGP fabric: a node in AS 65001 imports the auto RT 65000:4000 by its L3VNI', () => {
  const ebgp = { ...intentWith([vrfIntent()]), asn: 65001 };
  const type5 = statuses({ intent: ebgp }).get('EVPNVRF/red')!.type5 as { imported: Array<{ prefix: string }> };
  assert.deepEqual(
    type5.imported.map((r) => r.prefix),
    ['0.0.0.0/0', '10.1.2.0/24', '10.100.0.0/24', 'fd00:1:2::/64', 'fd00:100::/64'],
  );
  const explicit = { ...ebgp, vrfs: [{ ...vrfIntent(), importRTs: ['65001:4000'] }] };
  const none = statuses({ intent: explicit }).get('EVPNVRF/red')!.type5 as { imported: unknown[] };
  assert.deepEqual(none.imported, [], 'an explicit import RT matches exactly');
});

test('EVPNVRF Ready: devices as desired, L3VNI up with the router MAC, remote router MACs, next hops, type-5, routes', () => {
  const s = statuses().get('EVPNVRF/red')!;
  assert.deepEqual(summary(s), ['Scheduled=True/OnThisNode', 'DevicesReady=True/AsDesired', 'L3VNIUp=True/L3VNIUp']);
  assert.equal(s.phase, 'Ready');
  assert.equal(s.observedGeneration, 3);
  assert.deepEqual(s.vrf, {
    name: 'red',
    table: 1001,
    device: { name: 'red', present: true, owned: true, up: true, mtu: 65575, table: 1001 },
  });
  const l3 = s.l3vni as Record<string, unknown>;
  assert.equal(l3.vni, 4000);
  assert.equal(l3.state, 'Up');
  assert.equal(l3.routerMac, RMAC_A);
  assert.equal(l3.vxlanIntf, 'vxlan4000');
  assert.equal(l3.sviIntf, 'br4000');
  assert.deepEqual(s.remoteRouterMacs, [{ routerMac: RMAC_B, vtep: '10.99.2.2' }]);
  assert.deepEqual(s.nextHops, [
    { ip: '10.99.2.2', routerMac: RMAC_B },
    { ip: '::ffff:a63:202', vtep: '10.99.2.2', routerMac: RMAC_B },
  ]);
  const type5 = s.type5 as { imported: Array<Record<string, unknown>>; originated: Array<Record<string, unknown>> };
  assert.deepEqual(
    type5.imported.map((r) => r.prefix),
    ['0.0.0.0/0', '10.1.2.0/24', '10.100.0.0/24', 'fd00:1:2::/64', 'fd00:100::/64'],
  );
  assert.deepEqual(type5.imported[0], {
    prefix: '0.0.0.0/0',
    nextHop: '10.99.2.2',
    rd: '10.99.2.2:2',
    routerMac: RMAC_B,
    best: true,
  });
  assert.deepEqual(
    type5.originated.map((r) => r.prefix),
    ['10.1.1.0/24', '10.100.0.0/24', 'fd00:1:1::/64', 'fd00:100::/64'],
  );
  const routes = s.routes as Array<Record<string, unknown>>;
  assert.deepEqual(
    routes.find((r) => r.dst === '10.1.2.0/24'),
    { family: 'ipv4', dst: '10.1.2.0/24', via: '10.99.2.2', dev: 'br4000', protocol: 'bgp', metric: 20 },
  );
  assert.ok(
    routes.every((r) => r.type === undefined),
    'local and broadcast entries of the table are left out',
  );
  assert.equal(s.exit, undefined);
});

test('EVPNVRF Degraded: L3VNI down, bridge MAC and VRF table differ', () => {
  const obs = observation({
    vrfVnis: parseVrfVnis(recorded('frr/8.4/vrf/show-vrf-vni-no-devices.json')),
    links: links().map((l) =>
      l.name === 'br4000' ? { ...l, address: '02:00:00:00:00:99' } : l.name === 'red' ? { ...l, vrfTable: 1002 } : l,
    ),
  });
  const s = statuses({ obs }).get('EVPNVRF/red')!;
  assert.equal(s.phase, 'Degraded');
  assert.deepEqual(summary(s), [
    'Scheduled=True/OnThisNode',
    'DevicesReady=False/DevicesDiffer',
    'L3VNIUp=False/L3VNIDown',
  ]);
  assert.match(condition(s, 'DevicesReady')!.message, /vrf red table 1002 != 1001/);
  assert.match(
    condition(s, 'DevicesReady')!.message,
    /L3VNI bridge MAC 02:00:00:00:00:99 != router MAC 02:52:4d:00:00:01/,
  );
  assert.match(condition(s, 'L3VNIUp')!.message, /L3VNI 4000 is Down \(vxlan none, SVI none\)/);
  assert.equal((s.l3vni as Record<string, unknown>).routerMac, undefined);
});

test('EVPNVRF: missing devices, zebra without the VNI, FRR down', () => {
  const gone = observation({ links: links().filter((l) => l.name !== 'red' && l.name !== 'vxlan4000'), vrfVnis: [] });
  const s = statuses({ obs: gone, state: settled({ kernelHeldBack: ['vxlan4000'] }) }).get('EVPNVRF/red')!;
  assert.equal(s.phase, 'Degraded');
  assert.match(condition(s, 'DevicesReady')!.message, /vrf device red missing/);
  assert.match(condition(s, 'DevicesReady')!.message, /vxlan vxlan4000 held back until FRR maps VNI 4000 to VRF red/);
  assert.equal(condition(s, 'L3VNIUp')!.reason, 'L3VNIMissing');
  const down = statuses({
    obs: observation({ frrReachable: false, frrError: 'FRR is not reachable through vtysh: x', vrfVnis: [] }),
  }).get('EVPNVRF/red')!;
  assert.deepEqual([condition(down, 'L3VNIUp')!.reason, down.phase], ['FRRUnreachable', 'Degraded']);
  const otherVni = statuses({
    obs: observation({ vrfVnis: [{ vrf: 'red', vni: 4001, state: 'Up', routerMac: RMAC_A }] }),
  }).get('EVPNVRF/red')!;
  assert.equal(condition(otherVni, 'L3VNIUp')!.reason, 'VNIMismatch');
  const foreign = statuses({
    obs: observation({ links: links().map((l) => (l.name === 'red' ? { ...l, alias: undefined } : l)) }),
  }).get('EVPNVRF/red')!;
  assert.match(
    condition(foreign, 'DevicesReady')!.message,
    /red not owned by routerd-evpn:EVPNVRF\/red \(ifalias none\)/,
  );
});

test('EVPNVRF: a device conflict is an Error; a failed reload wins over everything', () => {
  const conflicted = settled({
    conflicts: [
      {
        owner: owner('EVPNVRF/red'),
        device: 'red',
        message: 'device red (vrf) exists and was not created by routerd-evpn',
      },
    ],
  });
  const s = statuses({ state: conflicted }).get('EVPNVRF/red')!;
  assert.deepEqual([s.phase, condition(s, 'DevicesReady')!.reason], ['Error', 'DeviceConflict']);
  assert.equal(
    statuses({ state: settled({ reload: { result: 'Failed', commands: 0 } }) }).get('EVPNVRF/red')!.phase,
    'Error',
  );
  assert.equal(statuses({ state: settled({ generation: 2 }) }).get('EVPNVRF/red')!.phase, 'Pending');
});

test('EVPNVRF not on this node; asymmetric IRB needs no L3VNI', () => {
  const away = statuses({ intent: intentWith([], []) }).get('EVPNVRF/red')!;
  assert.deepEqual([away.phase, away.onThisNode, summary(away)], ['Applied', false, ['Scheduled=False/NotOnThisNode']]);
  const asym = statuses({
    intent: intentWith([vrfIntent({ irb: 'asymmetric', l3vni: undefined })]),
    obs: observation({ vrfVnis: [] }),
  }).get('EVPNVRF/red')!;
  assert.deepEqual(summary(asym), ['Scheduled=True/OnThisNode', 'DevicesReady=True/AsDesired', 'L3VNIUp=True/NoL3VNI']);
  assert.equal(asym.phase, 'Ready');
  assert.equal(asym.l3vni, undefined);
  assert.equal(asym.remoteRouterMacs, undefined);
});

test('EVPNVRF type-5 routes are matched to the VRF by route target', () => {
  const other = statuses({ intent: intentWith([vrfIntent({ l3vni: { ...l3vniOf(), vni: 5000 } })]) }).get(
    'EVPNVRF/red',
  )!;
  assert.deepEqual(other.type5, { imported: [], originated: [] }, 'auto RT 65000:5000 matches nothing recorded');
  const wildcard = statuses({
    intent: intentWith([vrfIntent({ l3vni: { ...l3vniOf(), vni: 5000 }, importRTs: ['*:4000'] })]),
  }).get('EVPNVRF/red')!;
  assert.equal((wildcard.type5 as { imported: unknown[] }).imported.length, 5);
});

test('EVPNVRF exit: uplink in the VRF with its address, default route in the VRF table', () => {
  const exit = {
    interface: 'eth1',
    addresses: ['192.0.2.2/24'],
    defaultRoutes: [{ family: 'ipv4' as const, nextHop: '10.99.2.2' }],
    originateDefault: ['ipv4' as const],
    primary: true,
  };
  const s = statuses({ intent: intentWith([vrfIntent({ exit })]) }).get('EVPNVRF/red')!;
  assert.equal(condition(s, 'ExitReady')!.status, 'True');
  assert.equal(s.phase, 'Ready');
  assert.deepEqual(s.exit, {
    primary: true,
    uplink: { name: 'eth1', present: true, inVrf: true, up: true },
    addresses: [{ address: '192.0.2.2/24', present: true }],
    defaultRoutes: [{ family: 'ipv4', nextHop: '10.99.2.2', present: true }],
    originateDefault: ['ipv4'],
  });
  const broken = statuses({
    intent: intentWith([
      vrfIntent({ exit: { ...exit, defaultRoutes: [...exit.defaultRoutes, { family: 'ipv6', nextHop: 'fd00::1' }] } }),
    ]),
    obs: observation({ links: links().map((l) => (l.name === 'eth1' ? { ...l, master: undefined } : l)) }),
  }).get('EVPNVRF/red')!;
  assert.equal(broken.phase, 'Degraded');
  assert.equal(condition(broken, 'ExitReady')!.reason, 'ExitDiffers');
  assert.match(
    condition(broken, 'ExitReady')!.message,
    /uplink eth1 master none != red; ipv6 default route via fd00::1 missing from table 1001/,
  );
});

test('EVPNVRF host-routing exit: no default in the VRF table, its routes leaked into main; describe says so', () => {
  const hostExit = {
    families: ['ipv4' as const],
    originateDefault: ['ipv4' as const],
    primary: false,
    takesDefaults: false,
    nullRoutes: [],
  };
  const intent = intentWith([vrfIntent({ hostExit })]);
  // recorded: rec-b originates a default into VRF red, which a host-routing exit must not hold
  const taken = statuses({ intent }).get('EVPNVRF/red')!;
  assert.equal(condition(taken, 'ExitReady')!.status, 'False');
  assert.match(condition(taken, 'ExitReady')!.message, /ipv4 default route in table 1001 \(via 10\.99\.2\.2\)/);
  assert.equal(taken.phase, 'Degraded');
  // without it, and with the subnet leaked into main through the VRF's L3VNI SVI
  const routes = vrfTableRoutes().filter((r) => r.dst !== '0.0.0.0/0' && r.dst !== '::/0');
  const leaked = {
    family: 'ipv4' as const,
    table: 'main',
    tableId: 254,
    dst: '10.1.2.0/24',
    type: 'unicast',
    dev: 'br4000',
    gateway: '10.99.2.2',
    protocol: 'bgp',
    flags: [],
  };
  const ok = statuses({ intent, obs: observation({ routes: [...routes, leaked] }) }).get('EVPNVRF/red')!;
  assert.equal(condition(ok, 'ExitReady')!.status, 'True', condition(ok, 'ExitReady')!.message);
  assert.match(
    condition(ok, 'ExitReady')!.message,
    /host routing: no default route in VRF red, 1 of its routes in the main table/,
  );
  assert.deepEqual(ok.exit, {
    primary: false,
    hostRouting: true,
    leakedFamilies: ['ipv4'],
    leakedRoutes: ['10.1.2.0/24'],
    originateDefault: ['ipv4'],
    takesDefaults: false,
  });
  const text = describe(ok);
  assert.match(text, /Routing:\s+host \(no uplink\): leaked into the main table \(ipv4\)/);
  assert.match(text, /Leaked routes:\s+10\.1\.2\.0\/24/);
});

test("EVPNVRF host-routing exit under another node's primary: the primary's default in the VRF is as desired", () => {
  const hostExit = {
    families: ['ipv4' as const],
    originateDefault: ['ipv4' as const],
    primary: false,
    takesDefaults: true,
    nullRoutes: [],
  };
  const s = statuses({ intent: intentWith([vrfIntent({ hostExit })]) }).get('EVPNVRF/red')!;
  assert.equal(condition(s, 'ExitReady')!.status, 'True', condition(s, 'ExitReady')!.message);
  assert.match(condition(s, 'ExitReady')!.message, /host routing, outside traffic to the primary exit/);
  assert.equal((s.exit as { takesDefaults?: boolean }).takesDefaults, true);
});

test('routed EVPNNetwork: anycast gateway on the SVI in the VRF; GatewayReady both ways', () => {
  const s = statuses().get('EVPNNetwork/blue')!;
  assert.deepEqual(summary(s), [
    'Scheduled=True/OnThisNode',
    'DevicesReady=True/AsDesired',
    'PortsAttached=True/Attached',
    'KnownToFRR=True/VNIPresent',
    'GatewayReady=True/AsDesired',
  ]);
  assert.equal(s.phase, 'Ready');
  assert.deepEqual(s.gateway, {
    ipv4: '10.100.0.254/24',
    ipv6: 'fd00:100::fe/64',
    mac: GW_MAC,
    svi: {
      name: 'blue',
      present: true,
      inVrf: true,
      mac: GW_MAC,
      macAsDesired: true,
      addresses: [
        { address: '10.100.0.254/24', present: true },
        { address: 'fd00:100::fe/64', present: true },
      ],
    },
  });
  assert.equal(s.vrf, 'red');
  const obs = observation({
    links: links().map((l) =>
      l.name === 'blue'
        ? { ...l, master: undefined, address: '02:00:00:00:00:01', addresses: ['fd00:100:0:0::fe/64'] }
        : l,
    ),
  });
  const bad = statuses({ obs }).get('EVPNNetwork/blue')!;
  assert.equal(bad.phase, 'Degraded');
  assert.equal(condition(bad, 'DevicesReady')!.message, 'bridge blue master none != VRF red');
  assert.equal(
    condition(bad, 'GatewayReady')!.message,
    'SVI blue master none != VRF red; SVI MAC 02:00:00:00:00:01 != gateway MAC 02:00:5e:10:01:00; address 10.100.0.254/24 missing on blue',
  );
});

test('an L2-only EVPNNetwork keeps exactly its former status fields', () => {
  const plain: L2VniIntent = {
    ...blueIntent({ vrf: undefined, gateway: undefined }),
    owner: 'EVPNNetwork/plain',
    name: 'plain',
    vni: 200,
    bridge: 'plain',
    vxlanDevice: 'vxlan200',
  };
  const s = statuses({ intent: intentWith([vrfIntent()], [blueIntent(), plain]) }).get('EVPNNetwork/plain')!;
  assert.deepEqual(Object.keys(s), [
    'observedGeneration',
    'observedAt',
    'vni',
    'phase',
    'conditions',
    'onThisNode',
    'devices',
    'ports',
    'frr',
    'macs',
    'arpNd',
  ]);
  assert.deepEqual(
    s.conditions.map((c) => c.type),
    ['Scheduled', 'DevicesReady', 'PortsAttached', 'KnownToFRR'],
  );
});

function describe(status: ResourceStatus, kind = 'EVPNVRF', name = 'red'): string {
  return formatDescribe({ apiVersion: API, kind, name, spec: {}, status });
}

test('describe EVPNVRF: VRF, L3VNI and router MAC, remote router MACs, next hops, type-5 prefixes, routes', () => {
  const out = describe(statuses().get('EVPNVRF/red')!);
  for (const section of [
    'VRF:',
    'L3VNI:',
    'Remote router MACs (1):',
    'Next hops (2):',
    'Type-5 prefixes imported (5):',
    'Type-5 prefixes originated (4):',
    'Routes in table 1001 (7):',
  ]) {
    assert.ok(out.includes(section), `missing section ${section}\n${out}`);
  }
  assert.match(out, /Router MAC:\s+02:52:4d:00:00:01\n/);
  assert.match(out, /vrf red: present, owned, up, mtu 65575, table 1001/);
  assert.match(out, /02:52:4d:00:00:02\s+10\.99\.2\.2/);
  assert.match(out, /0\.0\.0\.0\/0\s+10\.99\.2\.2\s+02:52:4d:00:00:02\s+10\.99\.2\.2:2\s+yes/);
  assert.match(out, /fd00:1:2::\/64\s+::ffff:10\.99\.2\.2\s+br4000\s+bgp\s+20/);
  assert.match(out, /::ffff:a63:202\s+10\.99\.2\.2\s+02:52:4d:00:00:02/);
  assert.match(out, /10\.1\.1\.0\/24\s+10\.99\.2\.1:2/);
});

test('describe EVPNVRF when degraded shows what differs; a routed network shows its gateway', () => {
  const obs = observation({
    vrfVnis: [
      { vrf: 'red', vni: 4000, state: 'Up', routerMac: '02:00:00:00:00:99', vxlanIntf: 'vxlan4000', sviIntf: 'br4000' },
    ],
  });
  const s = statuses({ obs }).get('EVPNVRF/red')!;
  assert.equal(s.phase, 'Degraded');
  const out = describe(s);
  assert.match(out, /Phase:\s+Degraded/);
  assert.match(out, /L3VNIUp\s+False\s+RouterMACDiffers/);
  assert.match(out, /Router MAC:\s+02:00:00:00:00:99 \(want 02:52:4d:00:00:01\)/);
  const net = describe(statuses().get('EVPNNetwork/blue')!, 'EVPNNetwork', 'blue');
  assert.match(
    net,
    /Anycast gateway:\n\s+IPv4:\s+10\.100\.0\.254\/24\n\s+IPv6:\s+fd00:100::fe\/64\n\s+MAC:\s+02:00:5e:10:01:00\n\s+SVI blue:\s+in VRF red, mac 02:00:5e:10:01:00/,
  );
});
