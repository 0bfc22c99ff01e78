// The eBGP Clos lab with a tenant VRF (lab/clos-fabric-vrf.fabric.yaml):
// symmetric IRB over L3VNI 4100 between leaves in different AS numbers, the
// spines relaying every EVPN route with no VRF of their own, and type-5
// routes for the VRF's subnets. Runs where the kernel has VRF devices
// (test/integration/vrf-suite.test.ts starts it in the lab VM), on a fabric
// mixing FRR 8.4 and 10.3, and over an IPv6 underlay on FRR 10.7
// (lab/clos-fabric-vrf-ipv6.fabric.yaml) with dual-stack tenants.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, labDown, labUp } from '../../lab/lab.ts';
import { CLOS_NODES, CLOS_TOPO, LEAVES, closNs as ns, VTEP, VTEP6 } from '../helpers/clos-lab.ts';
import {
  type FrrVariant,
  IMAGE_8_4,
  IMAGE_10_3,
  IMAGE_10_7,
  selected,
  uniform,
  variantTopology,
} from '../helpers/frr-variants.ts';
import {
  api,
  applyBody,
  describeStatus,
  hasRoute,
  inNs,
  l3vniUp,
  labLog,
  ping,
  vtyshJson,
  waitFor,
} from '../helpers/lab-harness.ts';

const FABRIC = fileURLToPath(new URL('../../lab/clos-fabric-vrf.fabric.yaml', import.meta.url));
const FABRIC_IPV6 = fileURLToPath(new URL('../../lab/clos-fabric-vrf-ipv6.fabric.yaml', import.meta.url));
interface Scenario extends FrrVariant {
  key: string;
  optIn?: boolean;
  fabric: string;
  vtep: Record<string, string>;
  ipv6: boolean; // IPv6 underlay, dual-stack tenants
}
const IPV4_UNDERLAY = { fabric: FABRIC, vtep: VTEP, ipv6: false };
// Mixed by default: one spine and two leaves on each release, so routes cross
// releases both ways; FRR_VARIANTS=10.3 or 8.4 runs one release alone. The
// IPv6 underlay needs FRR >= 10.6 on every node: 10.7.
const VARIANTS: Scenario[] = [
  {
    key: 'mixed',
    name: 'mixed FRR 8.4/10.3',
    images: {
      spine1: IMAGE_8_4,
      spine2: IMAGE_10_3,
      leaf1: IMAGE_8_4,
      leaf2: IMAGE_10_3,
      leaf3: IMAGE_8_4,
      leaf4: IMAGE_10_3,
    },
    ...IPV4_UNDERLAY,
  },
  { key: '10.3', optIn: true, ...uniform('FRR 10.3', IMAGE_10_3, CLOS_NODES), ...IPV4_UNDERLAY },
  { key: '8.4', optIn: true, ...uniform('FRR 8.4', IMAGE_8_4, CLOS_NODES), ...IPV4_UNDERLAY },
  {
    key: '10.7',
    ...uniform('FRR 10.7, IPv6 underlay, dual-stack tenants', IMAGE_10_7, CLOS_NODES),
    fabric: FABRIC_IPV6,
    vtep: VTEP6,
    ipv6: true,
  },
];
const GREEN_SUBNET = '192.168.201.0/24';
const pingFrom = (from: string, address: string) => ping(ns(from), address, 3, 2);

// The lab's hosts share 192.168.200.0/24 (an L2 lab); routed, green's move to
// 192.168.201.0/24 and every host gets its network's anycast gateway as default.
const HOSTS: [string, string, string][] = [
  ['h11', '192.168.200.11/24', '192.168.200.1'],
  ['h21', '192.168.200.21/24', '192.168.200.1'],
  ['h31', '192.168.200.31/24', '192.168.200.1'],
  ['h41', '192.168.200.41/24', '192.168.200.1'],
  ['h22', '192.168.201.22/24', '192.168.201.1'],
  ['h42', '192.168.201.42/24', '192.168.201.1'],
];
// Over an IPv6 underlay the hosts are dual-stack (fd00:200::/64 blue,
// fd00:201::/64 green, the host part as in IPv4) with VXLAN-over-IPv6's MTU.
const v6 = (ip: string) => ip.replace(/^192\.168\.(20[01])\.(\d+)$/, 'fd00:$1::$2'); // 192.168.201.42 -> fd00:201::42
const GREEN_SUBNET6 = 'fd00:201::/64';
const IPV6_OVERLAY_MTU = 1430;

async function readdress(host: string, cidr: string, gateway: string, ipv6: boolean): Promise<void> {
  const lines = [`ip addr flush dev eth1`, `ip addr add ${cidr} dev eth1`, `ip route replace default via ${gateway}`];
  if (ipv6)
    lines.push(
      `ip link set eth1 mtu ${IPV6_OVERLAY_MTU}`,
      `ip addr add ${v6(cidr.replace('/24', ''))}/64 dev eth1 nodad`,
      `ip -6 route replace default via ${v6(gateway)}`,
    );
  const r = await inNs(ns(host), ['sh', '-c', lines.join(' && ')]);
  assert.equal(r.exitCode, 0, `${host}: ${r.stderr}`);
}

for (const variant of selected(VARIANTS)) {
  describe(`eBGP Clos fabric with a tenant VRF (symmetric IRB, type-5) on ${variant.name}`, {
    timeout: 1_500_000,
  }, () => {
    let lab: Lab;
    let TOPO: string;
    let removeTopology: () => void = () => undefined;
    const sock = (node: string) => lab.paths.socket(node);

    before(async () => {
      ({ file: TOPO, remove: removeTopology } = variantTopology(CLOS_TOPO, variant));
      await labDown({ topologyFile: TOPO });
      lab = await labUp({ topologyFile: TOPO, fabricFile: variant.fabric, log: labLog });
      for (const [host, cidr, gateway] of HOSTS) await readdress(host, cidr, gateway, variant.ipv6);
      await waitFor(
        'L3VNI 4100 up and EVPNVRF/red Ready on every leaf',
        async () => {
          for (const leaf of LEAVES) {
            if (!(await l3vniUp(ns(leaf), 'red', 4100))) return undefined;
            if ((await describeStatus(sock(leaf), 'EVPNVRF/red')).phase !== 'Ready') return undefined;
          }
          return true;
        },
        300_000,
        2000,
      );
      // Hosts talk to their gateway once, as a booting VM does; h42 stays silent.
      for (const [host, , gateway] of HOSTS.filter(([h]) => h !== 'h42')) {
        await pingFrom(host, gateway);
        if (variant.ipv6) await pingFrom(host, v6(gateway));
      }
    });

    after(async () => {
      await labDown({ topologyFile: TOPO });
      removeTopology();
    });

    it('the spines carry no VRF and no VNI; leaves in four AS numbers share L3VNI 4100', async () => {
      for (const spine of ['spine1', 'spine2']) {
        const vrfs = await inNs(ns(spine), ['ip', '-j', 'link', 'show', 'type', 'vrf']);
        assert.deepEqual(JSON.parse(vrfs.stdout || '[]'), [], spine);
        assert.deepEqual(Object.keys(await vtyshJson(ns(spine), 'show evpn vni json')), [], spine);
      }
      const st = await describeStatus(sock('leaf1'), 'EVPNVRF/red');
      assert.equal(st.l3vni.vni, 4100);
      assert.equal(st.l3vni.state, 'Up');
      // each other leaf's router MAC, learnt over routes whose RT is that leaf's own ASN:4100
      assert.deepEqual(
        st.remoteRouterMacs.map((m: any) => m.vtep).sort(),
        [variant.vtep.leaf2, variant.vtep.leaf3, variant.vtep.leaf4].sort(),
        JSON.stringify(st.remoteRouterMacs),
      );
    });

    it('routed across the L3VNI: blue on leaf1 (AS 65101) reaches green on leaf2 (AS 65102)', async () => {
      assert.equal(await pingFrom('h11', '192.168.201.22'), true, 'h11 -> h22');
      assert.equal(await pingFrom('h22', '192.168.200.41'), true, 'h22 -> h41');
      assert.equal(await pingFrom('h21', '192.168.200.31'), true, 'h21 -> h31 (same VNI, bridged)');
      if (!variant.ipv6) return;
      assert.equal(await pingFrom('h11', 'fd00:201::22'), true, 'h11 -> h22 over IPv6');
      assert.equal(await pingFrom('h22', 'fd00:200::41'), true, 'h22 -> h41 over IPv6');
      assert.equal(await pingFrom('h21', 'fd00:200::31'), true, 'h21 -> h31 over IPv6 (bridged)');
    });

    it("type-5: leaf3 holds green's subnet from leaf2 and leaf4 via the spines, next hops unchanged, and reaches a silent host by it", async () => {
      const st = await describeStatus(sock('leaf3'), 'EVPNVRF/red');
      const green = (st.type5.imported as any[]).filter((r) => r.prefix === GREEN_SUBNET);
      assert.deepEqual(
        [...new Set(green.map((r) => r.nextHop))].sort(),
        [variant.vtep.leaf2, variant.vtep.leaf4],
        JSON.stringify(st.type5),
      );
      assert.equal(await hasRoute(ns('leaf3'), 'red', GREEN_SUBNET), true, 'kernel route in VRF red');
      assert.equal(await pingFrom('h31', '192.168.201.42'), true, 'h31 -> silent h42');
      if (!variant.ipv6) return;
      const green6 = (st.type5.imported as any[]).filter((r) => r.prefix === GREEN_SUBNET6);
      assert.deepEqual(
        [...new Set(green6.map((r) => r.nextHop))].sort(),
        [VTEP6.leaf2, VTEP6.leaf4],
        JSON.stringify(st.type5),
      );
      assert.equal(await hasRoute(ns('leaf3'), 'red', GREEN_SUBNET6), true, 'IPv6 kernel route in VRF red');
      assert.equal(await pingFrom('h31', 'fd00:201::42'), true, 'h31 -> silent h42 over IPv6');
    });

    it('applying the same file again changes nothing', async () => {
      const before = await describeStatus(sock('leaf1'), 'EVPNVRF/red');
      const r = await api(
        sock('leaf1'),
        'POST',
        '/apply',
        applyBody(await readFile(variant.fabric, 'utf8'), { replace: true }),
      );
      assert.equal(r.statusCode, 200, JSON.stringify(r.body));
      const fabric = await describeStatus(sock('leaf1'), 'EVPNFabric/clos');
      assert.equal(fabric.reload.result, 'Unchanged', JSON.stringify(fabric.reload));
      assert.equal(fabric.kernel.writes, 0);
      assert.equal((await describeStatus(sock('leaf1'), 'EVPNVRF/red')).phase, before.phase);
    });
  });
}
