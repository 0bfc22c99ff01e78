// VRF scenarios on real FRR and real VRF devices. Runs where the kernel can
// create VRF devices: test/integration/vrf-suite.test.ts starts this file
// through `lab run` (directly on such a host, else inside the qemu lab VM).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, labDown, labUp } from '../../lab/lab.ts';
import { type FrrVariant, IMAGE_8_4, IMAGE_10_3, selected, uniform, variantTopology } from '../helpers/frr-variants.ts';
import {
  api,
  applyBody,
  counters,
  describeStatus,
  hasRoute,
  inNs,
  l3vniUp,
  labLog,
  links,
  ping,
  runningConfig,
  vtysh,
  vtyshJson,
  waitFor,
} from '../helpers/lab-harness.ts';

const BASE_TOPO = fileURLToPath(new URL('./fixtures/irb.clab.yml', import.meta.url));
const SYMMETRIC = fileURLToPath(new URL('./fixtures/irb-symmetric.fabric.yaml', import.meta.url));
const ASYMMETRIC = fileURLToPath(new URL('./fixtures/irb-asymmetric.fabric.yaml', import.meta.url));
const ns = (node: string) => `clab-vrfirb-${node}`;
const FABRIC_NODES = ['sp1', 'hv-east', 'hv-west', 'gw-a', 'gw-b'];
const ANYCAST_MAC = '00:00:5e:00:01:0a';
// What must survive every reload (see the reload-pitfalls scenario): the
// L3VNI of VRF red, the exits' static default routes in it, and the route map
// that gives the primary exit's default route its higher local preference.
const VRF_RED = /^vrf red\n(?: .*\n)*? vni 4010$/m;
const EXIT_STATIC = /^vrf red\n(?: .*\n)*? ip route 0\.0\.0\.0\/0 192\.0\.2\.[26]$/m;
const PRIMARY_MAP = /^route-map RDEVPN-EXIT-OUT permit 10\n(?: .*\n)*? set local-preference 200$/m;
const EXPECT_BASE: Record<string, RegExp[]> = {
  'hv-east': [VRF_RED, /^vrf blue\n(?: .*\n)*? vni 4020$/m],
  'hv-west': [VRF_RED],
  'gw-a': [VRF_RED, EXIT_STATIC, PRIMARY_MAP],
  'gw-b': [VRF_RED, EXIT_STATIC],
};
const EXPECT_GW_B_PRIMARY: Record<string, RegExp[]> = {
  ...EXPECT_BASE,
  'gw-a': [VRF_RED, EXIT_STATIC],
  'gw-b': [VRF_RED, EXIT_STATIC, PRIMARY_MAP],
};
const pingFrom = (from: string, address: string, count: number) => ping(from, address, count, 2); // 2 s per reply

// What hv-east's kernel and zebra know of VRF red's path to hv-west, for a
// failed cross-leaf ping: routes and neighbors in red, router MACs and next
// hops of L3VNI 4010, and the L3VNI mapping.
async function redDataPlane(): Promise<string> {
  const east = ns('hv-east');
  const parts = await Promise.all([
    inNs(east, ['ip', 'route', 'show', 'vrf', 'red']),
    inNs(east, ['ip', 'neigh', 'show', 'vrf', 'red']),
    inNs(east, ['bridge', 'fdb', 'show', 'dev', 'vxlan4010']),
    vtysh(east, ['show evpn rmac vni 4010', 'show evpn next-hops vni 4010', 'show vrf vni', 'show evpn vni']),
  ]);
  return parts.map((r) => `${r.stdout}${r.stderr}`.trim()).join('\n---\n');
}

// The mixed fabric runs what shows the two releases interoperate (routing,
// exits, dual stack, host moves, refusals); the re-apply, reload and asymmetric
// scenarios are per-node behaviour, proven on each release alone.
const fullOnly = (variant: { key: string }) =>
  variant.key === 'mixed' ? 'per-release scenario: run on 8.4 and 10.3' : false;
// Asymmetric IRB renders the same FRR lines on both releases (the VRF blocks'
// unreachable defaults, no L3VNI; goldens asymmetric-leaf, checked by FRR 8.4,
// 10.3 and 10.7): the test budget runs its live step on FRR 10.3 only.
const newestOnly = (variant: { key: string }) =>
  variant.key === '10.3' ? false : 'run on FRR 10.3 (its FRR lines are checked on every release by the goldens)';

const VARIANTS = [
  { key: '8.4', ...uniform('FRR 8.4', IMAGE_8_4, FABRIC_NODES) },
  { key: '10.3', ...uniform('FRR 10.3', IMAGE_10_3, FABRIC_NODES) },
  // mid-upgrade: the reflector, one hypervisor and the primary exit on 10.3.
  // Opt-in (FRR_VARIANTS=mixed): `npm test` proves VRFs across releases on the
  // Clos lab (clos-vrf.test.ts) and in single-vxlan.test.ts, in the boots it
  // already makes; this one boot more costs five minutes under qemu.
  {
    key: 'mixed',
    optIn: true,
    name: 'mixed FRR 8.4/10.3',
    images: { sp1: IMAGE_10_3, 'hv-east': IMAGE_8_4, 'hv-west': IMAGE_10_3, 'gw-a': IMAGE_10_3, 'gw-b': IMAGE_8_4 },
  },
];

for (const variant of selected(VARIANTS)) irbScenarios(variant);

function irbScenarios(variant: FrrVariant & { key: string }): void {
  describe(`tenant VRFs with symmetric and asymmetric IRB on ${variant.name}`, { timeout: 1_500_000 }, () => {
    let lab: Lab;
    let TOPO: string;
    let removeTopology: () => void = () => undefined;
    let symmetricYaml: string;
    const sock = (node: string) => lab.paths.socket(node);
    const status = (node: string, target: string) => describeStatus(sock(node), target);

    before(async () => {
      symmetricYaml = await readFile(SYMMETRIC, 'utf8');
      ({ file: TOPO, remove: removeTopology } = variantTopology(BASE_TOPO, variant));
      await labDown({ topologyFile: TOPO });
      lab = await labUp({ topologyFile: TOPO, fabricFile: SYMMETRIC, log: labLog });
      await waitFor(
        'sessions up and L3VNIs up on every VTEP',
        async () => {
          for (const node of ['hv-east', 'hv-west', 'gw-a', 'gw-b']) {
            const sum = await vtyshJson(ns(node), 'show bgp l2vpn evpn summary json');
            const peer = sum.peers?.['10.30.0.1'];
            if (peer?.state !== 'Established') return undefined;
            if (!(await l3vniUp(ns(node), 'red', 4010))) return undefined;
          }
          return true;
        },
        240_000,
        2000,
      );
      // the exits' default routes reach the hypervisors' VRF tables
      await waitFor(
        'default route in VRF red on hv-east',
        async () => ((await hasRoute(ns('hv-east'), 'red', 'default')) ? true : undefined),
        120_000,
        2000,
      );
      // Hosts talk to their gateway once, as a booting VM does (DHCP, ND): the
      // leaves learn them and advertise type-2 host routes. vm-b stays silent on
      // purpose: reaching it relies on the SVI learning from unsolicited replies.
      for (const [host, gw] of [
        ['vm-a', '172.16.10.1'],
        ['vm-a', 'fd10:10::1'],
        ['vm-c', '172.16.10.1'],
        ['vm-m', '172.16.10.1'],
      ])
        await pingFrom(ns(host), gw, 1);
    });

    after(async () => {
      await labDown({ topologyFile: TOPO });
      removeTopology();
    });

    it('symmetric: a host in VNI 110 on hv-east pings a host in VNI 120 on hv-west across the L3VNI', async () => {
      // the first packets find vm-b (a silent host) by ARP through hv-east's own `data` SVI
      await waitFor(
        'vm-a reaches the silent vm-b',
        async () => ((await pingFrom(ns('vm-a'), '172.16.20.20', 1)) ? true : undefined),
        60_000,
        1000,
      );
      await waitFor(
        'hv-east has the host route of vm-b via the L3VNI',
        async () => ((await hasRoute(ns('hv-east'), 'red', '172.16.20.20')) ? true : undefined),
        60_000,
        1000,
      );
      const before = await counters(ns('hv-east'), 'vxlan4010');
      assert.equal(await pingFrom(ns('vm-a'), '172.16.20.20', 5), true, 'vm-a -> vm-b (red, apps -> data)');
      const after = await counters(ns('hv-east'), 'vxlan4010');
      assert.ok(after.tx - before.tx >= 4, `vxlan4010 tx packets rose by ${after.tx - before.tx}`);
      assert.ok(after.rx - before.rx >= 4, `vxlan4010 rx packets rose by ${after.rx - before.rx}`);
      // hv-west learned vm-a's host route as a type-2 route carrying the L3VNI and hv-east's router MAC
      const eastRmac = (await links(ns('hv-east'))).find((l) => l.ifname === 'l3vni4010').address;
      const routes = await vtyshJson(ns('hv-west'), 'show bgp l2vpn evpn route type macip json');
      const text = JSON.stringify(routes);
      const key = Object.values(routes)
        .flatMap((rd: any) => (typeof rd === 'object' && rd ? Object.entries(rd) : []))
        .find(([prefix]) => prefix.includes('02:aa:00:00:00:0a') && prefix.includes('172.16.10.10'));
      assert.ok(key, `type-2 route for vm-a in ${text.slice(0, 2000)}`);
      const paths = JSON.stringify(key[1]);
      assert.match(paths, new RegExp(`Rmac:${eastRmac}`, 'i'), `router MAC ${eastRmac} in ${paths}`);
      assert.match(paths, /RT:64620:4010/, 'the L3VNI route target');
      const route = await inNs(ns('hv-west'), ['ip', '-j', 'route', 'show', 'vrf', 'red', '172.16.10.10']);
      const r = JSON.parse(route.stdout)[0];
      assert.equal(r.dev, 'l3vni4010');
      assert.equal(r.gateway, '10.30.0.11');
    });

    it('describe EVPNVRF/red shows the L3VNI, the router MACs, next hops and type-5 prefixes', async () => {
      const st = await status('hv-east', 'EVPNVRF/red');
      assert.equal(st.phase, 'Ready', JSON.stringify(st.conditions));
      assert.equal(st.l3vni.vni, 4010);
      assert.equal(st.l3vni.state, 'Up');
      const rmac = (await links(ns('hv-east'))).find((l) => l.ifname === 'l3vni4010').address;
      assert.equal(st.l3vni.routerMac, rmac);
      const westRmac = (await links(ns('hv-west'))).find((l) => l.ifname === 'l3vni4010').address;
      assert.ok(
        st.remoteRouterMacs.some((m: any) => m.routerMac === westRmac && m.vtep === '10.30.0.12'),
        JSON.stringify(st.remoteRouterMacs),
      );
      assert.ok(
        st.nextHops.some((n: any) => n.ip === '10.30.0.21'),
        JSON.stringify(st.nextHops),
      );
      assert.ok(
        st.type5.imported.some((p: any) => p.prefix === '0.0.0.0/0'),
        JSON.stringify(st.type5),
      );
      assert.notEqual(rmac, westRmac, 'router MACs are distinct per node');
    });

    it('tenant isolation: blue cannot reach red, even with an overlapping subnet', async () => {
      assert.equal(await pingFrom(ns('vm-c'), '172.16.10.1', 2), true, 'vm-c reaches its own (blue) gateway');
      assert.equal(await pingFrom(ns('vm-c'), '172.16.20.20', 2), false, 'blue -> red host must fail');
      assert.equal(
        await pingFrom(ns('vm-c'), '172.16.10.10', 2),
        false,
        'blue -> red host in the same prefix must fail',
      );
      assert.equal(await pingFrom(ns('vm-a'), '172.16.10.50', 2), false, 'red -> blue host must fail');
      assert.equal(await hasRoute(ns('hv-west'), 'blue', '172.16.20.0/24'), false, 'no red prefix in blue');
      // blue has no exit: its table ends in an unreachable default (both families, from FRR's staticd), so
      // tenant traffic to the outside is refused instead of falling through to the node's own table
      for (const family of ['-4', '-6']) {
        const r = await inNs(ns('hv-east'), ['ip', family, '-j', 'route', 'show', 'vrf', 'blue', 'default']);
        const defaults = JSON.parse(r.stdout || '[]') as { type?: string }[];
        assert.deepEqual(
          defaults.map((d) => d.type ?? 'unicast'),
          ['unreachable'],
          `hv-east VRF blue ${family} default`,
        );
      }
    });

    it('dual stack: IPv6 anycast gateways route ping6 across leaves', async () => {
      // vm-b announces itself over IPv6 (as a booting VM does); silent IPv6 hosts are a known gap (docs/irb.md)
      const gwB = await pingFrom(ns('vm-b'), 'fd10:20::1', 2);
      const gwA = await pingFrom(ns('vm-a'), 'fd10:10::1', 2);
      const why = async () =>
        JSON.stringify({
          gwA,
          gwB,
          eastRoutes: (await inNs(ns('hv-east'), ['ip', '-6', 'route', 'show', 'vrf', 'red'])).stdout,
          eastNeigh: (await inNs(ns('hv-east'), ['ip', '-6', 'neigh', 'show', 'vrf', 'red'])).stdout,
          westNeigh: (await inNs(ns('hv-west'), ['ip', '-6', 'neigh', 'show', 'vrf', 'red'])).stdout,
          westAddr: (await inNs(ns('hv-west'), ['ip', '-6', 'addr', 'show', 'dev', 'data'])).stdout,
        });
      let ok = false;
      try {
        ok = await waitFor(
          'vm-a reaches vm-b over IPv6',
          async () => ((await pingFrom(ns('vm-a'), 'fd10:20::20', 1)) ? true : undefined),
          60_000,
          1000,
        );
      } catch {
        assert.fail(`vm-a cannot ping6 vm-b: ${await why()}`);
      }
      assert.equal(ok, true);
      assert.equal(gwA && gwB, true, 'hosts reach their IPv6 anycast gateways');
      assert.equal(await pingFrom(ns('vm-a'), 'fd10:20::20', 5), true, 'vm-a -> vm-b over IPv6');
      assert.equal(
        await hasRoute(ns('hv-east'), 'red', 'fd10:20::20'),
        true,
        'the IPv6 host route came as a type-2 route',
      );
      const br = (await links(ns('hv-west'))).find((l) => l.ifname === 'data');
      assert.equal(br.master, 'red');
      // Routed traffic makes the gateway re-confirm a stale host: the kernel
      // sources that probe from the SVI's link-local address (the anycast MAC's
      // EUI-64, the same on every leaf); without one the entry goes FAILED.
      const addr6 = (await inNs(ns('hv-east'), ['ip', '-6', 'addr', 'show', 'dev', 'apps'])).stdout;
      assert.match(addr6, /inet6 fe80::200:5eff:fe00:10a\/64 scope link/, addr6);
      const change = await inNs(ns('hv-east'), [
        'ip',
        '-6',
        'neigh',
        'replace',
        'fd10:10::10',
        'dev',
        'apps',
        'lladdr',
        '02:aa:00:00:00:0a',
        'nud',
        'stale',
      ]);
      assert.equal(change.exitCode, 0, change.stderr);
      assert.equal(
        await pingFrom(ns('vm-b'), 'fd10:10::10', 3),
        true,
        'vm-b -> vm-a over IPv6 (routed into apps on hv-east)',
      );
      const state = async () =>
        JSON.parse(
          (await inNs(ns('hv-east'), ['ip', '-j', '-6', 'neigh', 'show', 'fd10:10::10', 'dev', 'apps'])).stdout,
        )[0]?.state?.[0];
      const confirmed = await waitFor(
        'hv-east re-confirms vm-a',
        async () => (['REACHABLE', 'FAILED'].includes(await state()) ? state() : undefined),
        30_000,
        1000,
      ).catch(() => state());
      assert.equal(confirmed, 'REACHABLE', 'the stale neighbor entry of vm-a was re-confirmed by a probe');
    });

    it('exit: hosts reach the outside through the primary exit; non-exit nodes leak nothing into main', async () => {
      // the primary's defaults carry local preference 200: hv-east's VRF default goes through gw-a alone
      const viaPrimary = async () => {
        const best = (
          (await vtyshJson(ns('hv-east'), 'show bgp vrf red ipv4 unicast 0.0.0.0/0 json')).paths ?? []
        ).find((p: any) => p.bestpath?.overall);
        return best?.locPrf === 200 && best.nexthops?.[0]?.ip === '10.30.0.21' ? true : undefined;
      };
      await waitFor('the default route in VRF red prefers the primary exit gw-a', viaPrimary, 60_000, 2000).catch(
        () => undefined,
      );
      const a0 = await counters(ns('inet'), 'to-a');
      const b0 = await counters(ns('inet'), 'to-b');
      assert.equal(await pingFrom(ns('vm-a'), '203.0.113.7', 6), true, 'vm-a -> internet address behind the exits');
      assert.equal(await pingFrom(ns('vm-b'), '203.0.113.7', 6), true, 'vm-b -> internet address');
      const a1 = await counters(ns('inet'), 'to-a');
      const b1 = await counters(ns('inet'), 'to-b');
      const why = async () =>
        JSON.stringify({
          hvEastDefault: (await inNs(ns('hv-east'), ['ip', 'route', 'show', 'vrf', 'red', 'default'])).stdout,
          bgp: await vtyshJson(ns('hv-east'), 'show bgp vrf red ipv4 unicast 0.0.0.0/0 json'),
          gwAType5: (await vtysh(ns('gw-a'), ['show bgp l2vpn evpn route type prefix'])).stdout,
          routeMap: (await vtysh(ns('gw-a'), ['show route-map RDEVPN-EXIT-OUT'])).stdout,
        });
      if (a1.rx - a0.rx < 12)
        assert.fail(`primary gw-a carried ${a1.rx - a0.rx} packets, gw-b ${b1.rx - b0.rx}: ${await why()}`);
      assert.ok(b1.rx - b0.rx < 3, `secondary gw-b carried ${b1.rx - b0.rx} packets`);
      assert.equal(await viaPrimary(), true, 'best default path in VRF red: gw-a with local preference 200');
      for (const node of ['hv-east', 'hv-west']) {
        const main = JSON.parse((await inNs(ns(node), ['ip', '-j', 'route', 'show', 'table', 'main'])).stdout) as any[];
        assert.deepEqual(
          main.filter(
            (r) => r.dst === 'default' || String(r.dst).startsWith('172.16.') || String(r.dst).startsWith('203.0.113'),
          ),
          [],
          `${node} main table`,
        );
      }
      assert.equal(await pingFrom(ns('vm-a'), '2001:db8:77::7', 3), true, 'IPv6 default route through gw-a');
    });

    // The same exits without uplinks (host routing, as Proxmox VE's exit
    // nodes): up-red leaves VRF red and becomes each exit's own link, routed
    // in its main table; the tenants get out by falling through VRF red's
    // table and back by the routes import vrf leaks into the main table.
    it('exits without uplinks route through their own table: out and back through gw-a, no default taken from gw-b', {
      // Proxmox VE 9 runs FRR 10; on 8.4 the same configuration is checked offline (goldens host-exit-*): under
      // qemu this step costs 100 s per release, and the test budget holds one
      skip: variant.key === '10.3' ? false : 'run on FRR 10.3 (Proxmox VE 9 runs FRR 10)',
    }, async () => {
      const applyAll = async (yaml: string) => {
        for (const node of FABRIC_NODES) {
          const r = await api(sock(node), 'POST', '/apply', applyBody(yaml, { replace: true }));
          assert.equal(r.statusCode, 200, `${node}: ${JSON.stringify(r.body)}`);
        }
      };
      const hostRouting = symmetricYaml.replace(/\n {4}uplinks:\n(?: {6}.*\n)+/, '\n');
      assert.doesNotMatch(hostRouting, /up-red/);
      const exits: [string, string, string][] = [
        ['gw-a', '192.0.2.1/30', '192.0.2.2'],
        ['gw-b', '192.0.2.5/30', '192.0.2.6'],
      ];
      try {
        await applyAll(hostRouting);
        for (const [gw, address, hop] of exits) {
          await waitFor(
            `${gw}: up-red released from VRF red`,
            async () =>
              (await links(ns(gw))).find((l) => l.ifname === 'up-red')?.master === undefined ? true : undefined,
            60_000,
            500,
          );
          const r = await inNs(ns(gw), [
            'sh',
            '-c',
            `ip addr add ${address} dev up-red && ip route replace default via ${hop}`,
          ]);
          assert.equal(r.exitCode, 0, `${gw}: ${r.stderr}`);
        }
        const running = await runningConfig(ns('gw-a'));
        assert.match(running, /^ address-family ipv4 unicast\n(?: {2}.*\n)*? {2}import vrf red$/m);
        assert.match(running, /^route-map RDEVPN-EVPN-IN deny 10$/m);
        assert.doesNotMatch(running, /ip route 0\.0\.0\.0\/0 192\.0\.2\.2/, 'no static default in the VRF');
        // gw-a leaks the tenants' routes into its main table and takes no default for red from gw-b
        await waitFor(
          "the tenant subnets in gw-a's main table",
          async () => {
            const main = JSON.parse((await inNs(ns('gw-a'), ['ip', '-j', 'route', 'show', 'table', 'main'])).stdout);
            return (main as any[]).some((r) => r.dst === '172.16.10.0/24') ? true : undefined;
          },
          90_000,
          2000,
        );
        const st = await waitFor(
          'describe EVPNVRF/red on gw-a: ExitReady by host routing',
          async () => {
            const x = await status('gw-a', 'EVPNVRF/red');
            return x.conditions.find((c: any) => c.type === 'ExitReady')?.status === 'True' ? x : undefined;
          },
          60_000,
          2000,
        );
        assert.equal(st.exit.hostRouting, true);
        assert.ok(st.exit.leakedRoutes.includes('172.16.10.0/24'), JSON.stringify(st.exit));
        const gwaDefault = await vtyshJson(ns('gw-a'), 'show bgp vrf red ipv4 unicast 0.0.0.0/0 json');
        const fromOthers = (gwaDefault.paths ?? []).filter((p: any) => p.nexthops?.[0]?.ip === '10.30.0.22');
        assert.deepEqual(fromOthers, [], "gw-a refuses gw-b's default for red");
        assert.equal(await hasRoute(ns('gw-a'), 'red', 'default'), false, 'no default in VRF red on gw-a');
        const a0 = await counters(ns('inet'), 'to-a');
        const out = await waitFor(
          'vm-a reaches the outside through gw-a by host routing',
          async () => ((await pingFrom(ns('vm-a'), '203.0.113.7', 2)) ? true : undefined),
          90_000,
          2000,
        ).catch(async (err: Error) =>
          assert.fail(
            `${err.message}: ${JSON.stringify({
              hvEast: (await inNs(ns('hv-east'), ['ip', 'route', 'show', 'vrf', 'red'])).stdout,
              gwaMain: (await inNs(ns('gw-a'), ['ip', 'route', 'show', 'table', 'main'])).stdout,
              gwaRed: (await inNs(ns('gw-a'), ['ip', 'route', 'show', 'vrf', 'red'])).stdout,
            })}`,
          ),
        );
        assert.equal(out, true);
        const a1 = await counters(ns('inet'), 'to-a');
        assert.ok(a1.rx - a0.rx >= 2, `the pings went out through gw-a's own link (${a1.rx - a0.rx} packets)`);
      } finally {
        for (const [gw] of exits)
          await inNs(ns(gw), ['sh', '-c', 'ip addr flush dev up-red; ip route del default; true']);
        await applyAll(symmetricYaml);
        await waitFor(
          'the uplink exits are back',
          async () => ((await pingFrom(ns('vm-a'), '203.0.113.7', 1)) ? true : undefined),
          120_000,
          2000,
        );
      }
    });

    it('anycast gateway: a host moved to another leaf keeps its gateway ARP entry and regains reachability', async () => {
      assert.equal(await pingFrom(ns('vm-m'), '172.16.20.20', 2), true, 'vm-m reaches vm-b from hv-east');
      const neigh = async () =>
        JSON.parse((await inNs(ns('vm-m'), ['ip', '-j', 'neigh', 'show', '172.16.10.1'])).stdout)[0];
      const before = await neigh();
      assert.equal(before.lladdr, ANYCAST_MAC);
      for (const node of ['hv-east', 'hv-west']) {
        const br = (await links(ns(node))).find((l) => l.ifname === 'apps');
        assert.equal(br.address, ANYCAST_MAC, `${node} answers with the same gateway MAC`);
      }
      // live migration: the VM's port leaves hv-east and appears on hv-west's bridge
      for (const cmd of [
        ['ip', '-n', ns('hv-east'), 'link', 'set', 'tap-m', 'netns', ns('hv-west')],
        ['ip', '-n', ns('hv-west'), 'link', 'set', 'tap-m', 'master', 'apps', 'up'],
      ]) {
        const r = await inNs(ns('hv-west'), cmd);
        assert.equal(r.exitCode, 0, r.stderr);
      }
      await waitFor(
        'vm-m reaches vm-b again from hv-west',
        async () => ((await pingFrom(ns('vm-m'), '172.16.20.20', 1)) ? true : undefined),
        90_000,
        1000,
      );
      const afterMove = await neigh();
      assert.equal(afterMove.lladdr, ANYCAST_MAC, 'the gateway ARP entry is unchanged');
      assert.equal(await pingFrom(ns('vm-a'), '172.16.10.30', 3), true, 'vm-a (hv-east) reaches the moved vm-m');
    });

    it('applying the same file again causes no FRR reload and no kernel write', {
      skip: fullOnly(variant),
    }, async () => {
      for (const node of ['hv-east', 'gw-a']) {
        const before = await status(node, 'EVPNFabric/west-dc');
        const linksBefore = await links(ns(node));
        const r = await api(sock(node), 'POST', '/apply', applyBody(symmetricYaml, { replace: true }));
        assert.equal(r.statusCode, 200, JSON.stringify(r.body));
        const after = await status(node, 'EVPNFabric/west-dc');
        assert.equal(after.reload.result, 'Unchanged', `${node}: ${JSON.stringify(after.reload)}`);
        assert.equal(after.kernel.writes, 0, `${node}: ${JSON.stringify(after.kernel.changes)}`);
        assert.equal(after.counters.reloads, before.counters.reloads);
        assert.deepEqual(
          (await links(ns(node))).map((l) => [l.ifindex, l.ifname]),
          linksBefore.map((l) => [l.ifindex, l.ifname]),
        );
      }
    });

    it('a VRF file with errors is rejected with every error and changes nothing', async () => {
      const running = await runningConfig(ns('hv-east'));
      const linksBefore = await links(ns('hv-east'));
      const bad = symmetricYaml
        .replace('l3vni: 4020', 'l3vni: 110') // collides with EVPNNetwork/apps
        .replace('gateway: {ipv4: 172.16.20.1/24, ipv6: "fd10:20::1/64"}', 'gateway: {ipv4: 172.16.10.129/25}') // overlaps apps in red
        .replace('mac: "00:00:5e:00:01:0a"', 'mac: "01:00:5e:00:01:0a"'); // multicast
      const r = await api(sock('hv-east'), 'POST', '/apply', applyBody(bad, { replace: true }));
      assert.equal(r.statusCode, 400, JSON.stringify(r.body));
      const msg: string = r.body.error.message;
      assert.match(msg, /EVPNVRF\/blue: spec\.l3vni: VNI_DUPLICATE/);
      assert.match(msg, /SUBNET_OVERLAP/);
      assert.match(msg, /EVPNNetwork\/apps: spec\.gateway\.mac: MAC_NOT_UNICAST/);
      assert.equal(await runningConfig(ns('hv-east')), running);
      assert.deepEqual(
        (await links(ns('hv-east'))).map((l) => [l.ifindex, l.ifname, l.master, l.address]),
        linksBefore.map((l) => [l.ifindex, l.ifname, l.master, l.address]),
      );
    });

    // FRR 10's reload pitfalls (a VRF's `vni` lost on reload, static routes in
    // VRFs, route maps: FRR issues 18059, 13604, 17430): after every change the
    // running config must be what the daemon rendered, on every node. Deleting
    // VRF blue needs its L3VNI unmapped before its BGP instance goes (bgpd
    // refuses otherwise, "Please unconfigure l3vni N"), and its devices kept
    // until FRR let go of it (apply/l3vni-order.ts, apply/frr-apply.ts).
    it('reload pitfalls: the running config matches after VRF network, exit and VRF delete/re-add changes', {
      skip: fullOnly(variant),
    }, async () => {
      const extra = `${symmetricYaml}---\napiVersion: evpn.routerd.net/v1alpha1\nkind: EVPNNetwork\nmetadata: {name: extra}\nspec:\n  vni: 130\n  vrf: red\n  gateway: {ipv4: 172.16.30.1/24}\n  nodes: [hv-east, hv-west]\n`;
      const changed = extra.replace('primary: gw-a', 'primary: gw-b');
      const docs = symmetricYaml.split(/^---\n/m);
      const withoutBlue = docs.filter((d) => !/name: blue\}|name: blue-apps\}/.test(d)).join('---\n');
      assert.notEqual(withoutBlue, symmetricYaml);
      assert.ok(changed.includes('primary: gw-b'));
      // Three passes: add a routed network to red and move the primary exit;
      // undo both and delete VRF blue; re-add VRF blue.
      const steps: [string, string, Record<string, RegExp[]>][] = [
        ['add a routed network to VRF red and make gw-b the primary exit', changed, EXPECT_GW_B_PRIMARY],
        ['undo that and delete VRF blue', withoutBlue, { ...EXPECT_BASE, 'hv-east': [VRF_RED] }],
        ['re-add VRF blue', symmetricYaml, EXPECT_BASE],
      ];
      const blue = /^vrf blue\n(?: .*\n)*? vni 4020$/m;
      for (const [step, yaml, expected] of steps) {
        // Applied means the daemon's own check after the reload passed: frr-reload --test
        // of what it rendered against FRR's running config showed no difference.
        await Promise.all(
          FABRIC_NODES.map(async (node) => {
            const r = await api(sock(node), 'POST', '/apply', applyBody(yaml, { replace: true }));
            assert.equal(r.statusCode, 200, `${step} on ${node}: ${JSON.stringify(r.body)}`);
            assert.equal(r.body.result.phase, 'Applied', `${step} on ${node}: ${JSON.stringify(r.body.result)}`);
          }),
        );
        for (const node of FABRIC_NODES) {
          const running = await runningConfig(ns(node));
          for (const re of expected[node] ?? []) assert.match(running, re, `${step}: ${node}`);
          if (node === 'hv-east') assert.equal(blue.test(running), yaml !== withoutBlue, `${step}: vrf blue`);
        }
        if (yaml === changed) {
          const vni130 = async () => {
            const v = await vtyshJson(ns('hv-east'), 'show evpn vni 130 json');
            return (v.tenantVrf ?? v.vrf) === 'red' ? true : undefined; // 10.3 renamed vrf to tenantVrf
          };
          await waitFor('zebra on hv-east has VNI 130 in VRF red', vni130, 60_000, 2000);
        }
      }
      // and the daemon's dry run of the final file finds nothing left to change anywhere
      for (const node of FABRIC_NODES) {
        const plan = await api(sock(node), 'POST', '/apply', applyBody(symmetricYaml, { replace: true, dryRun: true }));
        const pending = plan.body.result.resources.filter((x: any) => (x.plan ?? []).length > 0);
        assert.deepEqual(pending, [], `${node} still differs from its rendered config`);
      }
      await waitFor(
        'VRF blue is back up with its L3VNI',
        async () => ((await l3vniUp(ns('hv-east'), 'blue', 4020)) ? true : undefined),
        120_000,
        2000,
      );
    });

    // The data plane after those changes. Known (issue 9 note): on FRR 8.4,
    // in 1 of 2 full runs (2026-12-01) vm-a did not reach vm-b within 90 s
    // although every running config matched; the cause is not known yet, so
    // the 8.4 run reports this as a todo, with hv-east's view of VRF red.
    it('after those changes, VRF red routes across leaves again', {
      skip: fullOnly(variant),
      todo:
        variant.key === '8.4' ? 'FRR 8.4: intermittent, cause under investigation (diagnostics in the failure)' : false,
    }, async () => {
      await waitFor(
        'vm-a reaches vm-b after all the changes',
        async () => ((await pingFrom(ns('vm-a'), '172.16.20.20', 1)) ? true : undefined),
        90_000,
        2000,
      ).catch(async (err: Error) => assert.fail(`${err.message}: ${await redDataPlane()}`));
    });

    // Switching to asymmetric IRB removes the L3VNIs but keeps the VRFs: FRR
    // drops `vni` before the daemon deletes their devices (on FRR 10.3 zebra
    // could crash the other way round; FRR's own fix: PR 20494).
    it('asymmetric: the same cross-subnet ping (IPv4 and IPv6) works with no L3VNI configured', {
      skip: newestOnly(variant),
    }, async () => {
      const asymmetric = await readFile(ASYMMETRIC, 'utf8');
      for (const node of FABRIC_NODES) {
        const r = await api(sock(node), 'POST', '/apply', applyBody(asymmetric, { replace: true }));
        assert.equal(r.statusCode, 200, `${node}: ${JSON.stringify(r.body)}`);
      }
      for (const node of ['hv-east', 'hv-west']) {
        const names = (await links(ns(node))).map((l) => l.ifname);
        assert.equal(names.includes('vxlan4010'), false, `${node} has no L3VNI device`);
        assert.equal(names.includes('red'), true, `${node} keeps VRF red`);
        const vrfs = await vtyshJson(ns(node), 'show vrf vni json');
        assert.equal(
          (vrfs.vrfs ?? []).some((v: any) => v.vni === 4010),
          false,
          `${node}: FRR maps no L3VNI`,
        );
      }
      await waitFor(
        'vm-a reaches vm-b with asymmetric IRB',
        async () => ((await pingFrom(ns('vm-a'), '172.16.20.20', 1)) ? true : undefined),
        90_000,
        1000,
      );
      assert.equal(await pingFrom(ns('vm-a'), '172.16.20.20', 3), true);
      // routed at ingress: hv-east resolves vm-b directly on its own `data` SVI
      const neigh = JSON.parse(
        (await inNs(ns('hv-east'), ['ip', '-j', 'neigh', 'show', '172.16.20.20', 'dev', 'data'])).stdout,
      );
      assert.equal(neigh[0]?.lladdr, '02:aa:00:00:00:0b');
      assert.equal(await pingFrom(ns('vm-c'), '172.16.20.20', 2), false, 'blue still cannot reach red');
      // dual stack with asymmetric IRB: vm-b's IPv6 address, known from its type-2 route, is resolved on hv-east's `data` SVI
      const why6 = async () =>
        JSON.stringify({
          east: (await inNs(ns('hv-east'), ['ip', '-6', 'neigh', 'show', 'vrf', 'red'])).stdout,
          west: (await inNs(ns('hv-west'), ['ip', '-6', 'neigh', 'show', 'vrf', 'red'])).stdout,
          eastRoutes: (await inNs(ns('hv-east'), ['ip', '-6', 'route', 'show', 'vrf', 'red'])).stdout,
        });
      await waitFor(
        'vm-a reaches vm-b over IPv6 with asymmetric IRB',
        async () => ((await pingFrom(ns('vm-a'), 'fd10:20::20', 1)) ? true : undefined),
        90_000,
        1000,
      ).catch(async () => assert.fail(`vm-a cannot ping6 vm-b with asymmetric IRB: ${await why6()}`));
      const neigh6 = JSON.parse(
        (await inNs(ns('hv-east'), ['ip', '-j', '-6', 'neigh', 'show', 'fd10:20::20', 'dev', 'data'])).stdout,
      );
      assert.equal(neigh6[0]?.lladdr, '02:aa:00:00:00:0b');
    });
  });
}
