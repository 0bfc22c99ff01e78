// evpnctl import pve-sdn on Proxmox's own 32 EVPN cases (read in place from
// ../shared/conformance/pve-sdn, with the README's mocks: the files are
// localhost's, whose address is vmbr0's) and on a cluster of our own with a
// .members file: what each Proxmox key becomes, what is reported, and which
// imports validate today.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseInterfaces, parseMembers, parseRunningConfig } from '../../src/import/pve-input.ts';
import { importPveSdn, type PveImport } from '../../src/import/pve-sdn.ts';
import { checkCandidate } from '../../src/store/candidate.ts';

const CASES = new URL('../../../shared/conformance/pve-sdn/', import.meta.url);
const caseFile = (c: string, f: string) => new URL(`${c}/${f}`, CASES);
const NODE_MAP = new Map([
  ['192.168.0.2', 'pve2'],
  ['192.168.0.3', 'pve3'],
]);

function importCase(name: string): PveImport {
  const local = caseFile(name, 'frr.conf.local');
  return importPveSdn({
    config: parseRunningConfig(readFileSync(caseFile(name, 'sdn_config.json'), 'utf8'), name),
    interfaces: parseInterfaces(readFileSync(caseFile(name, 'interfaces'), 'utf8')),
    ...(existsSync(local) ? { frrLocal: readFileSync(local, 'utf8') } : {}),
    node: 'localhost',
    nodeMap: NODE_MAP,
  });
}

const find = (r: PveImport, kind: string, name?: string) =>
  r.resources.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name)) as any;
const codes = (r: PveImport) => [...new Set(r.notes.map((n) => n.code))].sort();
const yamlOf = (r: PveImport) => r.resources.map((x) => JSON.stringify(x)).join('\n---\n');

const ALL = readdirSync(CASES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
// Imports that do not validate, and why: an exit node no file names (titan:
// its VTEP is unnamed without --node-map).
const NOT_VALID_YET: Record<string, RegExp> = {
  frr_local_merge_router_without_exit: /NODE_UNKNOWN: exit node "titan" is not in EVPNFabric spec\.nodes/,
};
const NO_EVPN = ['ebgp_only', 'isis_standalone'];
// localhost has no address of its own there (an empty interfaces file): not a VTEP
const NOT_A_VTEP = ['frr_local_merge_router_without_exit'];

describe('import pve-sdn on the 32 Proxmox EVPN cases', () => {
  it('finds all 32 cases', () => assert.equal(ALL.length, 32));

  for (const name of ALL)
    it(`${name}: imports${NO_EVPN.includes(name) ? ' nothing (no EVPN)' : NOT_VALID_YET[name] ? ' (not valid yet)' : ' a valid fabric file'}`, () => {
      const r = importCase(name);
      if (NO_EVPN.includes(name)) {
        assert.deepEqual(r.resources, []);
        assert.deepEqual(codes(r), ['PVE_NO_EVPN']);
        return;
      }
      const fabric = find(r, 'EVPNFabric');
      assert.ok(fabric, 'an EVPNFabric');
      assert.equal(
        fabric.spec.nodes.some((n: any) => n.name === 'localhost'),
        !NOT_A_VTEP.includes(name),
        `localhost is found by its own address: ${JSON.stringify(fabric.spec.nodes)}`,
      );
      const check = checkCandidate(r.resources.map((x) => JSON.stringify(x)).join('\n---\n'), [], true);
      const problems = check.issues.map((i) => `${i.code}: ${i.message}`).join('\n');
      const expected = NOT_VALID_YET[name];
      if (expected) assert.match(problems, expected);
      else assert.equal(check.ok, true, problems);
    });
});

describe('what each Proxmox key becomes', () => {
  it('ipv4: the controller is the fabric, the zone a VRF, the vnet a network with the anycast gateway and MAC', () => {
    const r = importCase('ipv4');
    const fabric = find(r, 'EVPNFabric', 'evpnctl');
    assert.deepEqual(fabric.spec, {
      asn: 65000,
      nodes: [
        { name: 'localhost', vtepAddress: '192.168.0.1' },
        { name: 'pve2', vtepAddress: '192.168.0.2' },
        { name: 'pve3', vtepAddress: '192.168.0.3' },
      ],
    });
    assert.deepEqual(find(r, 'EVPNVRF', 'myzone').spec, {
      l3vni: 1000,
      advertise: { ipv4Unicast: false, ipv6Unicast: false },
    });
    assert.deepEqual(find(r, 'EVPNNetwork', 'myvnet').spec, {
      vni: 100,
      vrf: 'myzone',
      gateway: { ipv4: '10.0.0.1/24', mac: 'a2:1d:cb:1a:c0:8b' },
    });
    assert.deepEqual(r.notes, []);
  });

  it('dual stack, no gateway, advertise-subnets, ARP/ND suppression off, vxlan-port, rt-import', () => {
    assert.deepEqual(find(importCase('ipv4ipv6'), 'EVPNNetwork').spec.gateway, {
      ipv4: '10.0.0.1/24',
      ipv6: '2a08:2142:302:3::1/64',
      mac: 'a2:1d:cb:1a:c0:8b',
    });
    assert.equal(find(importCase('ipv4ipv6nogateway'), 'EVPNNetwork').spec.gateway, undefined);
    assert.deepEqual(find(importCase('advertise_subnets'), 'EVPNVRF').spec.advertise, {
      ipv4Unicast: true,
      ipv6Unicast: true,
    });
    assert.equal(find(importCase('disable_arp_nd_suppression'), 'EVPNNetwork').spec.arpNdSuppression, false);
    assert.equal(find(importCase('vxlanport'), 'EVPNFabric').spec.udpPort, 6000);
    const rt = importCase('rt_import');
    assert.deepEqual(find(rt, 'EVPNVRF').spec.routeTargets, {
      import: ['65000:1000', '65001:1000', '65002:1000', '65003:1000'],
    });
    assert.deepEqual(codes(rt), ['PVE_RT_IMPORT']);
  });

  it('two zones are two VRFs, each vnet in its own', () => {
    const r = importCase('multiplezones');
    assert.deepEqual(
      r.resources.map((x) => `${x.kind}/${x.metadata.name}`),
      ['EVPNFabric/evpnctl', 'EVPNVRF/myzone', 'EVPNVRF/myzone2', 'EVPNNetwork/myvnet', 'EVPNNetwork/myvnet2'],
    );
    assert.equal(find(r, 'EVPNNetwork', 'myvnet2').spec.vrf, 'myzone2');
    assert.equal(find(r, 'EVPNVRF', 'myzone2').spec.l3vni, 1001);
  });

  it('exit nodes and their primary; local routing, SNAT and extra subnets are reported', () => {
    assert.deepEqual(find(importCase('exitnode'), 'EVPNVRF').spec.exit, { nodes: ['localhost'] });
    const primary = importCase('exitnode_primary');
    assert.deepEqual(find(primary, 'EVPNVRF').spec.exit, { nodes: ['localhost'] }, 'othernode is not an exit node');
    assert.deepEqual(codes(primary), ['PVE_EXIT_PRIMARY']);
    assert.deepEqual(codes(importCase('exitnode_local_routing')), []);
    assert.equal(find(importCase('exitnode_local_routing'), 'EVPNVRF').spec.exit.localRouting, true);
    const snat = importCase('exitnode_snat');
    assert.deepEqual(snat.notes, []);
    assert.equal(find(snat, 'EVPNNetwork', 'myvnet').spec.gateway.snat, true);
    assert.equal(find(snat, 'EVPNNetwork', 'myvnet2').spec.gateway.snat, true);
    // several subnets per vnet: every gateway, in the order of the subnet ids; a subnet whose
    // gateway lies outside it (172.16.1.0/24 with 172.16.0.1) is reported
    const nullroute = importCase('exitnodenullroute');
    assert.deepEqual(find(nullroute, 'EVPNNetwork', 'myvnet').spec.gateway, {
      ipv4: ['10.0.0.1/24', '192.168.0.1/24', '192.168.10.1/24'],
      ipv6: ['2b0f:1480:4000:6000::1/64', '2b0f:1480:4000:8000::1/64', '2b0f:1480::1/64'],
    });
    assert.deepEqual(find(nullroute, 'EVPNNetwork', 'myvnet2').spec.gateway, {
      ipv4: ['10.0.0.1/24', '172.16.0.1/24', '172.16.3.1/24'],
    });
    assert.deepEqual(
      nullroute.notes.map((n) => `${n.code} ${n.key}`),
      ['PVE_SUBNET_GATEWAY subnets.myzone2-172.16.1.0-24.gateway'],
    );
  });

  it('an IPv6 underlay: IPv6 VTEPs, router IDs from the addresses, reported', () => {
    const r = importCase('ipv6underlay');
    const nodes = find(r, 'EVPNFabric').spec.nodes;
    assert.deepEqual(nodes[0], { name: 'localhost', vtepAddress: '2a08:2200:100:1::10', routerID: '0.0.0.16' });
    assert.equal(r.notes.filter((n) => n.code === 'PVE_ROUTER_ID').length, 3);
    assert.equal(r.notes.filter((n) => n.code === 'PVE_NODE_UNNAMED').length, 2, 'no name for the other two');
  });

  it('SDN fabrics name the nodes and become the IGP underlay; BGP controllers become peers', () => {
    const of = find(importCase('openfabric_fabric'), 'EVPNFabric').spec;
    assert.deepEqual(of.underlay, { protocol: 'openfabric' });
    assert.deepEqual(
      of.nodes.map((n: any) => [n.name, n.vtepAddress, n.uplinks.join(',')]),
      [
        ['localhost', '172.20.3.1', 'ens20,ens21'],
        ['pathfinder', '172.20.3.2', 'ens20,ens21'],
        ['raider', '172.20.3.3', 'ens21,ens20'],
      ],
    );
    assert.deepEqual(find(importCase('ospf_fabric'), 'EVPNFabric').spec.underlay, {
      protocol: 'ospf',
      area: '0.0.0.0',
    });
    const ebgp = find(importCase('bgp_ebgp'), 'EVPNFabric').spec.nodes.find((n: any) => n.name === 'localhost');
    assert.deepEqual(
      ebgp.peers.map((p: any) => [p.address, p.remoteAs, p.addressFamilies.join()]),
      [
        ['192.168.0.252', 'external', 'ipv4Unicast'],
        ['192.168.0.253', 'external', 'ipv4Unicast'],
      ],
    );
    assert.deepEqual(codes(importCase('isis')), ['PVE_IGP_PARTIAL'], 'IS-IS on one node only');
    assert.deepEqual(codes(importCase('ebgp')), ['PVE_BGP_CONTROLLER']);
  });

  it('frr.conf.local is not merged: its blocks are named in one note', () => {
    const r = importCase('frr_local_merge');
    const local = r.notes.find((n) => n.code === 'PVE_FRR_LOCAL');
    assert.match(local?.message ?? '', /router eigrp 1; vrf vrf_yourzone/);
    assert.doesNotMatch(local?.message ?? '', /; !;/);
    assert.ok(yamlOf(r).length > 0);
  });
});

// A cluster of our own: names from .members, the VTEPs on a separate network.
const OWN_CONFIG = JSON.stringify({
  version: 7,
  controllers: { ids: { evpn1: { type: 'evpn', asn: 64512, peers: '10.10.0.11, 10.10.0.12,10.10.0.13' } } },
  zones: {
    ids: {
      tenant: { type: 'evpn', controller: 'evpn1', 'vrf-vxlan': '5000', mac: '02:AA:BB:CC:DD:01' },
      flat: { type: 'simple' },
    },
  },
  vnets: {
    ids: {
      web: { type: 'vnet', zone: 'tenant', tag: 5100 },
      db: { type: 'vnet', zone: 'tenant', tag: '5200' },
      lan: { type: 'vnet', zone: 'flat' },
    },
  },
  subnets: {
    ids: {
      'tenant-172.30.1.0-24': { type: 'subnet', vnet: 'web', gateway: '172.30.1.254' },
      'tenant-fd30:2::-64': { type: 'subnet', vnet: 'db', gateway: 'fd30:2::1' },
    },
  },
});
const OWN_MEMBERS = JSON.stringify({
  nodename: 'hv1',
  version: 12,
  cluster: { name: 'lab', version: 3, nodes: 3, quorate: 1 },
  nodelist: {
    hv1: { id: 1, online: 1, ip: '10.10.0.11' },
    hv2: { id: 2, online: 1, ip: '10.10.0.12' },
    hv3: { id: 3, online: 0, ip: '10.10.0.13' },
  },
});

describe('a cluster the fixtures do not have', () => {
  it('names every node from .members, skips a non-EVPN zone and its vnet, and validates', () => {
    const r = importPveSdn({
      config: parseRunningConfig(OWN_CONFIG, 'running-config'),
      members: parseMembers(OWN_MEMBERS, '.members'),
    });
    assert.deepEqual(
      find(r, 'EVPNFabric').spec.nodes.map((n: any) => `${n.name}=${n.vtepAddress}`),
      ['hv1=10.10.0.11', 'hv2=10.10.0.12', 'hv3=10.10.0.13'],
    );
    assert.deepEqual(find(r, 'EVPNNetwork', 'db').spec, {
      vni: 5200,
      vrf: 'tenant',
      gateway: { ipv6: 'fd30:2::1/64', mac: '02:aa:bb:cc:dd:01' },
    });
    assert.deepEqual(
      r.notes.map((n) => `${n.code} ${n.key}`),
      ['PVE_ZONE_TYPE zones.flat.type', 'PVE_VNET_ZONE vnets.lan.zone'],
    );
    const check = checkCandidate(yamlOf(r), [], true);
    assert.equal(check.ok, true, JSON.stringify(check.issues));
  });

  it('two zones with local routing and SNAT on the same exits: transfer subnets apart, SNAT per vnet', () => {
    const config = JSON.parse(OWN_CONFIG);
    const exits = { exitnodes: 'hv1,hv2', 'exitnodes-local-routing': 1 };
    Object.assign(config.zones.ids.tenant, exits);
    config.zones.ids.second = { type: 'evpn', controller: 'evpn1', 'vrf-vxlan': 5001, ...exits };
    config.vnets.ids.app2 = { type: 'vnet', zone: 'second', tag: 5300 };
    config.subnets.ids['second-10.20.0.0-24'] = { type: 'subnet', vnet: 'app2', gateway: '10.20.0.1', snat: 1 };
    config.subnets.ids['second-10.21.0.0-24'] = { type: 'subnet', vnet: 'app2', gateway: '10.21.0.1' };
    const r = importPveSdn({
      config: parseRunningConfig(JSON.stringify(config), 'running-config'),
      members: parseMembers(OWN_MEMBERS, '.members'),
    });
    assert.deepEqual(find(r, 'EVPNVRF', 'second').spec.exit, {
      nodes: ['hv1', 'hv2'],
      localRouting: true,
    });
    assert.deepEqual(find(r, 'EVPNVRF', 'tenant').spec.exit, {
      nodes: ['hv1', 'hv2'],
      localRouting: { subnet: '10.255.255.4/30' },
    });
    assert.deepEqual(find(r, 'EVPNNetwork', 'app2').spec.gateway, {
      ipv4: ['10.20.0.1/24', '10.21.0.1/24'],
      snat: true,
    });
    assert.deepEqual(
      r.notes.filter((n) => n.code.startsWith('PVE_EXIT') || n.code === 'PVE_SNAT').map((n) => `${n.code} ${n.key}`),
      ['PVE_EXIT_LOCAL_ROUTING zones.tenant.exitnodes-local-routing', 'PVE_SNAT subnets.second-10.20.0.0-24.snat'],
    );
    const check = checkCandidate(yamlOf(r), [], true);
    assert.equal(check.ok, true, JSON.stringify(check.issues));
  });
});

// The command itself (a process, as an admin runs it): files in, YAML out,
// notes and validation problems on stderr.
const ROOT = new URL('../..', import.meta.url).pathname;
function evpnctl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

describe('evpnctl import pve-sdn', () => {
  it('prints a fabric file that validate accepts; exits 1 naming the problem otherwise', async () => {
    const files = ['--running-config', caseFile('ipv4', 'sdn_config.json').pathname];
    const ok = await evpnctl([
      'import',
      'pve-sdn',
      ...files,
      '--interfaces',
      caseFile('ipv4', 'interfaces').pathname,
      '--node',
      'localhost',
      '--node-map',
      'pve2=192.168.0.2,pve3=192.168.0.3',
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^# imported from Proxmox VE SDN/);
    assert.equal(checkCandidate(ok.stdout, [], true).ok, true);
    assert.equal(ok.stderr, '', 'nothing approximate in the ipv4 case once every node is named');
    const exitCase = ['--running-config', caseFile('exitnode', 'sdn_config.json').pathname];
    const exit = await evpnctl([
      'import',
      'pve-sdn',
      ...exitCase,
      '--interfaces',
      '/dev/null',
      '--frr-local',
      '/dev/null',
    ]);
    assert.equal(exit.code, 1);
    assert.match(exit.stderr, /PVE_NODE_UNNAMED: no node of \.members \(or --node-map\) has address 192\.168\.0\.1/);
    assert.match(exit.stderr, /EVPNVRF\/myzone: spec\.exit\.nodes\[0\]: NODE_UNKNOWN: exit node "localhost"/);
    assert.doesNotMatch(exit.stderr, /EXIT_UPLINK_MISSING/, 'an exit without an uplink routes through the host');
    assert.match(exit.stderr, /the imported file does not validate \(1 problem\)/);
  });

  it('refuses a bad --node-map, a missing running config and a members file that is not one, by name', async () => {
    const map = await evpnctl(['import', 'pve-sdn', '--node-map', 'pve2']);
    assert.equal(map.code, 2);
    assert.match(map.stderr, /--node-map takes NAME=IP/);
    const missing = await evpnctl(['import', 'pve-sdn', '--running-config', '/nonexistent/running-config']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read \/nonexistent\/running-config: no such file/);
    const members = caseFile('ipv4', 'interfaces').pathname;
    const bad = await evpnctl([
      'import',
      'pve-sdn',
      ...['--running-config', caseFile('ipv4', 'sdn_config.json').pathname],
      '--members',
      members,
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, new RegExp(`${members}: not JSON`));
  });
});
