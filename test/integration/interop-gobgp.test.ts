// Interop with BGP speakers the daemon did not configure, on FRR 8.4 and on
// FRR 10.3: GoBGP 3.10 (Debian's gobgpd, started by this test in its own
// namespace) is the external EVPN route reflector of a daemon-driven fabric
// (routeReflectors.external), and hv-m is a VTEP whose FRR is configured by
// hand from a plain frr.conf (fixtures/itrr-hand/frr.conf, bound as
// containerlab binds it) with its devices made as ifupdown2 makes them.
// Needs root and gobgpd (scripts/setup.sh installs it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, labDown, labUp } from '../../lab/lab.ts';
import { stopProcesses } from '../../lab/processes.ts';
import { spawnDetached } from '../../lab/spawn.ts';
import { type FrrVariant, IMAGE_8_4, IMAGE_10_3, selected, uniform, variantTopology } from '../helpers/frr-variants.ts';
import { describeStatus, inNs, ping, vtyshJson, waitFor } from '../helpers/lab-harness.ts';

const BASE_TOPO = fileURLToPath(new URL('./fixtures/itrr.clab.yml', import.meta.url));
const FABRIC = fileURLToPath(new URL('./fixtures/itrr.fabric.yaml', import.meta.url));
const GOBGPD_CONF = fileURLToPath(new URL('./fixtures/itrr.gobgpd.toml', import.meta.url));
const ns = (node: string) => `clab-itrr-${node}`;
const RR = '10.66.0.1';
const VTEP: Record<string, string> = { 'hv-a': '10.66.0.11', 'hv-b': '10.66.0.12', 'hv-m': '10.66.0.13' };
const MAC = { 'vm-a': '02:66:00:00:00:0a', 'vm-b': '02:66:00:00:00:0b', 'vm-m': '02:66:00:00:00:0c' };
const VARIANTS = [
  { key: '8.4', ...uniform('FRR 8.4', IMAGE_8_4, ['hv-a', 'hv-b', 'hv-m']) },
  { key: '10.3', ...uniform('FRR 10.3', IMAGE_10_3, ['hv-a', 'hv-b', 'hv-m']) },
];
const root = process.getuid?.() === 0;
const haveGobgp = spawnSync('gobgpd', ['--version']).status === 0;

for (const variant of selected(VARIANTS)) gobgpReflector(variant);

// GoBGP's EVPN table, by route type: [type, rd, mac or originator ip, next hop].
async function gobgpRib(): Promise<[number, string, string, string][]> {
  const r = await inNs(ns('rr'), ['gobgp', '-u', '127.0.0.1', 'global', 'rib', '-a', 'evpn', '-j']);
  assert.equal(r.exitCode, 0, r.stderr);
  const rib = JSON.parse(r.stdout || '{}') as Record<string, any[]>;
  return Object.values(rib)
    .flat()
    .map((p) => {
      const v = p.nlri.value;
      const nh = p.attrs.find((a: any) => a.type === 14)?.nexthop ?? '';
      return [p.nlri.type, `${v.rd.admin}:${v.rd.assigned}`, v.mac ?? v.ip, nh] as [number, string, string, string];
    });
}

function gobgpReflector(variant: FrrVariant): void {
  describe(`GoBGP as the external route reflector of a fabric on ${variant.name}`, {
    skip: !root ? 'needs root' : !haveGobgp ? 'needs gobgpd (scripts/setup.sh installs it)' : false,
    timeout: 300_000,
  }, () => {
    let lab: Lab;
    let TOPO: string;
    let removeTopology: () => void = () => undefined;
    let gobgpd: { pid: number } | undefined;

    before(async () => {
      ({ file: TOPO, remove: removeTopology } = variantTopology(BASE_TOPO, variant));
      await labDown({ topologyFile: TOPO }); // leftovers of an aborted earlier run, by exact name
      lab = await labUp({ topologyFile: TOPO, fabricFile: FABRIC });
      const log = `${lab.paths.dir}/gobgpd.log`;
      const args = ['netns', 'exec', ns('rr'), 'gobgpd', '-f', GOBGPD_CONF, '-t', 'toml'];
      gobgpd = await spawnDetached('ip', [...args, '--api-hosts', '127.0.0.1:50051', '--pprof-disable', '-p'], log);
      await waitFor('the daemon-driven VTEPs established with GoBGP', async () => {
        for (const node of ['hv-a', 'hv-b']) {
          const f = await describeStatus(lab.paths.socket(node), 'EVPNFabric/rs');
          if (f.phase !== 'Ready') return undefined;
        }
        return true;
      });
      // hv-m's FRR, configured by hand, has nobody reporting for it: wait for its type-3 route at GoBGP
      await waitFor('every VTEP has announced its VNI to GoBGP', async () => {
        const imets = (await gobgpRib()).filter(([t]) => t === 3).map(([, , ip]) => ip);
        return Object.values(VTEP).every((v) => imets.includes(v)) ? true : undefined;
      });
    });

    after(async () => {
      // stopProcesses ends a pid only while its command line still holds the
      // given word: `ip netns exec` became gobgpd, whose argv names its config.
      if (gobgpd) await stopProcesses([{ pid: gobgpd.pid, node: 'rr', role: 'gobgpd', namespace: GOBGPD_CONF }]);
      await labDown({ topologyFile: TOPO });
      removeTopology();
    });

    it('each VTEP has one session, to GoBGP, and none to the other VTEP', async () => {
      for (const node of ['hv-a', 'hv-b']) {
        const f = await describeStatus(lab.paths.socket(node), 'EVPNFabric/rs');
        assert.deepEqual(
          f.bgp.sessions.map((s: any) => [s.peer, s.state, s.remoteAs]),
          [[RR, 'Established', '65010']],
        );
      }
    });

    it('hosts behind different VTEPs ping through routes GoBGP reflected', async () => {
      assert.equal(await ping(ns('vm-a'), '10.67.0.11', 3), true, 'vm-a -> vm-b');
      const remote = await waitFor('hv-a knows both other VTEPs', async () => {
        const a = await describeStatus(lab.paths.socket('hv-a'), 'EVPNNetwork/web');
        return a.frr.remoteVteps.length === 2 ? a.frr.remoteVteps : undefined;
      });
      assert.deepEqual(remote, [VTEP['hv-b'], VTEP['hv-m']]);
    });

    it('the hand-configured VTEP joins: its host reaches the daemon-driven hosts, and they see it', async () => {
      assert.equal(await ping(ns('vm-m'), '10.67.0.10', 3), true, 'vm-m (hv-m, by hand) -> vm-a (hv-a, daemon)');
      assert.equal(await ping(ns('vm-b'), '10.67.0.12', 3), true, 'vm-b (hv-b, daemon) -> vm-m (hv-m, by hand)');
      const vni = await vtyshJson(ns('hv-m'), 'show evpn vni 6600 json');
      const remote = JSON.stringify(vni.remoteVteps ?? vni.numRemoteVteps); // 10.3: [{ip, flood}]; 8.4: numRemoteVteps [ip]
      for (const v of [VTEP['hv-a'], VTEP['hv-b']]) assert.ok(remote.includes(`"${v}"`), `hv-m knows ${v}: ${remote}`);
      const macs = await vtyshJson(ns('hv-b'), 'show evpn mac vni 6600 json');
      assert.equal(macs.macs?.[MAC['vm-m']]?.remoteVtep, VTEP['hv-m'], "hv-b installed vm-m's MAC at hv-m");
    });

    it("GoBGP holds every VTEP's type-2 and type-3 routes, and FRR gets them from it with next hops unchanged", async () => {
      const rib = await waitFor('every host MAC in GoBGP', async () => {
        const r = await gobgpRib();
        const macs = r.filter(([t]) => t === 2).map(([, , mac]) => mac);
        return Object.values(MAC).every((m) => macs.includes(m)) ? r : undefined;
      });
      const imets = rib.filter(([t]) => t === 3).map(([, rd, ip, nh]) => [rd.split(':')[0], ip, nh]);
      assert.deepEqual(
        imets.sort(),
        Object.values(VTEP).map((v) => [v, v, v]),
      );
      // on hv-a, hv-b's type-3 route came from GoBGP (peerId) with hv-b as next hop
      const routes = await vtyshJson(ns('hv-a'), 'show bgp l2vpn evpn route type multicast json');
      const paths = Object.values(routes)
        .filter((v: any) => typeof v === 'object' && v !== null)
        .flatMap((rd: any) => Object.values(rd).filter((p: any) => typeof p === 'object' && p?.paths))
        .flatMap((p: any) => p.paths.flat());
      const fromB = paths.find((p: any) => p.ip === VTEP['hv-b']);
      assert.equal(fromB?.peerId, RR, 'learned from GoBGP');
      assert.equal(fromB?.nexthops?.[0]?.ip, VTEP['hv-b'], 'next hop unchanged by the reflector');
      const macs = await vtyshJson(ns('hv-a'), 'show evpn mac vni 6600 json');
      assert.equal(macs.macs?.[MAC['vm-b']]?.remoteVtep, VTEP['hv-b']);
    });
  });
}
