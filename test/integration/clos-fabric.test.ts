// The shipped eBGP Clos lab (lab/clos-fabric.clab.yml): 2 spines and 4 leaves,
// every fabric link BGP unnumbered, a private AS per leaf, VTEP addresses on
// the loopbacks, driven by one daemon per node on real FRR and the real
// kernel, on FRR 8.4 and on FRR 10.3 (and 10.7 with FRR_VARIANTS=10.7). Needs root.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, labDown, labUp } from '../../lab/lab.ts';
import { BLUE, CLOS_NODES, CLOS_TOPO, closNs, GREEN, LEAVES, VTEP } from '../helpers/clos-lab.ts';
import {
  type FrrVariant,
  IMAGE_8_4,
  IMAGE_10_3,
  IMAGE_10_7,
  releaseOf,
  selected,
  uniform,
  variantTopology,
} from '../helpers/frr-variants.ts';
import {
  api,
  applyBody,
  describeStatus,
  inNs,
  links,
  ping,
  runningConfig,
  vtyshJson,
  waitFor,
} from '../helpers/lab-harness.ts';

const BASE_TOPO = CLOS_TOPO;
const FABRIC = fileURLToPath(new URL('../../lab/clos-fabric.fabric.yaml', import.meta.url));
const ns = closNs;
const FABRIC_NODES = CLOS_NODES;
const ASN: Record<string, number> = { leaf1: 65101, leaf2: 65102, leaf3: 65103, leaf4: 65104 };
const root = process.getuid?.() === 0;
const VARIANTS = [
  { key: '8.4', ...uniform('FRR 8.4', IMAGE_8_4, FABRIC_NODES) },
  { key: '10.3', ...uniform('FRR 10.3', IMAGE_10_3, FABRIC_NODES) },
  // FRR 10.7 runs the IPv6 underlay (clos-ipv6.test.ts); this IPv4 run of it is opt-in
  { key: '10.7', optIn: true, ...uniform('FRR 10.7', IMAGE_10_7, FABRIC_NODES) },
];

for (const variant of selected(VARIANTS)) closFabric(variant);

// How many next hops zebra has installed for a remote VTEP's /32.
async function zebraPaths(node: string, vtep: string): Promise<number> {
  const r = await vtyshJson(ns(node), `show ip route ${vtep}/32 json`);
  const route = (r[`${vtep}/32`] ?? [])[0];
  return (route?.nexthops ?? []).filter((n: any) => n.fib && n.active).length;
}

// The addresses on one interface of a node, as `ip -j addr` lists them.
async function addresses(node: string, dev: string): Promise<any[]> {
  const r = await inNs(ns(node), ['ip', '-j', 'addr', 'show', 'dev', dev]);
  return (JSON.parse(r.stdout || '[]') as any[])[0]?.addr_info ?? [];
}

// The kernel's route to a remote VTEP: how many next hops, and through which links.
async function vtepRoute(node: string, vtep: string): Promise<{ paths: number; devs: string[] }> {
  const r = await inNs(ns(node), ['ip', '-j', 'route', 'show', `${vtep}/32`]);
  const route = (JSON.parse(r.stdout || '[]') as any[])[0];
  if (!route) return { paths: 0, devs: [] };
  const hops: any[] = route.nexthops ?? [route];
  return { paths: hops.length, devs: hops.map((h) => h.dev).sort() };
}

function closFabric(variant: FrrVariant): void {
  describe(`eBGP Clos fabric (BGP unnumbered, loopback VTEPs) on ${variant.name}`, {
    skip: root ? false : 'needs root',
    timeout: 600_000,
  }, () => {
    let lab: Lab;
    let fabricYaml: string;
    let TOPO: string;
    let removeTopology: () => void = () => undefined;
    const sock = (node: string) => lab.paths.socket(node);
    // The node's fabric status once its BFDUp condition is True.
    const withBfdUp = async (node: string) => {
      const st = await describeStatus(sock(node), 'EVPNFabric/clos');
      return st.conditions.find((c: any) => c.type === 'BFDUp')?.status === 'True' ? st : undefined;
    };

    before(async () => {
      fabricYaml = await readFile(FABRIC, 'utf8');
      ({ file: TOPO, remove: removeTopology } = variantTopology(BASE_TOPO, variant));
      await labDown({ topologyFile: TOPO }); // leftovers of an aborted earlier run, by exact name
      lab = await labUp({ topologyFile: TOPO, fabricFile: FABRIC });
      await waitFor(
        'every uplink session established and every leaf reaching the other VTEPs over both spines',
        async () => {
          for (const node of FABRIC_NODES) {
            if ((await describeStatus(sock(node), 'EVPNFabric/clos')).phase !== 'Ready') return undefined;
          }
          for (const leaf of LEAVES)
            for (const other of LEAVES.filter((l) => l !== leaf))
              if ((await vtepRoute(leaf, VTEP[other])).paths !== 2) return undefined;
          return true;
        },
        120_000,
        1000,
      );
    });

    after(async () => {
      await labDown({ topologyFile: TOPO });
      removeTopology();
    });

    it('one eBGP session per uplink, on IPv6 link-local only: no IPv4 address on any fabric link', async () => {
      const spine = await vtyshJson(ns('spine1'), 'show bgp summary json');
      const peers = spine.ipv4Unicast.peers;
      assert.deepEqual(Object.keys(peers).sort(), ['eth1', 'eth2', 'eth3', 'eth4']);
      for (const [i, leaf] of LEAVES.entries()) {
        assert.equal(peers[`eth${i + 1}`].state, 'Established', `spine1 eth${i + 1} -> ${leaf}`);
        assert.equal(Number(peers[`eth${i + 1}`].remoteAs), ASN[leaf], `${leaf} speaks from its own AS`);
      }
      const leaf = await vtyshJson(ns('leaf1'), 'show bgp summary json');
      assert.deepEqual(
        Object.entries(leaf.ipv4Unicast.peers).map(([k, p]: [string, any]) => [k, p.state, Number(p.remoteAs)]),
        [
          ['eth1', 'Established', 65100],
          ['eth2', 'Established', 65100],
        ],
      );
      for (const dev of ['eth1', 'eth2']) {
        const families = (await addresses('leaf1', dev)).map((a: any) => `${a.family} ${a.scope}`);
        assert.deepEqual(families, ['inet6 link'], `${dev} has only its IPv6 link-local address`);
      }
      // status: each uplink session with its prefixes per family, as FRR counts them
      const st = await describeStatus(sock('leaf1'), 'EVPNFabric/clos');
      for (const s of st.bgp.sessions) {
        const frr = leaf.ipv4Unicast.peers[s.peer];
        assert.equal(s.families.ipv4Unicast.received, frr.pfxRcd, `${s.peer} ipv4 received`);
        assert.equal(s.families.ipv4Unicast.received, 4, `${s.peer}: its spine's loopback and the three other leaves'`);
        assert.equal(s.families.l2vpnEvpn.received, s.prefixesReceived);
      }
    });

    it('the VTEP address is on the loopback, and each remote VTEP is reached over both spines', async () => {
      for (const node of FABRIC_NODES) {
        const addrs = (await addresses(node, 'lo')).map((a: any) => `${a.local}/${a.prefixlen}`);
        assert.ok(addrs.includes(`${VTEP[node]}/32`), `${node} lo: ${addrs.join(', ')}`);
      }
      for (const leaf of LEAVES)
        for (const other of LEAVES.filter((l) => l !== leaf))
          assert.deepEqual(
            await vtepRoute(leaf, VTEP[other]),
            { paths: 2, devs: ['eth1', 'eth2'] },
            `${leaf} -> ${other}`,
          );
      // and describe says so: the loopback, each remote VTEP's route and paths, UnderlayReady
      const st = await describeStatus(sock('leaf3'), 'EVPNFabric/clos');
      assert.deepEqual(st.underlay.loopback, [{ address: `${VTEP.leaf3}/32`, present: true }]);
      assert.deepEqual(
        st.underlay.vteps.map((v: any) => [v.node, v.address, v.paths, v.via]),
        ['leaf1', 'leaf2', 'leaf4'].map((l) => [l, VTEP[l], 2, ['eth1', 'eth2']]),
      );
      const ready = st.conditions.find((c: any) => c.type === 'UnderlayReady');
      assert.equal(ready?.status, 'True', JSON.stringify(st.conditions));
    });

    it('hosts in the same VNI on different leaves ping; hosts in different VNIs do not', async () => {
      for (const leaf of [2, 3, 4]) assert.equal(await ping(ns('h11'), BLUE(leaf)), true, `h11 -> h${leaf}1 (blue)`);
      assert.equal(await ping(ns('h42'), GREEN(1)), true, 'h42 -> h12 (green)');
      assert.equal(await ping(ns('h11'), GREEN(2), 1), false, 'blue must not reach green');
    });

    it('routes cross AS numbers with auto-derived route targets, and spines relay them with next hops unchanged', async () => {
      // leaf1 exports and imports 65101:100 while leaf2 exports 65102:100:
      // FRR imports an auto-derived RT by its VNI, so the routes still meet.
      const vni = await vtyshJson(ns('leaf1'), 'show bgp l2vpn evpn vni 100 json');
      assert.deepEqual(vni.importRts ?? vni.importRTs, ['65101:100']);
      const blue = await describeStatus(sock('leaf1'), 'EVPNNetwork/blue');
      assert.equal(blue.phase, 'Ready', JSON.stringify(blue.conditions));
      assert.deepEqual(blue.frr.remoteVteps, [VTEP.leaf2, VTEP.leaf3, VTEP.leaf4]);
      const h21 = blue.macs.entries.find((m: any) => m.mac === '02:00:00:00:02:01');
      assert.equal(h21?.remoteVtep, VTEP.leaf2, 'h21 is reached at leaf2 itself, not at a spine');
      // the spines import nothing, carry no VNIs, and hold every leaf's type-3 route
      const spineVnis = await vtyshJson(ns('spine1'), 'show evpn vni json');
      assert.deepEqual(spineVnis, {});
      assert.equal(
        (await links(ns('spine1'))).some((l) => l.linkinfo?.info_kind === 'vxlan'),
        false,
        'a spine has no VXLAN device',
      );
      const spineRunning = await runningConfig(ns('spine1'));
      assert.doesNotMatch(spineRunning, /advertise-all-vni/);
      const imets = JSON.stringify(await vtyshJson(ns('spine1'), 'show bgp l2vpn evpn route type multicast json'));
      for (const leaf of LEAVES) assert.ok(imets.includes(VTEP[leaf]), `spine1 holds ${leaf}'s type-3 route`);
    });

    it("BFD runs on every uplink session with the fabric's timers, and describe shows it up", async () => {
      const peers: any[] = await waitFor(
        "spine1's four BFD sessions up",
        async () => {
          const p: any[] = await vtyshJson(ns('spine1'), 'show bfd peers json');
          return p.length === 4 && p.every((x) => x.status === 'up') ? p : undefined;
        },
        30_000,
        500,
      );
      assert.deepEqual(peers.map((p) => p.interface).sort(), ['eth1', 'eth2', 'eth3', 'eth4']);
      for (const p of peers) assert.deepEqual([p['receive-interval'], p['transmit-interval']], [200, 200]);
      const leaf = await waitFor('leaf1 reports BFD up', () => withBfdUp('leaf1'), 30_000, 500);
      assert.deepEqual(
        leaf.bgp.sessions.map((x: any) => [x.peer, x.bfd]),
        [
          ['eth1', 'up'],
          ['eth2', 'up'],
        ],
      );
    });

    it("with one spine's links down, every leaf still reaches every other over the other spine", async () => {
      const down = ['eth1', 'eth2', 'eth3', 'eth4'];
      try {
        for (const dev of down) await inNs(ns('spine1'), ['ip', 'link', 'set', dev, 'down']);
        await waitFor(
          'the leaves route around spine1',
          async () => ((await vtepRoute('leaf1', VTEP.leaf4)).paths === 1 ? true : undefined),
          60_000,
          500,
        );
        assert.deepEqual(await vtepRoute('leaf1', VTEP.leaf4), { paths: 1, devs: ['eth2'] });
        for (const leaf of [2, 3, 4]) assert.equal(await ping(ns('h11'), BLUE(leaf), 3), true, `h11 -> h${leaf}1`);
        // leaf1's own links stay up: BFD is what tells it that spine1 is gone
        const st = await describeStatus(sock('leaf1'), 'EVPNFabric/clos');
        const bfd = st.conditions.find((c: any) => c.type === 'BFDUp');
        assert.equal(bfd?.status, 'False', JSON.stringify(st.conditions));
        assert.match(bfd?.message, /eth1 down/);
        assert.equal(st.bgp.sessions.find((x: any) => x.peer === 'eth1')?.bfd, 'down');
        assert.equal(st.conditions.find((c: any) => c.type === 'UplinksReady')?.status, 'True');
      } finally {
        for (const dev of down) await inNs(ns('spine1'), ['ip', 'link', 'set', dev, 'up']);
      }
      await waitFor("leaf1's BFD sessions are both up again", () => withBfdUp('leaf1'), 60_000, 1000);
      await waitFor(
        "spine1's sessions are back and zebra uses both spines again",
        async () => ((await zebraPaths('leaf1', VTEP.leaf4)) === 2 ? true : undefined),
        120_000,
        1000,
      );
      // FRR 8.4's zebra keeps the kernel's nexthop group without the flapped
      // link (fixed in FRR 9.0: PRs 13413, 14080; docs/frr-versions.md), so
      // only 10.3 is held to two kernel paths again.
      if (releaseOf(variant, 'leaf1') !== '8.4')
        await waitFor(
          'the kernel routes over both spines again',
          async () => ((await vtepRoute('leaf1', VTEP.leaf4)).paths === 2 ? true : undefined),
          60_000,
          1000,
        );
    });

    it('applying the same file again changes nothing; a file with underlay errors is refused and changes nothing', async () => {
      const before = await describeStatus(sock('leaf2'), 'EVPNFabric/clos');
      const running = await runningConfig(ns('leaf2'));
      const r = await api(sock('leaf2'), 'POST', '/apply', applyBody(fabricYaml, { replace: true }));
      assert.equal(r.statusCode, 200, JSON.stringify(r.body));
      const again = await describeStatus(sock('leaf2'), 'EVPNFabric/clos');
      assert.equal(again.reload.result, 'Unchanged');
      assert.equal(again.kernel.writes, 0);
      assert.equal(again.counters.reloads, before.counters.reloads);
      const bad = fabricYaml
        .replace('{name: leaf3, asn: 65103,', '{name: leaf3, asn: 65102,') // a leaf sharing leaf2's AS
        .replace('uplinks: [eth1, eth2]}', 'uplinks: [eth1, lo]}'); // the loopback as an uplink (leaf1)
      assert.notEqual(bad, fabricYaml);
      const refused = await api(sock('leaf2'), 'POST', '/apply', applyBody(bad, { replace: true }));
      assert.equal(refused.statusCode, 400);
      const msg: string = refused.body.error.message;
      assert.match(msg, /EVPNFabric\/clos: spec\.nodes\[4\]\.asn: ASN_SHARED/);
      assert.match(msg, /EVPNFabric\/clos: spec\.nodes\[2\]\.uplinks\[1\]: PORT_INVALID/);
      assert.equal(await runningConfig(ns('leaf2')), running);
    });
  });
}
