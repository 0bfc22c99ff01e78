// Proxmox VE SDN conformance, so far: each of pve-network's 32 EVPN cases
// (read in place from ../shared/conformance/pve-sdn) imported with the
// README's mocks, rendered for node localhost, and compared with Proxmox's
// expected frr.conf and interfaces.d/sdn on the facts compared so far
// (pve-sdn-facts.ts: EVPN peers, L3VNIs, each VRF's BGP instance and what is
// leaked into the default one, each vnet bridge's addresses, MAC, MTU and
// VRF, each VXLAN device's local address, port, learning, ARP/ND suppression
// and MTU). Prints a table; the known
// differences are pinned, so any change to them, better or worse, fails
// until this file says so.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseInterfaces, parseRunningConfig } from '../../src/import/pve-input.ts';
import { importPveSdn } from '../../src/import/pve-sdn.ts';
import { loadTemplates } from '../../src/render/frr.ts';
import { renderNode } from '../../src/render/node-render.ts';
import { validateYaml } from '../../src/resources/validate.ts';
import { factDifferences, frrFacts, planBridges, planVxlans, pveBridges, pveVxlans, vrfVnis } from './pve-sdn-facts.ts';

const CASES = new URL('../../../shared/conformance/pve-sdn/', import.meta.url);
const read = (c: string, f: string) => readFileSync(new URL(`${c}/${f}`, CASES), 'utf8');
const NODE_MAP = new Map([
  ['192.168.0.2', 'pve2'],
  ['192.168.0.3', 'pve3'],
]);

type Verdict = { verdict: string; differences: string[] };

function compare(name: string): Verdict {
  const local = new URL(`${name}/frr.conf.local`, CASES);
  const imported = importPveSdn({
    config: parseRunningConfig(read(name, 'sdn_config.json'), name),
    interfaces: parseInterfaces(read(name, 'interfaces')),
    ...(existsSync(local) ? { frrLocal: readFileSync(local, 'utf8') } : {}),
    node: 'localhost',
    nodeMap: NODE_MAP,
  });
  if (imported.resources.length === 0) return { verdict: 'out of scope: no EVPN', differences: [] };
  const checked = validateYaml(imported.resources.map((r) => JSON.stringify(r)).join('\n---\n'));
  if (checked.issues.length > 0) return { verdict: 'failing: the import does not validate', differences: [] };
  const fabric = imported.resources.find((r) => r.kind === 'EVPNFabric');
  const nodes = ((fabric?.spec as { nodes?: { name: string }[] } | undefined)?.nodes ?? []).map((n) => n.name);
  if (!nodes.includes('localhost')) return { verdict: 'out of scope: localhost is no VTEP', differences: [] };
  const ours = renderNode(checked.resources, 'localhost', loadTemplates());
  const pveFrr = read(name, 'expected_controller_config');
  const pveIfaces = read(name, 'expected_sdn_interfaces');
  const pveBridgeFacts = pveBridges(pveIfaces, vrfVnis(pveFrr));
  const withMac = new Set(
    Object.entries(pveBridgeFacts)
      .filter(([, f]) => !f.includes('mac any'))
      .map(([n]) => n),
  );
  const differences = factDifferences(
    { ...frrFacts(pveFrr), vxlans: pveVxlans(pveIfaces), bridges: pveBridgeFacts },
    {
      ...frrFacts(ours.frr),
      vxlans: planVxlans(ours.devices),
      bridges: planBridges(ours.devices, vrfVnis(ours.frr), withMac),
    },
  );
  return { verdict: differences.length === 0 ? 'equivalent so far' : 'differs', differences };
}

// What differs today, per case (every other case with an import is
// equivalent on these facts), each for a reason (docs/proxmox.md):
// - disable_arp_nd_suppression: Proxmox turns suppression off on the L3VNI's
//   VXLAN device too; the daemon applies a network's setting to its own VNI
//   (an L3VNI device carries no hosts to suppress ARP/ND for).
// - exitnode_local_routing: not implemented yet (PVE_EXIT_LOCAL_ROUTING):
//   the exit leaks the VRF into its default table instead of the veth pair.
// - exitnodenullroute: several subnets per vnet; one gateway per family is
//   imported so far (PVE_SUBNET_EXTRA).
// - ipv4ipv6nogateway: the zone's MAC on a bridge with no gateway address;
//   the daemon gives a MAC only to an anycast gateway.
// - frr_local_merge: VNI 1005 and the `redistribute kernel` lines come from
//   frr.conf.local, which is not merged (PVE_FRR_LOCAL).
// - ipv6underlay: Proxmox keeps MTU 1450 over an IPv6 underlay, which needs
//   1520-byte underlay packets; the daemon subtracts VXLAN-over-IPv6's 70
//   bytes from the 1500-byte underlay (1430).
// - rt_import: the zone's own route target is imported beside rt-import's
//   (PVE_RT_IMPORT: FRR drops the automatic import once any is configured).
const KNOWN: Record<string, string[]> = {
  disable_arp_nd_suppression: [
    'VXLAN 1000: Proxmox local 192.168.0.1, port 4789, learning off, suppress off, mtu 1450; ours local 192.168.0.1, port 4789, learning off, suppress on, mtu 1450',
  ],
  exitnode_local_routing: [
    'VRF 1000: Proxmox l2vpn evpn: default-originate ipv4, default-originate ipv6, route-target export 65000:1000, route-target import 65000:1000; leaked into nothing; ours ipv4 unicast: redistribute connected; ipv6 unicast: redistribute connected; l2vpn evpn: default-originate ipv4, default-originate ipv6, route-target export 65000:1000, route-target import 65000:1000; leaked into ipv4 unicast, ipv6 unicast',
  ],
  exitnodenullroute: [
    'bridge myvnet: Proxmox addresses 10.0.0.1/24 192.168.0.1/24 192.168.10.1/24 2b0f:1480:4000:6000::1/64 2b0f:1480:4000:8000::1/64 2b0f:1480::1/64, mac any, mtu 1450, L3VNI 1000; ours addresses 10.0.0.1/24 2b0f:1480:4000:6000::1/64, mac any, mtu 1450, L3VNI 1000',
    'bridge myvnet2: Proxmox addresses 10.0.0.1/24 172.16.0.1/24 172.16.3.1/24, mac any, mtu 1450, L3VNI 1001; ours addresses 10.0.0.1/24, mac any, mtu 1450, L3VNI 1001',
  ],
  ipv4ipv6nogateway: [
    'bridge myvnet: Proxmox addresses -, mac a2:1d:cb:1a:c0:8b, mtu 1450, L3VNI 1000; ours addresses -, mac any, mtu 1450, L3VNI 1000',
  ],
  frr_local_merge: [
    'L3VNIs: Proxmox 1000 1005, ours 1000',
    'VRF 1000: Proxmox ipv4 unicast: redistribute kernel; ipv6 unicast: redistribute kernel; l2vpn evpn: redistribute kernel, route-target export 65000:1000, route-target import 65000:1000; leaked into nothing; ours l2vpn evpn: route-target export 65000:1000, route-target import 65000:1000; leaked into nothing',
  ],
  ipv6underlay: [
    'bridge myvnet: Proxmox addresses 2a08:2142:302:3::1/64, mac a2:1d:cb:1a:c0:8b, mtu 1450, L3VNI 1000; ours addresses 2a08:2142:302:3::1/64, mac a2:1d:cb:1a:c0:8b, mtu 1430, L3VNI 1000',
    'VXLAN 100: Proxmox local 2a08:2200:100:1::10, port 4789, learning off, suppress on, mtu 1450; ours local 2a08:2200:100:1::10, port 4789, learning off, suppress on, mtu 1430',
    'VXLAN 1000: Proxmox local 2a08:2200:100:1::10, port 4789, learning off, suppress on, mtu 1450; ours local 2a08:2200:100:1::10, port 4789, learning off, suppress on, mtu 1430',
  ],
  rt_import: [
    'VRF 1000: Proxmox l2vpn evpn: route-target export 65000:1000, route-target import 65001:1000, route-target import 65002:1000, route-target import 65003:1000; leaked into nothing; ours l2vpn evpn: route-target export 65000:1000, route-target import 65000:1000, route-target import 65001:1000, route-target import 65002:1000, route-target import 65003:1000; leaked into nothing',
  ],
};

test('pve-sdn conformance on the facts compared so far', () => {
  const names = readdirSync(CASES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  assert.equal(names.length, 32);
  const results = names.map((n) => [n, compare(n)] as const);
  const rows = results.map(
    ([n, r]) => `${n.padEnd(38)} ${r.verdict}${r.differences.map((d) => `\n${''.padEnd(41)}${d}`).join('')}`,
  );
  const counts = new Map<string, number>();
  for (const [, r] of results) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
  console.log(`${rows.join('\n')}\n${[...counts].map(([v, c]) => `${c} ${v}`).join(', ')}`);
  const found = Object.fromEntries(
    results.filter(([, r]) => r.differences.length > 0).map(([n, r]) => [n, r.differences]),
  );
  assert.deepEqual(found, KNOWN);
});
