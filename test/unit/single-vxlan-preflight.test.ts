// The single VXLAN device's pre-flight through the real daemon over the fake
// tools: FRR 8.4 (or a kernel that cannot) is refused before anything is
// touched, and the EVPNFabric's status says why; FRR 10.3 with a kernel that
// can goes on to create the devices.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { API_PREFIX as API, CONTROL_API_VERSION as V } from '../../src/api/paths.ts';
import { PROBE_BRIDGE, PROBE_VXLAN } from '../../src/system/kernel-probe.ts';
import { type FakeDaemon, startFakeDaemon } from '../helpers/fake-daemon.ts';
import { docs, FABRIC, networkYaml } from '../helpers/recorded-fabric.ts';

const SINGLE = docs(
  FABRIC.replace('  asn: 65000\n', '  asn: 65000\n  vxlanDevice: single\n'),
  networkYaml('blue', 100),
);
const open: FakeDaemon[] = [];
after(async () => {
  for (const d of open) await d.close();
});

async function daemonWith(frr: string, probeLinks: object[]): Promise<FakeDaemon> {
  const d = await startFakeDaemon();
  open.push(d);
  await d.fake.setVtysh('show version', `FRRouting ${frr} (rec-a) on Linux(6.1.0-57-amd64).\n`);
  await import('node:fs/promises').then((fs) =>
    fs.writeFile(d.fake.file('probe-links.json'), JSON.stringify(probeLinks)),
  );
  return d;
}

const apply = (d: FakeDaemon) =>
  d.inject('POST', `${API}/apply`, { apiVersion: V, kind: 'ApplyRequest', candidateYaml: SINGLE });

const preflightOf = async (d: FakeDaemon) => {
  const fabric = await d.inject('GET', `${API}/describe?target=EVPNFabric/lab`);
  const status = fabric.body.resource.status;
  return { phase: status.phase, c: status.conditions.find((x: { type: string }) => x.type === 'PreflightPassed') };
};

// What `ip -j -d link show` prints for the probe's devices on a kernel that can.
const CAPABLE = [
  {
    ifname: PROBE_BRIDGE,
    mtu: 1500,
    flags: ['BROADCAST'],
    linkinfo: { info_kind: 'bridge', info_data: { vlan_filtering: 1, vlan_default_pvid: 0 } },
  },
  {
    ifname: PROBE_VXLAN,
    mtu: 1500,
    flags: ['BROADCAST'],
    master: PROBE_BRIDGE,
    linkinfo: { info_kind: 'vxlan', info_data: { external: true, vnifilter: true, id: 0, port: 64789 } },
  },
];

test('FRR 8.4: refused before the kernel and FRR are touched; the fabric says why', async () => {
  const d = await daemonWith('8.4.4', CAPABLE);
  const res = await apply(d);
  assert.equal(res.status, 200);
  assert.equal(res.body.result.phase, 'Failed');
  const { phase, c } = await preflightOf(d);
  assert.equal(phase, 'Error');
  assert.equal(c.status, 'False');
  assert.equal(c.reason, 'FRRTooOld');
  assert.match(c.message, /needs FRR >= 9\.0; this node runs FRR 8\.4\.4; nothing was changed/);
  assert.equal(
    await d.fake.read('ip-batch.log'),
    undefined,
    'no ip batch at all (not even the probe before FRR passed)',
  );
  assert.equal(await d.fake.read('reload.log'), undefined, 'FRR not reloaded');
});

test('a kernel without VLAN-aware bridges: refused, the kernel probe cleaned up after itself', async () => {
  const d = await daemonWith('10.3', []);
  await apply(d);
  const { c } = await preflightOf(d);
  assert.equal(c.reason, 'KernelUnsupported');
  assert.match(c.message, /VLAN-aware bridge cannot be created/);
  const ip = (await d.fake.read('ip-batch.log')) ?? '';
  assert.ok(ip.trimEnd().endsWith(`link del dev ${PROBE_VXLAN}\nlink del dev ${PROBE_BRIDGE}`), ip);
  assert.ok(!ip.includes('vxlan-evpn'), 'no device of the plan was created');
  assert.equal(await d.fake.read('reload.log'), undefined);
});

test('FRR 10.3 and a capable kernel: passed, and the shared devices and VLAN mapping are written', async () => {
  const d = await daemonWith('10.3', CAPABLE);
  const res = await apply(d);
  assert.equal(res.status, 200);
  const { c } = await preflightOf(d);
  assert.equal(c.status, 'True', c.message);
  const ip = (await d.fake.read('ip-batch.log')) ?? '';
  assert.match(ip, /link add name vxlan-evpn mtu 1450 type vxlan local 10\.99\.1\.1 dstport 4789 external vnifilter/);
  const br = (await d.fake.read('bridge-batch.log')) ?? '';
  assert.match(br, /vlan add dev vxlan-evpn vid 100 tunnel_info id 100\nvni add dev vxlan-evpn vni 100/);
  // The probe ran once for the daemon's life: a second reconcile does not probe again.
  const probes = () => d.fake.calls.filter((x) => x.file === 'ip' && x.args.join(' ') === '-j -d link show').length;
  const before = probes();
  await d.daemon.reconciler.trigger('resync');
  assert.equal(probes(), before);
});
