// An exit's local routing (Proxmox VE's exitnodes-local-routing): what is
// refused, the veth pair and routes it becomes, and the kernel batches that
// make the pair (one `link add` for both ends), leave it alone, repair it
// and remove it (one `link del`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { diffKernel } from '../../src/apply/kernel-diff.ts';
import { planFromObserved } from '../../src/apply/kernel-restore.ts';
import { planDevices } from '../../src/render/devices.ts';
import { validateYaml } from '../../src/resources/validate.ts';
import { translate } from '../../src/translate/translate.ts';
import { observedFromPlan } from '../helpers/observed-single.ts';

const GOLDEN = readFileSync(new URL('../golden/host-exit-local-routing/input.yaml', import.meta.url), 'utf8');
const resources = () => {
  const checked = validateYaml(GOLDEN);
  assert.deepEqual(checked.issues, []);
  return checked.resources;
};
const issues = (yaml: string) => validateYaml(yaml).issues.map((i) => `${i.resource} ${i.path} ${i.code}`);

describe('exit local routing', () => {
  it('is refused with uplinks, on a bad transfer subnet, and when two VRFs share one on an exit node', () => {
    const withUplink = GOLDEN.replace(
      'exit: {nodes: [pve1], localRouting: true}',
      'exit: {nodes: [pve1], localRouting: true, uplinks: [{node: pve1, interface: up0, address: {ipv4: 203.0.113.2/30}, nextHop: {ipv4: 203.0.113.1}}]}',
    );
    assert.deepEqual(issues(withUplink), ['EVPNVRF/tenant spec.exit.localRouting FIELD_VALUE']);
    const bad = GOLDEN.replace('localRouting: {subnet: 10.255.255.4/30}', 'localRouting: {subnet: 10.255.255.5/31}');
    assert.deepEqual(issues(bad), ['EVPNVRF/other spec.exit.localRouting.subnet CIDR_INVALID']);
    const shared = GOLDEN.replace('localRouting: {subnet: 10.255.255.4/30}', 'localRouting: true');
    const clash = validateYaml(shared).issues;
    assert.deepEqual(
      clash.map((i) => `${i.resource} ${i.path} ${i.code}`),
      ['EVPNVRF/other spec.exit.localRouting SUBNET_OVERLAP'],
    );
    assert.match(
      clash[0]?.message ?? '',
      /10\.255\.255\.0\/30 overlaps 10\.255\.255\.0\/30 of EVPNVRF\/tenant on exit node "pve1"/,
    );
    const inTenant = GOLDEN.replace('ipv4: [10.0.0.1/24, 10.0.8.1/24]', 'ipv4: [10.0.0.1/24, 10.255.254.1/23]');
    assert.deepEqual(issues(inTenant), ['EVPNVRF/tenant spec.exit.localRouting SUBNET_OVERLAP']);
  });

  it('becomes a veth pair per VRF and routes to its IPv4 subnets, instead of leaking the VRF', () => {
    const intent = translate(resources(), 'pve1');
    const tenant = intent?.vrfs.find((v) => v.name === 'tenant');
    assert.deepEqual(tenant?.hostExit?.localRouting, {
      hostDevice: 'xvrf1000',
      vrfDevice: 'xvrfp1000',
      hostAddress: '10.255.255.1/30',
      vrfAddress: '10.255.255.2/30',
      routes: ['10.0.0.0/24', '10.0.8.0/24'],
    });
    assert.deepEqual(tenant?.hostExit?.families, [], 'nothing leaked by import vrf');
    assert.equal(translate(resources(), 'pve2')?.vrfs.find((v) => v.name === 'tenant')?.hostExit, undefined);
  });

  it('the kernel gets both ends in one link add, then nothing; a lost address comes back; unplanned, one link del', () => {
    const plan = planDevices(translate(resources(), 'pve1'));
    const fresh = diffKernel(plan, [], []);
    const veth = fresh.ipBatch.filter((l) => /xvrf/.test(l));
    assert.deepEqual(veth.slice(0, 6), [
      'link add name xvrf1000 mtu 1500 type veth peer name xvrfp1000 mtu 1500',
      'link set dev xvrf1000 alias routerd-evpn:EVPNVRF/tenant addrgenmode none',
      'link add name xvrf1001 mtu 1500 type veth peer name xvrfp1001 mtu 1500',
      'link set dev xvrf1001 alias routerd-evpn:EVPNVRF/other addrgenmode none',
      'link set dev xvrfp1000 alias routerd-evpn:EVPNVRF/tenant addrgenmode none master tenant',
      'link set dev xvrfp1001 alias routerd-evpn:EVPNVRF/other addrgenmode none master other',
    ]);
    assert.ok(fresh.ipBatch.includes('address replace 10.255.255.2/30 dev xvrfp1000'), fresh.ipBatch.join('\n'));
    assert.ok(fresh.ipBatch.includes('link set dev xvrfp1000 up'));

    const { links } = observedFromPlan(plan);
    assert.deepEqual(diffKernel(plan, links, []).ipBatch, [], 'as planned: nothing to do');
    const lost = links.map((l) => (l.name === 'xvrf1000' ? { ...l, addresses: [] } : l));
    assert.deepEqual(diffKernel(plan, lost, []).ipBatch, ['address replace 10.255.255.1/30 dev xvrf1000']);

    const without = planDevices(
      translate(
        validateYaml(GOLDEN.replace('exit: {nodes: [pve1], localRouting: true}', 'exit: {nodes: [pve1]}')).resources,
        'pve1',
      ),
    );
    const gone = diffKernel(without, links, []);
    assert.deepEqual(
      gone.ipBatch.filter((l) => l.startsWith('link del')),
      ['link del dev xvrf1000'],
      'the pair goes with one link del',
    );
  });

  it('a failed batch puts a pair back from what the kernel showed: the end that sorts first makes it', () => {
    const plan = planDevices(translate(resources(), 'pve1'));
    const restored = planFromObserved(observedFromPlan(plan).links, []);
    const veths = restored.devices.filter((d) => d.kind === 'veth');
    assert.deepEqual(
      veths.map((d) => (d.kind === 'veth' ? `${d.name} ${d.createsPair} ${d.master ?? '-'} ${d.addresses}` : '')),
      [
        'xvrf1000 true - 10.255.255.1/30',
        'xvrf1001 true - 10.255.255.5/30',
        'xvrfp1000 false tenant 10.255.255.2/30',
        'xvrfp1001 false other 10.255.255.6/30',
      ],
    );
  });
});
