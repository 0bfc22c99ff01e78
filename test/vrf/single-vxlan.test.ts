// The single VXLAN device on real FRR 10.3 and real VRF devices (runs where the
// kernel has VRFs and VLAN-aware bridges: the lab VM, through vrf-suite). Two
// leaves with one `external vnifilter` device each carry an L2VNI across
// leaves and route over the L3VNI; a leaf switched to per-VNI devices keeps
// talking to one on a single device; an FRR 8.4 node refuses `single` and is
// left untouched until it is switched to per-VNI devices.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, labDown, labUp } from '../../lab/lab.ts';
import { IMAGE_8_4, IMAGE_10_3, variantTopology } from '../helpers/frr-variants.ts';
import {
  api,
  applyBody,
  describeStatus,
  hasRoute,
  inNs,
  l3vniUp,
  labLog,
  links,
  ping,
  runningConfig,
  vtyshJson,
  waitFor,
} from '../helpers/lab-harness.ts';

const BASE_TOPO = fileURLToPath(new URL('./fixtures/irb.clab.yml', import.meta.url));
const FABRIC = fileURLToPath(new URL('./fixtures/irb-single.fabric.yaml', import.meta.url));
const ns = (node: string) => `clab-vrfirb-${node}`;
const LEAVES = ['hv-east', 'hv-west'];
const IMAGES = { sp1: IMAGE_10_3, 'hv-east': IMAGE_10_3, 'hv-west': IMAGE_10_3, 'gw-a': IMAGE_8_4 };
const pingFrom = (from: string, address: string, count: number) => ping(ns(from), address, count, 2);

async function bridgeJson(node: string, args: string[]): Promise<any[]> {
  const r = await inNs(ns(node), ['bridge', '-j', ...args]);
  assert.equal(r.exitCode, 0, r.stderr);
  return JSON.parse(r.stdout || '[]');
}

// VNI -> VLAN as the kernel maps them on vxlan-evpn (`bridge vlan tunnelshow`).
async function tunnels(node: string): Promise<Map<number, number>> {
  const out = await bridgeJson(node, ['vlan', 'tunnelshow', 'dev', 'vxlan-evpn']);
  const entries = out.flatMap((d: any) => d.tunnels ?? []);
  return new Map(entries.map((t: any) => [t.tunid, t.vlan]));
}

describe('single VXLAN device on FRR 10.3', { timeout: 1_500_000 }, () => {
  let lab: Lab;
  let fabricYaml: string;
  let TOPO: string;
  let removeTopology: () => void = () => undefined;
  const sock = (node: string) => lab.paths.socket(node);
  const status = (node: string, target: string) => describeStatus(sock(node), target);

  before(async () => {
    fabricYaml = await readFile(FABRIC, 'utf8');
    ({ file: TOPO, remove: removeTopology } = variantTopology(BASE_TOPO, { name: 'single', images: IMAGES }));
    await labDown({ topologyFile: TOPO });
    lab = await labUp({ topologyFile: TOPO, fabricFile: FABRIC, log: labLog });
    await waitFor(
      'sessions up and L3VNI 4010 up on both leaves',
      async () => {
        for (const node of LEAVES) {
          const sum = await vtyshJson(ns(node), 'show bgp l2vpn evpn summary json');
          if (sum.peers?.['10.30.0.1']?.state !== 'Established') return undefined;
          if (!(await l3vniUp(ns(node), 'red', 4010))) return undefined;
        }
        return true;
      },
      240_000,
      2000,
    );
    for (const host of ['vm-a', 'vm-c']) await pingFrom(host, '172.16.10.1', 1);
  });

  after(async () => {
    await labDown({ topologyFile: TOPO });
    removeTopology();
  });

  it('one VLAN-aware bridge and one vnifilter VXLAN device carry every VNI, learning off, ARP/ND suppressed', async () => {
    for (const node of LEAVES) {
      const byName = new Map((await links(ns(node))).map((l) => [l.ifname, l]));
      const vx = byName.get('vxlan-evpn');
      assert.ok(vx, `vxlan-evpn on ${node}`);
      assert.equal(vx.linkinfo.info_data.external, true);
      assert.equal(vx.linkinfo.info_data.vnifilter, true);
      assert.equal(vx.linkinfo.info_slave_data.learning, false);
      assert.equal(vx.linkinfo.info_slave_data.neigh_suppress, true);
      assert.equal(vx.linkinfo.info_slave_data.vlan_tunnel, true);
      assert.equal(vx.master, 'br-evpn');
      assert.equal(byName.get('br-evpn').linkinfo.info_data.vlan_filtering, 1);
      assert.equal(byName.has('vxlan110'), false, 'no per-VNI device');
      const vnis = (await bridgeJson(node, ['vni', 'show', 'dev', 'vxlan-evpn'])).flatMap((d: any) =>
        (d.vnis ?? []).map((v: any) => v.vni),
      );
      assert.deepEqual(vnis.sort(), [110, 120, 4010]);
      const map = await tunnels(node);
      assert.deepEqual([map.get(110), map.get(120), map.get(4010)], [110, 120, 4010]);
      // zebra found each VNI on the single device
      const zvnis = await vtyshJson(ns(node), 'show evpn vni json');
      assert.equal(zvnis['110']?.vxlanIf, 'vxlan-evpn', JSON.stringify(zvnis));
      assert.equal(byName.get('tap-a')?.master ?? byName.get('tap-c')?.master, 'br-evpn');
    }
    const st = await status('hv-east', 'EVPNNetwork/apps');
    assert.equal(st.phase, 'Ready', JSON.stringify(st.conditions));
    assert.deepEqual(st.frr.remoteVteps, ['10.30.0.12']);
  });

  it('L2 across leaves: vm-a (hv-east) pings vm-c (hv-west) in VNI 110', async () => {
    await waitFor(
      'vm-a reaches vm-c',
      async () => ((await pingFrom('vm-a', '172.16.10.50', 1)) ? true : undefined),
      60_000,
    );
    assert.equal(await pingFrom('vm-a', '172.16.10.50', 3), true);
  });

  it('symmetric IRB: vm-a (VNI 110) pings vm-b (VNI 120 on hv-west) across the L3VNI', async () => {
    await waitFor(
      'vm-a reaches vm-b',
      async () => ((await pingFrom('vm-a', '172.16.20.20', 1)) ? true : undefined),
      60_000,
    );
    await waitFor(
      'hv-east has vm-b host route in VRF red',
      async () => ((await hasRoute(ns('hv-east'), 'red', '172.16.20.20')) ? true : undefined),
      60_000,
    );
    const route = JSON.parse(
      (await inNs(ns('hv-east'), ['ip', '-j', 'route', 'show', 'vrf', 'red', '172.16.20.20'])).stdout,
    )[0];
    assert.equal(route.gateway, '10.30.0.12');
    assert.equal(route.dev, 'vlan4010', 'the L3VNI SVI on the single bridge');
    assert.equal(await pingFrom('vm-a', '172.16.20.20', 3), true);
  });

  it('applying the same file again writes nothing to the kernel and does not reload FRR', async () => {
    const r = await api(sock('hv-east'), 'POST', '/apply', applyBody(fabricYaml, { replace: true }));
    assert.equal(r.statusCode, 200, JSON.stringify(r.body));
    const fab = await status('hv-east', 'EVPNFabric/west-dc');
    assert.equal(fab.kernel.writes, 0, JSON.stringify(fab.kernel));
    assert.equal(fab.reload.result, 'Unchanged');
  });

  it('an FRR 8.4 node refuses single: FRRTooOld, and neither FRR nor the kernel is touched', async () => {
    const fab = await status('gw-a', 'EVPNFabric/west-dc');
    const pre = fab.conditions.find((c: any) => c.type === 'PreflightPassed');
    assert.equal(pre?.status, 'False', JSON.stringify(fab.conditions));
    assert.equal(pre.reason, 'FRRTooOld');
    const kinds = (await links(ns('gw-a'))).map((l) => l.linkinfo?.info_kind);
    assert.equal(kinds.includes('vxlan'), false);
    assert.equal(kinds.includes('bridge'), false);
    assert.doesNotMatch(await runningConfig(ns('gw-a')), /router bgp/);
  });

  it('mixed: hv-west and gw-a on per-VNI devices interoperate with hv-east on the single device', async () => {
    const mixed = fabricYaml
      .replace(
        '{name: hv-west, vtepAddress: 10.30.0.12}',
        '{name: hv-west, vtepAddress: 10.30.0.12, vxlanDevice: perVni}',
      )
      .replace('{name: gw-a, vtepAddress: 10.30.0.21}', '{name: gw-a, vtepAddress: 10.30.0.21, vxlanDevice: perVni}');
    assert.notEqual(mixed, fabricYaml);
    for (const node of ['sp1', 'hv-east', 'hv-west', 'gw-a']) {
      const r = await api(sock(node), 'POST', '/apply', applyBody(mixed, { replace: true }));
      assert.equal(r.statusCode, 200, JSON.stringify(r.body));
    }
    const west = new Map((await links(ns('hv-west'))).map((l) => [l.ifname, l]));
    assert.equal(west.has('vxlan-evpn'), false, 'the single device is gone from hv-west');
    assert.equal(west.get('vxlan110')?.linkinfo.info_data.id, 110);
    assert.equal(west.get('tap-c')?.master, west.get('vxlan110')?.master, 'vm-c moved to the per-VNI bridge');
    await waitFor(
      'vm-a (single) reaches vm-c (per-VNI) in VNI 110 again',
      async () => ((await pingFrom('vm-a', '172.16.10.50', 1)) ? true : undefined),
      120_000,
      2000,
    );
    await waitFor(
      'vm-a reaches vm-b across the L3VNI again',
      async () => ((await pingFrom('vm-a', '172.16.20.20', 1)) ? true : undefined),
      120_000,
      2000,
    );
    const gw = await status('gw-a', 'EVPNFabric/west-dc');
    assert.equal(gw.conditions.find((c: any) => c.type === 'PreflightPassed')?.status ?? 'True', 'True');
    assert.equal((await links(ns('gw-a'))).find((l) => l.ifname === 'vxlan130')?.linkinfo.info_data.id, 130);
  });
});
