// SNAT's pure parts: which subnets an exit node translates (translate), to
// what (render/nft-snat.ts, with the host-routing egress read from the
// kernel's default routes: controller/snat-egress.ts), the nft script and
// its rules read back from recorded `nft list table` output, and the status.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ReconcileState } from '../../src/controller/reconcile-state.ts';
import { hostEgress } from '../../src/controller/snat-egress.ts';
import { nftRule, nftScript, snatRules } from '../../src/render/nft-snat.ts';
import { validateYaml } from '../../src/resources/validate.ts';
import { snatView } from '../../src/status/status-snat.ts';
import { parseNftRules } from '../../src/system/nft.ts';
import type { KernelRoute } from '../../src/system/parse-ip-route.ts';
import type { SnatIntent } from '../../src/translate/intent.ts';
import { translate } from '../../src/translate/translate.ts';

const FABRIC = `
apiVersion: evpn.routerd.net/v1alpha1
kind: EVPNFabric
metadata: {name: dc}
spec:
  asn: 65000
  nodes:
    - {name: hv1, vtepAddress: 192.0.2.1}
    - {name: gw1, vtepAddress: 192.0.2.2}
    - {name: pve1, vtepAddress: 192.0.2.3}
---
apiVersion: evpn.routerd.net/v1alpha1
kind: EVPNVRF
metadata: {name: red}
spec:
  l3vni: 4000
  exit:
    nodes: [gw1]
    uplinks:
      - {node: gw1, interface: up0, address: {ipv4: 203.0.113.2/30}, nextHop: {ipv4: 203.0.113.1}}
---
apiVersion: evpn.routerd.net/v1alpha1
kind: EVPNVRF
metadata: {name: blue}
spec:
  l3vni: 4001
  exit: {nodes: [pve1]}
---
apiVersion: evpn.routerd.net/v1alpha1
kind: EVPNNetwork
metadata: {name: apps}
spec: {vni: 100, vrf: red, nodes: [hv1], gateway: {ipv4: [10.1.0.1/24, 10.2.0.1/24], snat: true}}
---
apiVersion: evpn.routerd.net/v1alpha1
kind: EVPNNetwork
metadata: {name: web}
spec: {vni: 101, vrf: red, gateway: {ipv4: 10.3.0.1/24}}
---
apiVersion: evpn.routerd.net/v1alpha1
kind: EVPNNetwork
metadata: {name: guests}
spec: {vni: 200, vrf: blue, gateway: {ipv4: 10.9.0.1/24, ipv6: "fd00:9::1/64", snat: true}}
`;

describe('SNAT', () => {
  const checked = validateYaml(FABRIC);
  assert.deepEqual(checked.issues, []);
  const snatOn = (node: string) => translate(checked.resources, node)?.snat;

  it('an exit translates every snat subnet of the VRFs it exits, on its node or not; other nodes none', () => {
    assert.deepEqual(snatOn('gw1'), [
      {
        network: 'apps',
        vrf: 'red',
        family: 'ipv4',
        source: '10.1.0.0/24',
        egress: { interface: 'up0', address: '203.0.113.2' },
      },
      {
        network: 'apps',
        vrf: 'red',
        family: 'ipv4',
        source: '10.2.0.0/24',
        egress: { interface: 'up0', address: '203.0.113.2' },
      },
    ]);
    assert.deepEqual(snatOn('pve1'), [
      { network: 'guests', vrf: 'blue', family: 'ipv4', source: '10.9.0.0/24' },
      { network: 'guests', vrf: 'blue', family: 'ipv6', source: 'fd00:9::/64' },
    ]);
    assert.deepEqual(snatOn('hv1'), []);
  });

  it('a host-routing exit translates to its default route of each family, and says which have none', () => {
    const route = (family: 'ipv4' | 'ipv6', dst: string, over: Partial<KernelRoute> = {}): KernelRoute => ({
      family,
      table: 'main',
      tableId: 254,
      dst,
      type: 'unicast',
      protocol: 'static',
      flags: [],
      ...over,
    });
    const routes = [
      route('ipv4', '0.0.0.0/0', { dev: 'vmbr0', gateway: '192.168.0.254', metric: 100 }),
      route('ipv4', '0.0.0.0/0', { dev: 'backup0', gateway: '192.168.9.254', metric: 200 }),
      route('ipv4', '0.0.0.0/0', { dev: 'red', table: '4000', tableId: 4000 }), // a VRF's: not the host's
      route('ipv6', '::/0', { type: 'unreachable' }),
    ];
    const links = [
      { name: 'vmbr0', kind: 'bridge', mtu: 1500, up: true, flags: [], addresses: ['192.168.0.1/24', 'fe80::1/64'] },
      { name: 'backup0', kind: '', mtu: 1500, up: true, flags: [], addresses: ['192.168.9.1/24'] },
    ] as unknown as Parameters<typeof hostEgress>[1];
    const host = hostEgress(routes, links);
    assert.deepEqual(host, { ipv4: { interface: 'vmbr0', address: '192.168.0.1' } });
    const { rules, unrouted } = snatRules(snatOn('pve1') as SnatIntent[], host);
    assert.deepEqual(
      rules.map(nftRule),
      ['ip saddr 10.9.0.0/24 oifname "vmbr0" snat ip to 192.168.0.1'],
      'IPv6 never borrows the IPv4 source',
    );
    assert.deepEqual(
      unrouted.map((u) => u.source),
      ['fd00:9::/64'],
    );
    assert.deepEqual(hostEgress([route('ipv4', '0.0.0.0/0', { dev: 'vmbr0', prefsrc: '192.168.0.7' })], links), {
      ipv4: { interface: 'vmbr0', address: '192.168.0.7' },
    });
  });

  it('one nft transaction replaces the table; nft lists the rules back as rendered (recorded nft 1.0.6 output)', () => {
    const rules = snatRules(
      [
        { network: 'a', vrf: 'red', family: 'ipv4', source: '10.0.0.0/24' },
        { network: 'b', vrf: 'red', family: 'ipv6', source: '2a08:2142:302:3::/64' },
      ],
      { ipv4: { interface: 'lo', address: '192.168.0.1' }, ipv6: { interface: 'lo', address: '2001:db8::1' } },
    ).rules;
    assert.equal(
      nftScript(rules),
      [
        'table inet routerd_evpn',
        'delete table inet routerd_evpn',
        'table inet routerd_evpn {',
        '\tchain postrouting {',
        '\t\ttype nat hook postrouting priority srcnat; policy accept;',
        '\t\tip saddr 10.0.0.0/24 oifname "lo" snat ip to 192.168.0.1',
        '\t\tip6 saddr 2a08:2142:302:3::/64 oifname "lo" snat ip6 to 2001:db8::1',
        '\t}',
        '}',
        '',
      ].join('\n'),
    );
    assert.equal(nftScript([]), 'table inet routerd_evpn\ndelete table inet routerd_evpn\n');
    const listed = readFileSync(new URL('../fixtures/nft/list-table-routerd_evpn.txt', import.meta.url), 'utf8');
    assert.deepEqual(parseNftRules(listed), rules.map(nftRule));
  });

  it('status: each wanted subnet with its rule, or why there is none', () => {
    const wanted = snatOn('pve1') as SnatIntent[];
    const v = translate(checked.resources, 'pve1')?.vrfs.find((x) => x.name === 'blue');
    assert.ok(v);
    const state: ReconcileState['snat'] = {
      result: 'Applied',
      rules: ['ip saddr 10.9.0.0/24 oifname "vmbr0" snat ip to 192.168.0.1'],
      unrouted: ['fd00:9::/64 (no ipv6 default route)'],
    };
    const s = snatView(v, wanted, state);
    assert.deepEqual(s?.view, [
      { network: 'guests', source: '10.9.0.0/24', interface: 'vmbr0', to: '192.168.0.1', present: true },
      { network: 'guests', source: 'fd00:9::/64', present: false },
    ]);
    assert.equal(s?.condition.status, 'False');
    assert.match(
      s?.condition.message ?? '',
      /fd00:9::\/64 not translated: this node has no default route of its family/,
    );
    const all = snatView(v, wanted.slice(0, 1), state);
    assert.equal(all?.condition.status, 'True');
    assert.equal(all?.condition.message, '10.9.0.0/24 -> 192.168.0.1 via vmbr0');
  });
});
