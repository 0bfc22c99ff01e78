// The loopback of a routed underlay in the kernel diff: the VTEP address goes
// on lo (a port with no master: never enslaved), nothing else there is
// touched, a second run writes nothing, and only the address the daemon put
// there is taken off again when the fabric stops being routed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { diffKernel } from '../../src/apply/kernel-diff.ts';
import { planDevices } from '../../src/render/devices.ts';
import { validateYaml } from '../../src/resources/validate.ts';
import type { ObservedLink } from '../../src/system/parse-ip-link.ts';
import { translate } from '../../src/translate/translate.ts';

const CLOS = readFileSync(new URL('../../lab/clos-fabric.fabric.yaml', import.meta.url), 'utf8');
const planOf = (text: string, node: string) => planDevices(translate(validateYaml(text).resources, node));
const lo = (addresses: string[]): ObservedLink => ({
  name: 'lo',
  kind: 'loopback',
  mtu: 65536,
  up: true,
  operUp: true,
  addresses,
});

test('a spine: the VTEP address on lo, nothing enslaved, no device', () => {
  const p = planOf(CLOS, 'spine1');
  assert.deepEqual(p.devices, []);
  const d = diffKernel(p, [lo(['127.0.0.1/8', '::1/128'])], []);
  assert.deepEqual(d.ipBatch, ['address replace 10.1.0.1/32 dev lo']);
  assert.deepEqual(d.summary, ['+ address 10.1.0.1/32 on port lo']);
  assert.deepEqual(
    d.attachedPorts.map((x) => [x.name, x.master, x.addresses]),
    [['lo', undefined, ['10.1.0.1/32']]],
  );
});

test('a second run writes nothing; a flat fabric takes only our address off lo again', () => {
  const p = planOf(CLOS, 'spine1');
  const have = [lo(['127.0.0.1/8', '10.1.0.1/32', '192.0.2.99/32', '::1/128'])];
  const again = diffKernel(p, have, p.ports);
  assert.deepEqual([again.ipBatch, again.bridgeBatch], [[], []]);
  const flat = diffKernel({ devices: [], ports: [] }, have, p.ports);
  assert.deepEqual(flat.ipBatch, ['address del 10.1.0.1/32 dev lo']);
});
