// The shipped Clos lab with an IGP underlay (lab/clos-fabric-ospf.fabric.yaml):
// OSPF on every fabric link (unnumbered point-to-point) and loopback, one AS,
// iBGP EVPN between the loopbacks through the spines as route reflectors;
// driven by one daemon per node on real FRR (with ospfd) and the real kernel,
// on FRR 8.4 and 10.3. Needs root.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, labDown, labUp } from '../../lab/lab.ts';
import { BLUE, CLOS_NODES, CLOS_TOPO, closNs, VTEP } from '../helpers/clos-lab.ts';
import { type FrrVariant, IMAGE_8_4, IMAGE_10_3, selected, uniform, variantTopology } from '../helpers/frr-variants.ts';
import { api, applyBody, describeStatus, inNs, ping, vtyshJson, waitFor } from '../helpers/lab-harness.ts';

const BASE_TOPO = CLOS_TOPO;
const FABRIC = fileURLToPath(new URL('../../lab/clos-fabric-ospf.fabric.yaml', import.meta.url));
const ns = closNs;
const NODES = CLOS_NODES;
const root = process.getuid?.() === 0;
const VARIANTS = [
  { key: '8.4', ...uniform('FRR 8.4', IMAGE_8_4, NODES) },
  { key: '10.3', ...uniform('FRR 10.3', IMAGE_10_3, NODES) },
];

for (const variant of selected(VARIANTS)) closOspf(variant);

// OSPF neighbors in state Full, as `show ip ospf neighbor json` lists them (8.4 and 10.3).
async function fullNeighbors(node: string): Promise<string[]> {
  const j = await vtyshJson(ns(node), 'show ip ospf neighbor json');
  return Object.entries(j.neighbors ?? {})
    .filter(([, list]) => (list as any[]).some((n) => String(n.nbrState ?? n.state).startsWith('Full')))
    .map(([id]) => id)
    .sort();
}

function closOspf(variant: FrrVariant): void {
  describe(`Clos fabric over an OSPF underlay (iBGP EVPN, spines as route reflectors) on ${variant.name}`, {
    skip: root ? false : 'needs root',
    timeout: 300_000,
  }, () => {
    let lab: Lab;
    let TOPO: string;
    let removeTopology: () => void = () => undefined;
    const sock = (node: string) => lab.paths.socket(node);

    before(async () => {
      ({ file: TOPO, remove: removeTopology } = variantTopology(BASE_TOPO, variant));
      await labDown({ topologyFile: TOPO }); // leftovers of an aborted earlier run, by exact name
      lab = await labUp({ topologyFile: TOPO, fabricFile: FABRIC });
      await waitFor('every leaf Ready', async () => {
        for (const leaf of NODES.slice(2)) {
          const f = await describeStatus(sock(leaf), 'EVPNFabric/clos');
          if (f.phase !== 'Ready') return undefined;
        }
        return true;
      });
    });

    after(async () => {
      await labDown({ topologyFile: TOPO });
      removeTopology();
    });

    it('OSPF is Full with both spines on every leaf; each link borrows the loopback /32', async () => {
      for (const leaf of NODES.slice(2)) assert.deepEqual(await fullNeighbors(leaf), [VTEP.spine1, VTEP.spine2], leaf);
      assert.equal((await fullNeighbors('spine1')).length, 4);
      const r = await inNs(ns('leaf1'), ['ip', '-j', 'addr', 'show', 'dev', 'eth1']);
      const addrs = (JSON.parse(r.stdout)[0]?.addr_info ?? []).map((a: any) => `${a.local}/${a.prefixlen}`);
      assert.ok(addrs.includes(`${VTEP.leaf1}/32`), addrs.join(', '));
    });

    it('iBGP EVPN to both route reflectors; each remote VTEP over two equal-cost OSPF paths', async () => {
      const st = await describeStatus(sock('leaf2'), 'EVPNFabric/clos');
      assert.deepEqual(
        st.bgp.sessions.map((s: any) => [s.peer, s.state, s.remoteAs]),
        [
          [VTEP.spine1, 'Established', '65000'],
          [VTEP.spine2, 'Established', '65000'],
        ],
      );
      assert.equal(st.conditions.find((c: any) => c.type === 'UnderlayReady')?.status, 'True');
      const paths = await waitFor('OSPF ECMP to every remote leaf', async () => {
        const s = await describeStatus(sock('leaf2'), 'EVPNFabric/clos');
        const v = s.underlay.vteps as any[];
        return v.length === 3 && v.every((x) => x.paths === 2) ? v : undefined;
      });
      for (const v of paths) assert.deepEqual(v.via, ['eth1', 'eth2'], v.node);
    });

    it('hosts in the same VNI on different leaves ping', async () => {
      for (const leaf of [2, 3, 4]) assert.equal(await ping(ns('h11'), BLUE(leaf), 3), true, `h11 -> h${leaf}1`);
    });

    it('applying the same file again changes nothing', async () => {
      const before = await describeStatus(sock('leaf3'), 'EVPNFabric/clos');
      const r = await api(
        sock('leaf3'),
        'POST',
        '/apply',
        applyBody(await readFile(FABRIC, 'utf8'), { replace: true }),
      );
      assert.equal(r.statusCode, 200, JSON.stringify(r.body));
      const again = await describeStatus(sock('leaf3'), 'EVPNFabric/clos');
      assert.equal(again.reload.result, 'Unchanged', JSON.stringify(again.reload));
      assert.equal(again.kernel.writes, 0);
      assert.equal(again.counters.reloads, before.counters.reloads);
    });
  });
}
