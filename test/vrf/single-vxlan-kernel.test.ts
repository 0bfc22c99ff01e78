// The single VXLAN device on a real kernel: in a network namespace this test
// creates (and deletes by its exact name), the daemon's own Kernel adapter
// probes, applies a `single` plan, reads it back (vnifilter, VLAN -> VNI
// tunnels, vnifilter VNIs, learning off, neigh_suppress and vlan_tunnel on,
// the port's PVID), checks a second apply writes nothing, and switches the
// node to perVni and back. Needs root. On a kernel without VLAN-aware
// bridges (CONFIG_BRIDGE_VLAN_FILTERING) it checks that the probe says so and
// skips the rest; the lab VM has them:
//   npm run lab -- run --vm -- node --import tsx --test test/vrf/single-vxlan-kernel.test.ts
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { applyKernel } from '../../src/apply/kernel-apply.ts';
import type { PlannedPort } from '../../src/render/devices.ts';
import { planDevices } from '../../src/render/devices.ts';
import { validateYaml } from '../../src/resources/validate.ts';
import { type Runner, run } from '../../src/system/exec.ts';
import { Kernel } from '../../src/system/kernel.ts';
import { probeSingleVxlan, type SingleVxlanSupport } from '../../src/system/kernel-probe.ts';
import { translate } from '../../src/translate/translate.ts';
import { fabricOn, network, stream, THREE_LEAVES } from '../helpers/resources.ts';

const NS = `rdx-svd-it-${process.pid}`;
const root = process.getuid?.() === 0;
const inNs: Runner = (file, args, options) => run('ip', ['netns', 'exec', NS, file, ...args], options);
const kernel = new Kernel(inNs);
let support: SingleVxlanSupport | undefined;

const fabric = fabricOn(THREE_LEAVES);
const input = (mode: string) =>
  stream(
    fabric({ vxlanDevice: mode }),
    network('blue', { vni: 100, ports: [{ node: 'leaf1', interface: 'tap-b' }] }),
    network('green', { vni: 10100, arpNdSuppression: true }),
  );
const planOf = (mode: string) => {
  const r = validateYaml(input(mode));
  assert.deepEqual(r.issues, []);
  return planDevices(translate(r.resources, 'leaf1'));
};

before(async () => {
  if (!root) return;
  const add = await run('ip', ['netns', 'add', NS]);
  assert.equal(add.exitCode, 0, add.stderr);
  // The access port: one end of a veth pair (the other end stands for the VM).
  const veth = await inNs('ip', ['link', 'add', 'tap-b', 'type', 'veth', 'peer', 'name', 'tap-b-vm']);
  assert.equal(veth.exitCode, 0, veth.stderr);
  support = await probeSingleVxlan(kernel);
});

after(async () => {
  if (root) await run('ip', ['netns', 'del', NS]);
});

test('the probe leaves nothing behind and says what this kernel can do', { skip: !root && 'needs root' }, async () => {
  const links = await kernel.readLinksOnly();
  assert.deepEqual(
    links.filter((l) => l.name.startsWith('rdx-probe')).map((l) => l.name),
    [],
  );
  assert.ok(support);
  if (!support.supported) assert.match(support.problems.join('\n'), /VLAN-aware bridge|vnifilter|bridge vni/);
});

test('a single plan applied, read back, applied again with no writes, switched to perVni and back', async (t) => {
  if (!root) return t.skip('needs root');
  if (!support?.supported)
    return t.skip(`this kernel cannot run the single VXLAN device: ${support?.problems.join('; ')}`);
  let ports: PlannedPort[] = [];
  const apply = async (mode: string) => {
    const r = await applyKernel(kernel, planOf(mode), ports);
    ports = r.changes.attachedPorts;
    return r;
  };
  const first = await apply('single');
  assert.ok(first.writes > 0);
  const links = await kernel.readLinks();
  const by = (n: string) => links.find((l) => l.name === n);
  assert.equal(by('br-evpn')?.vlanFiltering, true);
  assert.equal(by('vxlan-evpn')?.vxlan?.vnifilter, true);
  assert.equal(by('vxlan-evpn')?.master, 'br-evpn');
  assert.deepEqual(by('vxlan-evpn')?.bridgePort, { learning: false, neighSuppress: true, vlanTunnel: true });
  assert.equal(by('tap-b')?.master, 'br-evpn');
  const b = await kernel.readBridgeVlans();
  assert.deepEqual(b.tunnels['vxlan-evpn'], [
    { vid: 100, vni: 100 },
    { vid: 1912, vni: 10100 },
  ]);
  assert.deepEqual(b.vnis['vxlan-evpn'], [100, 10100]);
  assert.deepEqual(b.vlans['tap-b'], [{ vid: 100, pvid: true, untagged: true }]);

  assert.equal((await apply('single')).writes, 0, 'a second apply of the same plan writes nothing');

  const per = await apply('perVni');
  assert.ok(per.writes > 0);
  const after = await kernel.readLinks();
  assert.deepEqual(
    after.filter((l) => ['br-evpn', 'vxlan-evpn'].includes(l.name)),
    [],
  );
  assert.equal(after.find((l) => l.name === 'tap-b')?.master, 'blue');
  assert.equal((await apply('perVni')).writes, 0);

  await apply('single');
  assert.equal((await apply('single')).writes, 0, 'back to single converges too');
  assert.deepEqual((await kernel.readBridgeVlans()).vlans['tap-b'], [{ vid: 100, pvid: true, untagged: true }]);
});
