// translate + planDevices for tenant VRFs: what one node gets, with defaults.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planDevices } from '../../src/render/devices.ts';
import { defaultRouterMac } from '../../src/resources/names.ts';
import { validateYaml } from '../../src/resources/validate.ts';
import { translate } from '../../src/translate/translate.ts';
import { testFile } from '../helpers/fixtures.ts';

const SYM = testFile('vrf/fixtures/irb-symmetric.fabric.yaml');
const ASYM = testFile('vrf/fixtures/irb-asymmetric.fabric.yaml');

function intentFor(yaml: string, node: string) {
  const v = validateYaml(yaml);
  assert.deepEqual(v.issues, []);
  return translate(v.resources, node)!;
}

describe('translate: symmetric IRB', () => {
  it('gives a hypervisor both VRFs with L3VNIs, a per-node router MAC and routed networks', () => {
    const i = intentFor(SYM, 'hv-east');
    assert.deepEqual(
      i.vrfs.map((v) => [v.name, v.table, v.l3vni?.vni, v.l3vni?.bridge, v.l3vni?.vxlanDevice]),
      [
        ['blue', 4020, 4020, 'l3vni4020', 'vxlan4020'],
        ['red', 4010, 4010, 'l3vni4010', 'vxlan4010'],
      ],
    );
    const red = i.vrfs.find((v) => v.name === 'red')!;
    assert.equal(red.l3vni?.routerMac, defaultRouterMac('west-dc', 'hv-east'));
    assert.notEqual(
      red.l3vni?.routerMac,
      intentFor(SYM, 'hv-west').vrfs[1]!.l3vni?.routerMac,
      'router MACs differ per node',
    );
    assert.deepEqual(red.networks, ['apps', 'data']);
    assert.equal(red.advertiseIpv4, true);
    assert.equal(red.advertiseIpv6, true, 'red has IPv6 gateways');
    assert.equal(i.vrfs.find((v) => v.name === 'blue')!.advertiseIpv6, false, 'blue has only IPv4');
    assert.equal(red.exit, undefined, 'hv-east is no exit');
    assert.deepEqual(i.forwarding, { ipv4: true, ipv6: true });
    const apps = i.l2vnis.find((v) => v.name === 'apps')!;
    assert.deepEqual(apps.gateway, { ipv4: ['172.16.10.1/24'], ipv6: ['fd10:10::1/64'], mac: '00:00:5e:00:01:0a' });
    const data = i.l2vnis.find((v) => v.name === 'data')!;
    assert.match(data.gateway!.mac, /^02:/, 'a derived, locally administered gateway MAC');
    assert.equal(
      data.gateway!.mac,
      intentFor(SYM, 'hv-west').l2vnis.find((v) => v.name === 'data')!.gateway!.mac,
      'the same anycast MAC on every node',
    );
  });

  it('gives the primary exit its uplink, static defaults and default-originate; the other exit is not primary', () => {
    const a = intentFor(SYM, 'gw-a').vrfs.find((v) => v.name === 'red')!;
    assert.deepEqual(a.exit, {
      interface: 'up-red',
      addresses: ['192.0.2.1/30', '2001:db8:a::1/64'],
      defaultRoutes: [
        { family: 'ipv4', nextHop: '192.0.2.2' },
        { family: 'ipv6', nextHop: '2001:db8:a::2' },
      ],
      originateDefault: ['ipv4', 'ipv6'],
      primary: true,
    });
    const b = intentFor(SYM, 'gw-b');
    assert.deepEqual(
      b.vrfs.map((v) => v.name),
      ['red'],
      'blue is restricted to the hypervisors',
    );
    assert.equal(b.vrfs[0]!.exit?.primary, false);
    assert.deepEqual(b.vrfs[0]!.exit?.originateDefault, ['ipv4']);
    assert.deepEqual(b.forwarding, { ipv4: true, ipv6: false });
  });

  it('gives the route reflector no VRFs', () => {
    const rr = intentFor(SYM, 'sp1');
    assert.deepEqual(rr.vrfs, []);
    assert.deepEqual(planDevices(rr).devices, []);
  });

  it('plans VRF devices, the L3VNI bridge with the router MAC in the VRF, gateway SVIs, and held-back L3VNI VXLANs', () => {
    const i = intentFor(SYM, 'gw-a');
    const plan = planDevices(i);
    const red = plan.devices.find((d) => d.name === 'red');
    assert.deepEqual(red, { kind: 'vrf', name: 'red', owner: 'routerd-evpn:EVPNVRF/red', table: 4010 });
    const svi = plan.devices.find((d) => d.name === 'l3vni4010');
    assert.equal(svi?.kind, 'bridge');
    assert.equal(svi?.kind === 'bridge' && svi.master, 'red');
    assert.equal(svi?.kind === 'bridge' && svi.addresses, undefined, 'the L3VNI SVI has no IP address');
    const vx = plan.devices.find((d) => d.name === 'vxlan4010');
    assert.equal(vx?.kind === 'vxlan' && vx.l3vni, true);
    assert.deepEqual(plan.ports, [
      {
        name: 'up-red',
        master: 'red',
        owner: 'routerd-evpn:EVPNVRF/red',
        addresses: ['192.0.2.1/30', '2001:db8:a::1/64'],
      },
    ]);
    const east = planDevices(intentFor(SYM, 'hv-east'));
    const apps = east.devices.find((d) => d.name === 'apps');
    assert.deepEqual(apps, {
      kind: 'bridge',
      name: 'apps',
      owner: 'routerd-evpn:EVPNNetwork/apps',
      mtu: 1450,
      master: 'red',
      mac: '00:00:5e:00:01:0a',
      addresses: ['172.16.10.1/24', 'fd10:10::1/64', 'fe80::200:5eff:fe00:10a/64'],
    });
  });
});

describe('translate: asymmetric IRB', () => {
  it('has VRF devices and gateway SVIs but no L3VNI and no type-5', () => {
    const i = intentFor(ASYM, 'hv-east');
    assert.deepEqual(
      i.vrfs.map((v) => [v.name, v.irb, v.l3vni, v.advertiseIpv4]),
      [
        ['blue', 'asymmetric', undefined, false],
        ['red', 'asymmetric', undefined, false],
      ],
    );
    const plan = planDevices(i);
    assert.equal(
      plan.devices.some((d) => d.name.startsWith('l3vni')),
      false,
    );
    assert.equal(plan.devices.find((d) => d.name === 'data')?.kind === 'bridge', true);
    assert.equal(
      translate(validateYaml(ASYM).resources, 'gw-a')!.vrfs.length,
      0,
      'the VRFs are restricted to the hypervisors',
    );
  });
});
