// Kernel diff for VRFs: creation order, router/anycast MACs, gateway
// addresses (nodad for IPv6), uplinks, no-ops, repairs and the L3VNI hold-back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyKernel } from '../../src/apply/kernel-apply.ts';
import { diffKernel } from '../../src/apply/kernel-diff.ts';
import { eui64LinkLocal } from '../../src/render/address.ts';
import { type DevicePlan, planDevices } from '../../src/render/devices.ts';
import { validateYaml } from '../../src/resources/validate.ts';
import type { Kernel } from '../../src/system/kernel.ts';
import type { ObservedLink } from '../../src/system/parse-ip-link.ts';
import { translate } from '../../src/translate/translate.ts';
import { testFile } from '../helpers/fixtures.ts';

const SYM = testFile('vrf/fixtures/irb-symmetric.fabric.yaml');
const plan = (node: string) => planDevices(translate(validateYaml(SYM).resources, node));

// The links a kernel has after a plan was applied completely.
function applied(p: DevicePlan, extra: ObservedLink[] = []): ObservedLink[] {
  const links: ObservedLink[] = p.devices.map((d) => {
    if (d.kind === 'vrf')
      return {
        name: d.name,
        kind: 'vrf',
        mtu: 65575,
        up: true,
        operUp: true,
        alias: d.owner,
        vrfTable: d.table,
        addrGenMode: 'eui64',
      };
    if (d.kind === 'bridge')
      return {
        name: d.name,
        kind: 'bridge',
        mtu: d.mtu,
        up: true,
        operUp: true,
        alias: d.owner,
        addrGenMode: 'none',
        address: d.mac ?? '02:00:00:00:00:99',
        ...(d.master ? { master: d.master } : {}),
        addresses: [...(d.addresses ?? [])],
      };
    if (d.kind !== 'vxlan') throw new Error(`no observed form for a ${d.kind} device here`);
    return {
      name: d.name,
      kind: 'vxlan',
      mtu: d.mtu,
      up: true,
      operUp: true,
      alias: d.owner,
      addrGenMode: 'none',
      master: d.master,
      vxlan: { vni: d.vni, local: d.local, dstport: d.dstport, learning: false },
      bridgePort: { learning: d.learning, neighSuppress: d.neighSuppress },
    };
  });
  for (const p2 of p.ports)
    links.push({
      name: p2.name,
      kind: 'veth',
      mtu: 1500,
      up: true,
      operUp: true,
      master: p2.master,
      addresses: [...(p2.addresses ?? [])],
    });
  return [...links, ...extra];
}

describe('kernel diff: VRFs', () => {
  it('creates the VRF, then bridges in it with their MACs, then addresses (IPv6 nodad), then brings links up', () => {
    const p = plan('hv-east');
    const c = diffKernel(p, [{ name: 'tap-a', kind: 'veth', mtu: 1500, up: true, operUp: true }], []);
    const b = c.ipBatch;
    const idx = (line: string) => b.indexOf(line);
    assert.ok(idx('link add name red type vrf table 4010') >= 0, b.join('\n'));
    assert.ok(idx('link add name red type vrf table 4010') < idx('link add name apps mtu 1450 type bridge'));
    assert.ok(
      b.includes(
        'link set dev apps alias routerd-evpn:EVPNNetwork/apps addrgenmode none address 00:00:5e:00:01:0a master red',
      ),
      b.join('\n'),
    );
    assert.ok(
      b.some((l) =>
        /^link set dev l3vni4010 alias routerd-evpn:EVPNVRF\/red addrgenmode none address 02:[0-9a-f:]+ master red$/.test(
          l,
        ),
      ),
      b.join('\n'),
    );
    assert.ok(idx('address replace 172.16.10.1/24 dev apps') > idx('link set dev tap-a master apps'));
    assert.ok(b.includes('address replace fd10:10::1/64 dev apps nodad'));
    assert.equal(
      b.some((l) => l.startsWith('address replace') && l.includes('l3vni4010')),
      false,
      'the L3VNI SVI has no address',
    );
    assert.ok(idx('link set dev red up') > idx('address replace fd10:10::1/64 dev apps nodad'));
  });

  it('does nothing when the kernel already matches', () => {
    const p = plan('gw-a');
    const c = diffKernel(p, applied(p), p.ports);
    assert.deepEqual(c.ipBatch, []);
    assert.deepEqual(c.bridgeBatch, []);
  });

  it('repairs a lost gateway address, a changed MAC and a bridge taken out of its VRF, and only those', () => {
    const p = plan('hv-west');
    const links = applied(p).map((l) => {
      if (l.name === 'data')
        return {
          ...l,
          addresses: ['172.16.20.1/24', '172.16.99.1/24'],
          address: '02:11:11:11:11:11',
          master: undefined,
        };
      return l;
    });
    const c = diffKernel(p, links, p.ports);
    const dataMac = p.devices.find((d) => d.name === 'data' && d.kind === 'bridge');
    assert.deepEqual(c.ipBatch, [
      `link set dev data address ${dataMac?.kind === 'bridge' ? dataMac.mac : ''} master red`,
      'address del 172.16.99.1/24 dev data',
      'address replace fd10:20::1/64 dev data nodad',
      `address replace ${eui64LinkLocal(dataMac?.kind === 'bridge' ? dataMac.mac! : '')} dev data nodad`,
    ]);
  });

  it('recreates a VRF whose table changed and re-enslaves its bridges', () => {
    const p = plan('hv-east');
    const links = applied(p).map((l) => (l.name === 'blue' ? { ...l, vrfTable: 999 } : l));
    const c = diffKernel(p, links, p.ports);
    assert.ok(c.ipBatch.includes('link del dev blue'));
    assert.ok(c.ipBatch.includes('link add name blue type vrf table 4020'));
    assert.ok(
      c.ipBatch.some((l) => l.startsWith('link set dev blue-apps') && l.endsWith('master blue')),
      c.ipBatch.join('\n'),
    );
    assert.ok(
      c.ipBatch.some((l) => l.startsWith('link set dev l3vni4020') && l.endsWith('master blue')),
      c.ipBatch.join('\n'),
    );
  });

  it('enslaves an exit uplink to the VRF and adds only its missing addresses; detaching removes only ours', () => {
    const p = plan('gw-a');
    const links = applied(p).map((l) =>
      l.name === 'up-red' ? { ...l, master: undefined, addresses: ['192.0.2.1/30', '10.99.0.1/24'] } : l,
    );
    const c = diffKernel(p, links, []);
    assert.deepEqual(c.ipBatch, [
      'link set dev up-red master red',
      'address replace 2001:db8:a::1/64 dev up-red nodad',
    ]);
    const withoutExit: DevicePlan = { devices: p.devices, ports: [] };
    const d = diffKernel(withoutExit, applied(p), p.ports);
    assert.deepEqual(d.ipBatch, [
      'address del 192.0.2.1/30 dev up-red',
      'address del 2001:db8:a::1/64 dev up-red',
      'link set dev up-red nomaster',
    ]);
  });

  it('holds back a new L3VNI VXLAN device until after the FRR reload', async () => {
    const p = plan('hv-east');
    const have = applied(p).filter((l) => !l.name.startsWith('vxlan40'));
    const batches: string[][] = [];
    const kernel = {
      readLinks: async () => have,
      ipBatch: async (lines: string[]) => {
        batches.push(lines);
        return undefined;
      },
      bridgeBatch: async () => undefined,
    } as unknown as Kernel;
    const first = await applyKernel(kernel, p, p.ports, { beforeFrrReload: true });
    assert.deepEqual(first.changes.heldBack, ['vxlan4010', 'vxlan4020']);
    assert.equal(first.writes, 0, 'nothing else to do in the first pass');
    const second = await applyKernel(kernel, p, p.ports, {});
    assert.ok(
      second.changes.ipBatch.some((l) => l.startsWith('link add name vxlan4010 ')),
      second.changes.ipBatch.join('\n'),
    );
  });
  it('keeps the devices of a removed VRF until after the FRR reload, then deletes them', async () => {
    const withoutBlue = SYM.split(/^---\n/m)
      .filter((d) => !/name: blue\}|name: blue-apps\}/.test(d))
      .join('---\n');
    const p = planDevices(translate(validateYaml(withoutBlue).resources, 'hv-east'));
    const have = applied(plan('hv-east'));
    const blue = have.filter((l) => l.alias === 'routerd-evpn:EVPNVRF/blue').map((l) => l.name);
    assert.deepEqual(blue.sort(), ['blue', 'l3vni4020', 'vxlan4020']);
    const kernel = {
      readLinks: async () => have,
      ipBatch: async () => undefined,
      bridgeBatch: async () => undefined,
    } as unknown as Kernel;
    const first = await applyKernel(kernel, p, p.ports, { beforeFrrReload: true });
    assert.deepEqual(first.changes.keptForNow?.sort(), blue);
    const deleted = (c: { ipBatch: string[] }) => c.ipBatch.filter((l) => l.startsWith('link del dev '));
    // blue's network goes at once (an L2VNI: FRR needs nothing first); the VRF's own devices wait
    assert.ok(deleted(first.changes).length > 0, 'the network blue-apps is deleted in the first pass');
    for (const name of blue) assert.ok(!deleted(first.changes).includes(`link del dev ${name}`), name);
    const second = await applyKernel(kernel, p, p.ports, {});
    for (const name of blue) assert.ok(deleted(second.changes).includes(`link del dev ${name}`), name);
    assert.deepEqual(second.changes.keptForNow, []);
  });
});

describe('IPv6 anycast gateway link-local', () => {
  it('is the EUI-64 address of the gateway MAC, canonical as the kernel prints it', () => {
    assert.equal(eui64LinkLocal('00:00:5e:00:01:0a'), 'fe80::200:5eff:fe00:10a/64');
    assert.equal(eui64LinkLocal('02:00:5e:10:01:00'), 'fe80::5eff:fe10:100/64');
    assert.equal(eui64LinkLocal('AA:BB:CC:DD:EE:FF'), 'fe80::a8bb:ccff:fedd:eeff/64');
  });
});
