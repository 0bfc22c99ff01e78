// Brings up small labs of its own (namespaces t-topo*, no FRR) through the
// programmatic API and checks the kernel state they end in.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { type Lab, labDown, labUp, nodeRun } from '../../lab/lab.ts';
import { listNamespaces } from '../../lab/netns.ts';
import { run } from '../../src/system/exec.ts';
import { links } from '../helpers/lab-harness.ts';

const isRoot = process.getuid?.() === 0;

const TOPOLOGY = `
name: t-topo
topology:
  nodes:
    tsw: {kind: bridge}
    a: {kind: linux, exec: ["ip addr add 10.123.0.1/24 dev eth1"]}
    b: {kind: linux, exec: ["ip addr add 10.123.0.2/24 dev eth1", "ip link set eth1 address 02:00:00:aa:00:02"]}
  links:
    - endpoints: ["a:eth1", "tsw:p-a"]
    - endpoints: ["b:eth1", "tsw:p-b"]
`;

const FAILING = `
name: t-topo-fail
topology:
  nodes:
    a: {kind: linux, exec: ["ip link set eth1 up", "ip addr add not-an-address dev eth1"]}
    b: {kind: linux}
  links:
    - endpoints: ["a:eth1", "b:eth1"]
`;

describe('lab topology on real namespaces', { skip: isRoot ? false : 'needs root' }, () => {
  let dir = '';
  let topologyFile = '';
  let failingFile = '';
  let lab: Lab;

  before(async () => {
    dir = await mkdtemp(`${tmpdir()}/lab-topology-`);
    topologyFile = `${dir}/t-topo.clab.yml`;
    failingFile = `${dir}/t-topo-fail.clab.yml`;
    await writeFile(topologyFile, TOPOLOGY);
    await writeFile(failingFile, FAILING);
    await labDown({ topologyFile }); // leftovers of an interrupted earlier run
    await labDown({ topologyFile: failingFile });
    lab = await labUp({ topologyFile, frr: false });
  });

  after(async () => {
    if (topologyFile) await labDown({ topologyFile });
    if (failingFile) await labDown({ topologyFile: failingFile });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('names veths after their endpoints and enslaves bridge ports', async () => {
    const sw = await links('clab-t-topo-tsw');
    const byName = new Map(sw.map((l) => [l.ifname, l]));
    assert.equal(byName.get('tsw')?.linkinfo?.info_kind, 'bridge');
    for (const port of ['p-a', 'p-b']) {
      assert.equal(byName.get(port)?.linkinfo?.info_kind, 'veth');
      assert.equal(byName.get(port)?.master, 'tsw');
    }
    const b = (await links('clab-t-topo-b')).find((l) => l.ifname === 'eth1');
    assert.equal(b?.linkinfo?.info_kind, 'veth');
    assert.equal(b?.address, '02:00:00:aa:00:02');
  });

  it('passes traffic across the bridge node', async () => {
    const res = await nodeRun(lab.topology, 'a', ['ping', '-c', '2', '-i', '0.2', '-W', '2', '10.123.0.2']);
    assert.match(res.stdout, /2 received/);
  });

  it('refuses a second up of the same lab and leaves it intact', async () => {
    await assert.rejects(labUp({ topologyFile, frr: false }), /already exists.*down/s);
    assert.ok((await listNamespaces(run)).has('clab-t-topo-a'));
  });

  it('tears everything down when an exec line fails', async () => {
    await assert.rejects(
      labUp({ topologyFile: failingFile, frr: false }),
      /node a: exec\[1\] "ip addr add not-an-address dev eth1"/,
    );
    const namespaces = await listNamespaces(run);
    assert.ok(!namespaces.has('clab-t-topo-fail-a') && !namespaces.has('clab-t-topo-fail-b'));
    assert.ok(!existsSync('/run/routerd-evpn-lab/t-topo-fail'));
  });

  it('down removes every namespace and the lab dir, and is idempotent', async () => {
    const report = await labDown({ topologyFile });
    assert.deepEqual(report.deletedNamespaces.sort(), ['clab-t-topo-a', 'clab-t-topo-b', 'clab-t-topo-tsw']);
    const namespaces = await listNamespaces(run);
    assert.ok(![...namespaces].some((n) => n.startsWith('clab-t-topo-')));
    assert.ok(!existsSync(lab.paths.dir));
    assert.deepEqual((await labDown({ topologyFile })).deletedNamespaces, []);
  });
});
