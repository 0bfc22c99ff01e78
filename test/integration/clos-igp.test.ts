// The shipped Clos lab with an IGP underlay instead of eBGP, one lab boot per
// FRR release: first OSPF (lab/clos-fabric-ospf.fabric.yaml), then the same
// fabric moved to IS-IS (lab/clos-fabric-isis.fabric.yaml) and to OpenFabric
// with an apply on each node, as an operator would. Each time the IGP runs on
// every fabric link (point-to-point, unnumbered: each link borrows the
// loopback /32) and on the loopback, one AS for every node, and iBGP EVPN runs
// between the loopbacks through the spines as route reflectors; driven by one
// daemon per node on real FRR (ospfd, isisd, fabricd) and the real kernel, on
// FRR 8.4 and 10.3. Needs root.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, labDown, labUp } from '../../lab/lab.ts';
import { BLUE, CLOS_NODES, CLOS_TOPO, closNs, LEAVES, VTEP } from '../helpers/clos-lab.ts';
import { type FrrVariant, IMAGE_8_4, IMAGE_10_3, selected, uniform, variantTopology } from '../helpers/frr-variants.ts';
import {
  api,
  applyBody,
  describeStatus,
  inNs,
  ping,
  runningConfig,
  vtyshJson,
  waitFor,
} from '../helpers/lab-harness.ts';

const lab = (name: string) => fileURLToPath(new URL(`../../lab/${name}`, import.meta.url));
const OSPF = lab('clos-fabric-ospf.fabric.yaml');
const ISIS = lab('clos-fabric-isis.fabric.yaml');
const ns = closNs;
const root = process.getuid?.() === 0;
const VARIANTS = [
  { key: '8.4', ...uniform('FRR 8.4', IMAGE_8_4, CLOS_NODES) },
  { key: '10.3', ...uniform('FRR 10.3', IMAGE_10_3, CLOS_NODES) },
];
// IS-IS regenerates a node's LSP at most every 30 s by default (lsp-gen-interval):
// a new adjacency may wait that long before it carries routes.
const CONVERGE_MS = 180_000;

for (const variant of selected(VARIANTS)) closIgp(variant);

// OSPF neighbors in state Full, as `show ip ospf neighbor json` lists them (8.4 and 10.3).
async function fullNeighbors(node: string): Promise<string[]> {
  const j = await vtyshJson(ns(node), 'show ip ospf neighbor json');
  return Object.entries(j.neighbors ?? {})
    .filter(([, list]) => (list as any[]).some((n) => String(n.nbrState ?? n.state).startsWith('Full')))
    .map(([id]) => id)
    .sort();
}

// IS-IS / OpenFabric adjacencies that are Up, as `show isis|openfabric neighbor
// json` lists them: "interface level". (The neighbor's name is its dynamic
// hostname, which FRR 10.3 under -N takes from the host, not the node.)
async function upAdjacencies(node: string, protocol: 'isis' | 'openfabric'): Promise<string[]> {
  const j = await vtyshJson(ns(node), `show ${protocol} neighbor json`);
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.adj === 'string' && o.state === 'Up') found.push(`${o.interface} L${o.level}`);
      Object.values(o).forEach(walk);
    }
  };
  walk(j);
  return found.sort();
}

// The main-table route FRR has for each remote leaf's VTEP: [protocol, next hops].
async function vtepRoutes(node: string): Promise<Record<string, [string, number]>> {
  const routes = await vtyshJson(ns(node), 'show ip route json');
  const out: Record<string, [string, number]> = {};
  for (const leaf of LEAVES.filter((l) => l !== node)) {
    const best = ((routes[`${VTEP[leaf]}/32`] ?? []) as any[]).find((r) => r.selected);
    if (best) out[leaf] = [best.protocol, (best.nexthops ?? []).filter((n: any) => n.fib).length];
  }
  return out;
}

function closIgp(variant: FrrVariant): void {
  describe(`Clos fabric over an IGP underlay (OSPF, IS-IS, OpenFabric; iBGP EVPN through the spines) on ${variant.name}`, {
    skip: root ? false : 'needs root',
    timeout: 900_000,
  }, () => {
    let running: Lab;
    let TOPO: string;
    let removeTopology: () => void = () => undefined;
    const sock = (node: string) => running.paths.socket(node);

    // Applies `text` on every node (each daemon holds the same fabric file), spines first.
    async function applyEverywhere(text: string): Promise<void> {
      for (const node of CLOS_NODES) {
        const r = await api(sock(node), 'POST', '/apply', applyBody(text, { replace: true }));
        assert.equal(r.statusCode, 200, `${node}: ${JSON.stringify(r.body)}`);
      }
    }

    // Every leaf: both EVPN sessions up, each remote leaf's VTEP over two paths learnt from `protocol`.
    async function converged(protocol: string): Promise<void> {
      await waitFor(
        `${protocol} ECMP to every remote leaf and iBGP EVPN up on every leaf`,
        async () => {
          for (const leaf of LEAVES) {
            const routes = Object.values(await vtepRoutes(leaf));
            if (routes.length !== 3 || !routes.every(([p, n]) => p === protocol && n === 2)) return undefined;
            const st = await describeStatus(sock(leaf), 'EVPNFabric/clos');
            if (st.phase !== 'Ready') return undefined;
          }
          return true;
        },
        CONVERGE_MS,
      );
    }

    async function hostsPing(): Promise<void> {
      for (const leaf of [2, 3, 4]) assert.equal(await ping(ns('h11'), BLUE(leaf), 3), true, `h11 -> h${leaf}1`);
    }

    before(async () => {
      ({ file: TOPO, remove: removeTopology } = variantTopology(CLOS_TOPO, variant));
      await labDown({ topologyFile: TOPO }); // leftovers of an aborted earlier run, by exact name
      running = await labUp({ topologyFile: TOPO, fabricFile: OSPF });
      await converged('ospf');
    });

    after(async () => {
      await labDown({ topologyFile: TOPO });
      removeTopology();
    });

    it('OSPF is Full with both spines on every leaf; each link borrows the loopback /32', async () => {
      for (const leaf of LEAVES) assert.deepEqual(await fullNeighbors(leaf), [VTEP.spine1, VTEP.spine2], leaf);
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
      const vteps = st.underlay.vteps as any[];
      assert.deepEqual(
        vteps.map((v) => [v.node, v.paths, v.via]),
        ['leaf1', 'leaf3', 'leaf4'].map((n) => [n, 2, ['eth1', 'eth2']]),
      );
    });

    it('hosts in the same VNI on different leaves ping', hostsPing);

    it('moved to IS-IS by applying another file on each node: OSPF is gone, level-2 adjacencies carry the loopbacks', async () => {
      await applyEverywhere(await readFile(ISIS, 'utf8'));
      await converged('isis');
      for (const leaf of LEAVES) {
        assert.deepEqual(await upAdjacencies(leaf, 'isis'), ['eth1 L2', 'eth2 L2'], leaf);
        const config = await runningConfig(ns(leaf));
        assert.doesNotMatch(config, /router ospf|ip ospf/, `${leaf} still runs OSPF`);
        assert.match(config, new RegExp(`net 49\\.0001\\.0100\\.0100\\.100${leaf.at(-1)}\\.00`), leaf);
      }
      assert.equal((await upAdjacencies('spine2', 'isis')).length, 4);
      await hostsPing();
    });

    it('moved on to OpenFabric (FRR fabricd, as Proxmox VE fabrics run it): hosts still ping', async () => {
      const text = (await readFile(ISIS, 'utf8')).replace('protocol: isis', 'protocol: openfabric');
      await applyEverywhere(text);
      await converged('openfabric');
      for (const leaf of LEAVES) {
        assert.deepEqual(await upAdjacencies(leaf, 'openfabric'), ['eth1 L2', 'eth2 L2'], leaf);
        assert.doesNotMatch(await runningConfig(ns(leaf)), /router isis|ip router isis/, `${leaf} still runs IS-IS`);
      }
      await hostsPing();
    });

    it('applying the same file again changes nothing', async () => {
      const text = (await readFile(ISIS, 'utf8')).replace('protocol: isis', 'protocol: openfabric');
      const before = await describeStatus(sock('leaf3'), 'EVPNFabric/clos');
      const r = await api(sock('leaf3'), 'POST', '/apply', applyBody(text, { replace: true }));
      assert.equal(r.statusCode, 200, JSON.stringify(r.body));
      const again = await describeStatus(sock('leaf3'), 'EVPNFabric/clos');
      assert.equal(again.reload.result, 'Unchanged', JSON.stringify(again.reload));
      assert.equal(again.kernel.writes, 0);
      assert.equal(again.counters.reloads, before.counters.reloads);
    });
  });
}
