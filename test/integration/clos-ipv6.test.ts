// The shipped Clos lab with an IPv6 underlay (lab/clos-fabric-ipv6.fabric.yaml)
// on FRR 10.7, the first release here whose EVPN carries IPv6 VTEPs: IPv6
// loopback VTEPs advertised in IPv6 unicast over BGP unnumbered, VXLAN over
// IPv6, EVPN routes naming the IPv6 VTEPs as next hops, and hosts talking
// IPv4 and IPv6 across leaves in the same L2VNIs. Needs root.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, labDown, labUp } from '../../lab/lab.ts';
import { BLUE, CLOS_NODES, CLOS_TOPO, GREEN, LEAVES, closNs as ns, SPINES, VTEP6 } from '../helpers/clos-lab.ts';
import { IMAGE_10_7, selected, uniform, variantTopology } from '../helpers/frr-variants.ts';
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

const FABRIC = fileURLToPath(new URL('../../lab/clos-fabric-ipv6.fabric.yaml', import.meta.url));
const HOST6 = (host: string) => `fd00:200::${host.slice(1)}`; // h21 -> fd00:200::21
const HOSTS = LEAVES.flatMap((_, i) => [`h${i + 1}1`, `h${i + 1}2`]);
// VXLAN over IPv6 costs 70 bytes (40 IPv6 + 8 UDP + 8 VXLAN + 14 inner Ethernet)
const OVERLAY_MTU = 1500 - 70;
const root = process.getuid?.() === 0;
// one release only (FRR_VARIANTS=8.4 or 10.3 alone skips it)
const runs = selected([{ key: '10.7', ...uniform('FRR 10.7', IMAGE_10_7, CLOS_NODES) }]).length > 0;

// The kernel's IPv6 route to a remote VTEP: how many next hops, through which links.
async function vtepRoute6(node: string, vtep: string): Promise<{ paths: number; devs: string[] }> {
  const r = await inNs(ns(node), ['ip', '-6', '-j', 'route', 'show', `${vtep}/128`]);
  const route = (JSON.parse(r.stdout || '[]') as any[])[0];
  if (!route) return { paths: 0, devs: [] };
  const hops: any[] = route.nexthops ?? [route];
  return { paths: hops.length, devs: hops.map((h) => h.dev).sort() };
}

async function sysctl(node: string, key: string): Promise<string> {
  return (await inNs(ns(node), ['sysctl', '-n', key])).stdout.trim();
}

describe('eBGP Clos fabric with an IPv6 underlay (IPv6 VTEPs, VXLAN over IPv6) on FRR 10.7', {
  skip: !root ? 'needs root' : runs ? false : 'FRR_VARIANTS does not name 10.7',
  timeout: 600_000,
}, () => {
  let lab: Lab;
  let fabricYaml: string;
  let topo = '';
  let removeTopology: () => void = () => undefined;
  const sock = (node: string) => lab.paths.socket(node);

  before(async () => {
    fabricYaml = await readFile(FABRIC, 'utf8');
    ({ file: topo, remove: removeTopology } = variantTopology(CLOS_TOPO, uniform('FRR 10.7', IMAGE_10_7, CLOS_NODES)));
    await labDown({ topologyFile: topo }); // leftovers of an aborted earlier run, by exact name
    lab = await labUp({ topologyFile: topo, fabricFile: FABRIC });
    // the hosts: an IPv6 address beside the IPv4 one, and the overlay MTU of an IPv6 underlay
    for (const h of HOSTS) {
      const r = await inNs(ns(h), [
        'sh',
        '-c',
        `ip link set eth1 mtu ${OVERLAY_MTU} && ip addr add ${HOST6(h)}/64 dev eth1 nodad`,
      ]);
      assert.equal(r.exitCode, 0, `${h}: ${r.stderr}`);
    }
    await waitFor(
      'every node Ready and every leaf reaching the other VTEPs over both spines',
      async () => {
        for (const node of CLOS_NODES)
          if ((await describeStatus(sock(node), 'EVPNFabric/clos')).phase !== 'Ready') return undefined;
        for (const leaf of LEAVES)
          for (const other of LEAVES.filter((l) => l !== leaf))
            if ((await vtepRoute6(leaf, VTEP6[other] as string)).paths !== 2) return undefined;
        return true;
      },
      120_000,
      1000,
    );
  });

  after(async () => {
    await labDown({ topologyFile: topo });
    removeTopology();
  });

  it('the IPv6 VTEPs ride IPv6 unicast on the unnumbered sessions, each reached over both spines', async () => {
    const summary = await vtyshJson(ns('leaf1'), 'show bgp summary json');
    assert.equal(summary.ipv4Unicast, undefined, 'no IPv4 unicast family on an IPv6 underlay');
    const peers = summary.ipv6Unicast.peers;
    assert.deepEqual(Object.keys(peers), ['eth1', 'eth2']);
    for (const p of Object.values<any>(peers)) {
      assert.equal(p.state, 'Established');
      assert.equal(p.pfxRcd, 4, "its spine's loopback and the three other leaves'");
    }
    for (const node of CLOS_NODES) {
      const lo = await inNs(ns(node), ['ip', '-6', '-j', 'addr', 'show', 'dev', 'lo']);
      const addrs = (JSON.parse(lo.stdout)[0]?.addr_info ?? []).map((a: any) => `${a.local}/${a.prefixlen}`);
      assert.ok(addrs.includes(`${VTEP6[node]}/128`), `${node} lo: ${addrs.join(', ')}`);
    }
    for (const leaf of LEAVES)
      for (const other of LEAVES.filter((l) => l !== leaf))
        assert.deepEqual(
          await vtepRoute6(leaf, VTEP6[other] as string),
          { paths: 2, devs: ['eth1', 'eth2'] },
          `${leaf} -> ${other}`,
        );
    // the spines route IPv6 between the leaves: the daemon switched forwarding on (FRR 10.7's zebra does not)
    for (const spine of SPINES) assert.equal(await sysctl(spine, 'net.ipv6.conf.all.forwarding'), '1', spine);
    const st = await describeStatus(sock('leaf3'), 'EVPNFabric/clos');
    assert.deepEqual(st.underlay.loopback, [{ address: `${VTEP6.leaf3}/128`, present: true }]);
    assert.deepEqual(
      st.underlay.vteps.map((v: any) => [v.node, v.address, v.paths]),
      ['leaf1', 'leaf2', 'leaf4'].map((l) => [l, VTEP6[l], 2]),
    );
    for (const s of st.bgp.sessions) assert.equal(s.families.ipv6Unicast.received, 4, `${s.peer} ipv6 received`);
    assert.equal(st.conditions.find((c: any) => c.type === 'PreflightPassed')?.status, 'True');
  });

  it('VXLAN devices source from the IPv6 loopback, with the MTU of VXLAN over IPv6', async () => {
    const vxlans = (await links(ns('leaf2'))).filter((l) => l.linkinfo?.info_kind === 'vxlan');
    assert.deepEqual(vxlans.map((l) => l.ifname).sort(), ['vxlan100', 'vxlan200']);
    for (const l of vxlans) {
      assert.equal(l.linkinfo.info_data.local6, VTEP6.leaf2, `${l.ifname} local`);
      assert.equal(l.mtu, OVERLAY_MTU, `${l.ifname} mtu`);
      assert.equal(l.linkinfo.info_data.learning, false, `${l.ifname} learning`);
    }
  });

  it('EVPN routes name the IPv6 VTEPs as next hops, relayed unchanged by the spines', async () => {
    const routes = await vtyshJson(ns('leaf1'), 'show bgp l2vpn evpn route type multicast json');
    const nexthops = new Set<string>();
    for (const [key, rd] of Object.entries<any>(routes)) {
      if (!key.includes(':') || typeof rd !== 'object') continue;
      for (const [prefix, paths] of Object.entries<any>(rd)) {
        if (!prefix.startsWith('[3]')) continue;
        for (const path of (paths.paths ?? []).flat()) for (const nh of path.nexthops ?? []) nexthops.add(nh.ip);
      }
    }
    for (const other of ['leaf2', 'leaf3', 'leaf4'])
      assert.ok(nexthops.has(VTEP6[other] as string), `leaf1 holds ${other}'s type-3 route via ${VTEP6[other]}`);
    assert.ok(![...nexthops].some((nh) => nh.startsWith('fe80:') || nh.includes('.')), [...nexthops].join(', '));
    const blue = await describeStatus(sock('leaf1'), 'EVPNNetwork/blue');
    assert.equal(blue.phase, 'Ready', JSON.stringify(blue.conditions));
    assert.deepEqual(blue.frr.remoteVteps, [VTEP6.leaf2, VTEP6.leaf3, VTEP6.leaf4]);
    const fdb = await inNs(ns('leaf1'), ['bridge', '-j', 'fdb', 'show', 'dev', 'vxlan100']);
    const floods = (JSON.parse(fdb.stdout) as any[]).filter((e) => e.mac === '00:00:00:00:00:00').map((e) => e.dst);
    assert.deepEqual(floods.sort(), [VTEP6.leaf2, VTEP6.leaf3, VTEP6.leaf4]);
  });

  it('hosts reach each other over IPv4 and IPv6 in their VNI, full-size packets too; blue never reaches green', async () => {
    for (const leaf of [2, 3, 4]) {
      assert.equal(await ping(ns('h11'), BLUE(leaf)), true, `h11 -> h${leaf}1 over IPv4`);
      assert.equal(await ping(ns('h11'), HOST6(`h${leaf}1`)), true, `h11 -> h${leaf}1 over IPv6`);
    }
    assert.equal(await ping(ns('h42'), GREEN(1)), true, 'h42 -> h12 (green)');
    assert.equal(await ping(ns('h42'), HOST6('h12')), true, 'h42 -> h12 over IPv6');
    // a packet of the overlay MTU, never fragmented, crosses VXLAN over IPv6
    for (const [to, payload] of [
      [BLUE(4), OVERLAY_MTU - 28], // IPv4 + ICMP headers
      [HOST6('h41'), OVERLAY_MTU - 48], // IPv6 + ICMPv6 headers
    ] as const) {
      const full = await inNs(ns('h11'), ['ping', '-c', '2', '-W', '1', '-M', 'do', '-s', String(payload), to]);
      assert.equal(full.exitCode, 0, `h11 -> ${to}, ${payload} bytes: ${full.stdout}`);
    }
    assert.equal(await ping(ns('h11'), GREEN(2), 1), false, 'blue must not reach green');
    assert.equal(await ping(ns('h11'), HOST6('h22'), 1), false, 'nor over IPv6');
  });

  it('applying the same file again changes nothing in FRR 10.7 or the kernel', async () => {
    const before = await describeStatus(sock('leaf2'), 'EVPNFabric/clos');
    const running = await runningConfig(ns('leaf2'));
    const r = await api(sock('leaf2'), 'POST', '/apply', applyBody(fabricYaml, { replace: true }));
    assert.equal(r.statusCode, 200, JSON.stringify(r.body));
    const again = await describeStatus(sock('leaf2'), 'EVPNFabric/clos');
    assert.equal(again.reload.result, 'Unchanged');
    assert.equal(again.kernel.writes, 0);
    assert.equal(again.counters.reloads, before.counters.reloads);
    assert.equal(await runningConfig(ns('leaf2')), running);
    // FRR 10.7 keeps deterministic-med on (the datacenter default), though it prints a line it was never given
    assert.doesNotMatch(running, /no bgp deterministic-med/);
  });
});
