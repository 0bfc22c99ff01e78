// The FRR-configuration-as-facts reader of the Proxmox conformance harness
// (test/conformance/frr-config.ts), on pve-network's own expected configs
// (read in place from ../shared) and on this project's goldens: contexts,
// BGP instances, and neighbors with their peer groups expanded.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { bgpInstances, parseFrrConfig } from '../conformance/frr-config.ts';
import { applyRouteMap, type TestRoute } from '../conformance/route-policy.ts';

const pve = (c: string) =>
  readFileSync(new URL(`../../../shared/conformance/pve-sdn/${c}/expected_controller_config`, import.meta.url), 'utf8');
const golden = (c: string) => readFileSync(new URL(`../golden/${c}/expected.frr.conf`, import.meta.url), 'utf8');

describe('FRR configuration as facts', () => {
  it('contexts: top-level blocks with their lines, address families and VNIs as sub-contexts', () => {
    const blocks = parseFrrConfig(pve('bgp_ebgp_multihop'));
    assert.deepEqual(
      blocks.map((b) => b.header),
      [
        'frr version 10.4.1',
        'frr defaults datacenter',
        'hostname localhost',
        'log syslog informational',
        'service integrated-vtysh-config',
        'vrf vrf_myzone',
        'router bgp 65000',
        'router bgp 65000 vrf vrf_myzone',
        'ip prefix-list loopbacks_ips seq 10 permit 0.0.0.0/0 le 32',
        'route-map MAP_VTEP_IN permit 1',
        'route-map MAP_VTEP_OUT permit 1',
        'route-map correct_src permit 1',
        'ip protocol bgp route-map correct_src',
        'line vty',
      ],
    );
    assert.deepEqual(blocks.find((b) => b.header === 'vrf vrf_myzone')?.lines, ['vni 1000']);
    assert.deepEqual(blocks.find((b) => b.header === 'route-map correct_src permit 1')?.lines, [
      'match ip address prefix-list loopbacks_ips',
      'set src 192.168.0.1',
    ]);
    const bgp = blocks.find((b) => b.header === 'router bgp 65000');
    assert.deepEqual(
      bgp?.children.map((c) => c.header),
      ['address-family ipv4 unicast', 'address-family l2vpn evpn'],
    );
  });

  it("Proxmox's peer groups expand onto their members; group and member lines merge per family", () => {
    const [main, vrf] = bgpInstances(parseFrrConfig(pve('bgp_ebgp_multihop')));
    assert.deepEqual(Object.keys(main?.neighbors ?? {}), [
      '192.168.0.2',
      '192.168.0.252',
      '192.168.0.253',
      '192.168.0.3',
    ]);
    assert.deepEqual(main?.neighbors['192.168.0.2'], {
      remoteAs: '65000',
      options: ['bfd', 'update-source lo'],
      families: { 'l2vpn evpn': ['activate', 'route-map MAP_VTEP_IN in', 'route-map MAP_VTEP_OUT out'] },
    });
    assert.deepEqual(main?.neighbors['192.168.0.252'], {
      remoteAs: 'external',
      options: ['bfd', 'ebgp-multihop 5'],
      families: { 'ipv4 unicast': ['activate', 'soft-reconfiguration inbound'] },
    });
    assert.deepEqual(main?.families, {
      'ipv4 unicast': ['network 192.168.0.1/32'],
      'l2vpn evpn': ['advertise-all-vni'],
    });
    assert.ok(main?.settings.includes('bgp router-id 192.168.0.1'));
    assert.equal(vrf?.vrf, 'vrf_myzone');
    assert.deepEqual(vrf?.neighbors, {});
  });

  it('the goldens read the same way: BGP-unnumbered interfaces in a peer group, VRF instances', () => {
    const [leaf] = bgpInstances(parseFrrConfig(golden('clos-leaf')));
    assert.deepEqual(Object.keys(leaf?.neighbors ?? {}), ['ens1f0', 'ens1f1', 'ens2f0']);
    assert.deepEqual(leaf?.neighbors.ens1f0, {
      remoteAs: 'external',
      options: ['interface'],
      families: {
        'ipv4 unicast': ['activate', 'route-map RDEVPN-PERMIT-ALL in', 'route-map RDEVPN-PERMIT-ALL out'],
        'l2vpn evpn': ['activate', 'route-map RDEVPN-PERMIT-ALL in', 'route-map RDEVPN-PERMIT-ALL out'],
      },
    });
    const exit = bgpInstances(parseFrrConfig(golden('host-exit-primary')));
    assert.deepEqual(
      exit.map((i) => i.vrf ?? 'default'),
      ['default', 'other', 'tenant'],
    );
    assert.deepEqual(exit[0]?.families['ipv4 unicast'], ['import vrf tenant']);
    // an L2VNI's own RD and route targets: a third level inside l2vpn evpn
    const [rt] = bgpInstances(parseFrrConfig(golden('rd-rt-explicit')));
    const evpn = rt?.families['l2vpn evpn'] ?? [];
    assert.ok(evpn.includes('vni 100: rd 10.0.0.1:100'), evpn.join('\n'));
    assert.ok(evpn.includes('vni 300: route-target import 65001:300'), evpn.join('\n'));
    assert.ok(evpn.includes('advertise-all-vni'));
    assert.deepEqual(exit[2]?.families['l2vpn evpn'], [
      'advertise ipv4 unicast',
      'advertise ipv6 unicast',
      'default-originate ipv4',
      'default-originate ipv6',
    ]);
  });
});

describe('route-maps evaluated on test routes', () => {
  const route = (prefix: string | undefined, rt: string): TestRoute => ({
    label: prefix ?? 'type-2',
    type: prefix ? 'prefix' : 'macip',
    ...(prefix ? { prefix } : {}),
    rts: [rt],
  });

  it("Proxmox's MAP_VTEP_IN on an exit denies type-5 defaults by prefix list, whatever their VRF", () => {
    const blocks = parseFrrConfig(pve('exitnode'));
    assert.equal(applyRouteMap(blocks, 'MAP_VTEP_IN', route('0.0.0.0/0', '65000:1000')), 'deny');
    assert.equal(applyRouteMap(blocks, 'MAP_VTEP_IN', route('::/0', '65000:9999')), 'deny');
    assert.equal(applyRouteMap(blocks, 'MAP_VTEP_IN', route('10.0.0.0/24', '65000:1000')), 'permit');
    assert.equal(applyRouteMap(blocks, 'MAP_VTEP_IN', route(undefined, '65000:1000')), 'permit');
    assert.equal(applyRouteMap(blocks, undefined, route('0.0.0.0/0', '65000:1000')), 'permit', 'no route-map');
  });

  it("the daemon's policies match a VRF's defaults by route target and set the primary's local preference", () => {
    const blocks = parseFrrConfig(golden('host-exit-primary'));
    assert.equal(applyRouteMap(blocks, 'RDEVPN-EVPN-IN', route('0.0.0.0/0', '65000:1000')), 'deny');
    assert.equal(applyRouteMap(blocks, 'RDEVPN-EVPN-IN', route('0.0.0.0/0', '65000:1001')), 'permit', 'another VRF');
    assert.equal(applyRouteMap(blocks, 'RDEVPN-EVPN-IN', route('10.0.0.0/24', '65000:1000')), 'permit');
    assert.equal(applyRouteMap(blocks, 'RDEVPN-EXIT-OUT', route('::/0', '65000:1000')), 'permit, local-preference 200');
    assert.equal(applyRouteMap(blocks, 'RDEVPN-EXIT-OUT', route(undefined, '65000:1000')), 'permit');
  });

  it('a clause it does not model is an error, not a guess', () => {
    const blocks = parseFrrConfig('route-map X permit 10\n match tag 7\nexit\n');
    assert.throws(() => applyRouteMap(blocks, 'X', route('0.0.0.0/0', '1:1')), /not modelled: match tag 7/);
  });
});
