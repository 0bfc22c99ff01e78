// The FRR step against the stateful frr-reload stand-in: test, reload, verify;
// one more pass only for FRR's known ordering refusals (deleting a VRF's BGP
// instance before its L3VNI, an IS-IS router before its interfaces' lines),
// never for any other reload failure.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { applyFrrConfig } from '../../src/apply/frr-apply.ts';
import { Frr } from '../../src/system/frr.ts';
import { createFakeTools, type FakeTools } from '../helpers/fake-tools.ts';

const CONFIG =
  'router bgp 65001\n bgp router-id 192.0.2.1\n address-family l2vpn evpn\n  advertise-all-vni\n exit-address-family\nexit\n';
let fake: FakeTools;
let frr: Frr;
let file: string;

beforeEach(async () => {
  fake = await createFakeTools();
  frr = new Frr(fake.runner, { reloadScript: fake.reloadScript });
  file = join(fake.dir, 'new.conf');
  await writeFile(file, CONFIG);
});
afterEach(() => fake.cleanup());

const reloads = async () => ((await fake.read('reload.log')) ?? '').trim().split('\n').filter(Boolean);

test('a reload refused with "Please unconfigure l3vni" gets a second pass and is verified', async () => {
  await writeFile(
    fake.file('reload-refuse-once'),
    '"no router" we failed to remove this command\n% Please unconfigure l3vni 4020',
  );
  const result = await applyFrrConfig(frr, file);
  assert.equal(result.result, 'Reloaded');
  assert.equal((await reloads()).length, 2);
  assert.equal(await fake.read('running.conf'), CONFIG);
});

// Recorded from FRR 8.4's frr-reload.py moving a lab node from IS-IS to
// OpenFabric: `no router isis` went first, then the interface's line was refused.
test('an IS-IS underlay that goes: the refused interface line gets a second pass', async () => {
  await writeFile(
    fake.file('reload-refuse-once'),
    'Error type: validation\nError description: YANG error(s):\n Mandatory node "area-tag" instance does not exist.\n YANG path: Schema location "/frr-interface:lib/interface/frr-isisd:isis/area-tag".',
  );
  const result = await applyFrrConfig(frr, file);
  assert.equal(result.result, 'Reloaded');
  assert.equal((await reloads()).length, 2);
  assert.equal(await fake.read('running.conf'), CONFIG);
});

test('a VRF whose L3VNI goes: `no vni` runs in one vtysh session before the reload', async () => {
  const withRed = `vrf red\n vni 4000\nexit-vrf\n${CONFIG}router bgp 65001 vrf red\n bgp router-id 192.0.2.1\nexit\n`;
  await writeFile(fake.file('running.conf'), withRed);
  for (const cmd of ['configure terminal', 'vrf red', 'no vni 4000', 'exit-vrf', 'end'])
    await writeFile(fake.file(`vtysh-answers/${cmd.replaceAll(' ', '_')}.out`), '');
  const result = await applyFrrConfig(frr, file);
  assert.equal(result.result, 'Reloaded');
  const vtysh = ((await fake.read('vtysh.log')) ?? '').split('\n');
  assert.ok(
    vtysh.includes('-c configure terminal -c vrf red -c no vni 4000 -c exit-vrf -c end'),
    `vtysh calls: ${vtysh.join(' | ')}`,
  );
  assert.equal((await reloads()).length, 1);
  assert.equal(await fake.read('running.conf'), CONFIG);
});

test("a refused `no vni` stops the apply before the reload, with vtysh's answer", async () => {
  await writeFile(fake.file('running.conf'), `vrf red\n vni 4000\nexit-vrf\n${CONFIG}`);
  for (const cmd of ['configure terminal', 'vrf red', 'exit-vrf', 'end'])
    await writeFile(fake.file(`vtysh-answers/${cmd.replaceAll(' ', '_')}.out`), '');
  await writeFile(fake.file('vtysh-answers/no_vni_4000.out'), '% VNI 4000 is not configured\n');
  await assert.rejects(applyFrrConfig(frr, file), /vtysh refused the configuration .*: % VNI 4000 is not configured/);
  assert.deepEqual(await reloads(), []);
});

test('any other reload failure is reported as it is, with no second pass', async () => {
  await writeFile(fake.file('reload-refuse-once'), '% Unknown command: advertise-all-vnis');
  await assert.rejects(applyFrrConfig(frr, file), /exited with 1: % Unknown command: advertise-all-vnis/);
  assert.equal((await reloads()).length, 1);
  assert.equal(await fake.read('running.conf'), undefined);
});

test('an unchanged config is not reloaded', async () => {
  await writeFile(fake.file('running.conf'), CONFIG);
  const result = await applyFrrConfig(frr, file);
  assert.deepEqual([result.result, result.commands], ['Unchanged', 0]);
  assert.deepEqual(await reloads(), []);
});
