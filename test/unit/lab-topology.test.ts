import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fabricNodeNames, fabricNodeProblems, readFabric, resolveFabricPath } from '../../lab/fabric-file.ts';
import { installOf, releaseOfImage } from '../../lab/frr-release.ts';
import { creationBatches, upBatches } from '../../lab/netns.ts';
import { splitShellWords } from '../../lab/shell-words.ts';
import { labPaths, socketPathProblems } from '../../lab/state.ts';
import { parseTopology, TopologyError } from '../../lab/topology.ts';

const GOOD = `
name: demo
topology:
  defaults:
    labels: {routerd-evpn/fabric: other.yaml}
  nodes:
    sw: {kind: bridge}
    leaf1:
      kind: linux
      image: routerd-evpn-lab:latest
      exec: ["ip addr add 10.0.0.11/24 dev eth1", "sh -c 'echo a  b'"]
    h1: {kind: linux, image: alpine:3, labels: {role: host}}
  links:
    - endpoints: ["leaf1:eth1", "sw:p-leaf1"]
    - endpoints: ["leaf1:eth2", "h1:eth1"]
`;

function issuesOf(text: string): { path: string; message: string }[] {
  try {
    parseTopology(text, 'bad.clab.yml');
  } catch (err) {
    assert.ok(err instanceof TopologyError);
    return err.issues;
  }
  assert.fail('expected a TopologyError');
}

describe('parseTopology', () => {
  it('reads nodes, namespaces, exec lines and links', () => {
    const topo = parseTopology(GOOD);
    assert.equal(topo.name, 'demo');
    assert.deepEqual(
      topo.nodes.map((n) => [n.name, n.kind, n.namespace]),
      [
        ['sw', 'bridge', 'clab-demo-sw'],
        ['leaf1', 'linux', 'clab-demo-leaf1'],
        ['h1', 'linux', 'clab-demo-h1'],
      ],
    );
    const leaf1 = topo.nodes[1];
    assert.deepEqual(leaf1.execArgv, [
      ['ip', 'addr', 'add', '10.0.0.11/24', 'dev', 'eth1'],
      ['sh', '-c', 'echo a  b'],
    ]);
    assert.equal(topo.nodes[2].labels.role, 'host');
    assert.equal(topo.nodes[2].labels['routerd-evpn/fabric'], 'other.yaml');
    assert.deepEqual(topo.links[0], { a: { node: 'leaf1', iface: 'eth1' }, b: { node: 'sw', iface: 'p-leaf1' } });
  });

  it('names every problem of a bad file at once', () => {
    const issues = issuesOf(`
name: demo
topology:
  nodes:
    this-bridge-name-is-too-long: {kind: bridge}
    nokind: {image: x}
    vm1: {kind: vm}
    "bad/name": {kind: linux}
    a: {kind: linux, exec: ["echo 'unterminated", ""]}
  links:
    - endpoints: ["a:eth1", "ghost:eth1"]
    - endpoints: ["a:eth1", "a:interface-name-too-long"]
    - endpoints: ["a-without-colon", "a:lo"]
`);
    const paths = issues.map((i) => i.path);
    const expected = [
      'topology.nodes.this-bridge-name-is-too-long',
      'topology.nodes.nokind.kind',
      'topology.nodes.vm1.kind',
      'topology.nodes.bad/name',
      'topology.nodes.a.exec[0]',
      'topology.nodes.a.exec[1]',
      'topology.links[0].endpoints[1]',
      'topology.links[1].endpoints[0]',
      'topology.links[1].endpoints[1]',
      'topology.links[2].endpoints[0]',
      'topology.links[2].endpoints[1]',
    ];
    for (const path of expected)
      assert.ok(paths.includes(path), `missing ${path} in ${JSON.stringify(issues, null, 1)}`);
    const text = JSON.stringify(issues);
    for (const fragment of [
      '15 bytes',
      'not supported (supported: linux, bridge)',
      'unterminated single quote',
      'ghost',
      'already used',
      'reserved for the loopback',
      'node:interface',
    ]) {
      assert.ok(text.includes(fragment), `no issue mentions ${fragment}`);
    }
  });

  it('reports shape errors with their field paths', () => {
    const issues = issuesOf(
      'topology:\n  nodes:\n    a: {kind: linux, exec: "not a list"}\n  links:\n    - endpoints: ["a:eth1"]\n',
    );
    const paths = issues.map((i) => i.path);
    assert.ok(paths.includes('name'));
    assert.ok(paths.includes('topology.nodes.a.exec'));
    assert.ok(paths.some((p) => p.startsWith('topology.links.0.endpoints')));
  });

  it('rejects text that is not YAML', () => {
    assert.equal(issuesOf('name: [unclosed')[0].path, '(file)');
  });
});

describe('splitShellWords', () => {
  it('splits like a shell without expansion', () => {
    assert.deepEqual(splitShellWords(`a "b c" 'd e' f\\ g "x\\"y" ''`), {
      ok: true,
      words: ['a', 'b c', 'd e', 'f g', 'x"y', ''],
    });
    assert.equal(splitShellWords('"open').ok, false);
  });
});

describe('ip batches', () => {
  const topo = parseTopology(GOOD);
  it('creates bridges and veths from the first endpoint namespace', () => {
    const batches = creationBatches(topo);
    assert.deepEqual(batches.get('clab-demo-sw'), ['link add sw type bridge']);
    assert.deepEqual(batches.get('clab-demo-leaf1'), [
      'link add eth1 type veth peer name p-leaf1 netns clab-demo-sw',
      'link add eth2 type veth peer name eth1 netns clab-demo-h1',
    ]);
  });
  it('brings every endpoint up and enslaves bridge ports', () => {
    const batches = upBatches(topo);
    assert.deepEqual(batches.get('clab-demo-sw'), [
      'link set lo up',
      'link set p-leaf1 master sw',
      'link set p-leaf1 up',
      'link set sw up',
    ]);
    assert.deepEqual(batches.get('clab-demo-h1'), ['link set lo up', 'link set eth1 up']);
  });
});

describe('FRR release of a node, by its image', () => {
  it('8.4 from the host; 10.3 and 10.7 from Debian roots; another release or no tag is a problem', () => {
    assert.deepEqual(releaseOfImage(undefined), { release: '8.4' });
    assert.deepEqual(releaseOfImage('routerd-evpn-lab:latest'), { release: '8.4' });
    assert.deepEqual(releaseOfImage('frrouting/frr:8.4.4'), { release: '8.4' });
    assert.deepEqual(releaseOfImage('quay.io/frrouting/frr:10.3.1'), { release: '10.3' });
    assert.deepEqual(releaseOfImage('frrouting/frr:v10.7.1'), { release: '10.7' });
    const other = releaseOfImage('frrouting/frr:9.1.0');
    assert.ok(
      'problem' in other && /FRR 9\.1; this lab has FRR 8\.4, 10\.3, 10\.7/.test(other.problem),
      JSON.stringify(other),
    );
    assert.ok('problem' in releaseOfImage('frrouting/frr'));
    assert.equal(installOf('8.4').root, undefined);
    assert.match(installOf('10.7', '/cache').root ?? '', /^\/cache\/frr-10\.7\/root$/);
  });
});

describe('fabric file', () => {
  const topo = parseTopology(GOOD);
  it('finds the fabric: --fabric, then label, then sibling', () => {
    assert.equal(resolveFabricPath('/x/demo.clab.yml', topo, 'f.yaml'), `${process.cwd()}/f.yaml`);
    assert.equal(resolveFabricPath('/x/demo.clab.yml', topo), '/x/other.yaml');
    assert.equal(resolveFabricPath('/x/demo.clab.yml', { ...topo, labels: {} }), '/x/demo.fabric.yaml');
  });
  it('reads node names from either envelope', () => {
    const stream =
      'kind: EVPNNetwork\nspec: {vni: 1}\n---\nkind: EVPNFabric\nspec: {nodes: [{name: leaf1}, {name: h1}]}\n';
    assert.deepEqual(fabricNodeNames(stream, 'f'), ['leaf1', 'h1']);
    const router =
      'apiVersion: routerd.net/v1alpha1\nkind: Router\nspec:\n  resources:\n    - {kind: EVPNFabric, spec: {nodes: [{name: leaf1}]}}\n';
    assert.deepEqual(fabricNodeNames(router, 'f'), ['leaf1']);
    assert.throws(() => fabricNodeNames('kind: EVPNNetwork\n', 'f'), /exactly one EVPNFabric/);
  });
  it('starts every IGP daemon with an underlay of any protocol (an apply may switch), none without', () => {
    const fabric = (underlay: string) =>
      `kind: EVPNFabric\nspec:\n  nodes: [{name: leaf1}]\n${underlay ? `  underlay: {protocol: ${underlay}}\n` : ''}`;
    assert.deepEqual(readFabric(fabric(''), 'f').igpDaemons, []);
    for (const protocol of ['ospf', 'isis', 'openfabric'])
      assert.deepEqual(readFabric(fabric(protocol), 'f').igpDaemons, ['ospfd', 'isisd', 'fabricd'], protocol);
  });

  it('requires fabric nodes to be linux nodes of the topology', () => {
    const problems = fabricNodeProblems(topo, { path: 'f', text: '', nodes: ['leaf1', 'sw', 'ghost'], igpDaemons: [] });
    assert.equal(problems.length, 2);
    assert.match(problems[0], /"sw" is kind bridge/);
    assert.match(problems[1], /"ghost" is not a node/);
  });
  it('a node binding its own frr.conf is configured by hand: never a fabric node', () => {
    const hand = parseTopology(`
name: demo
topology:
  nodes:
    hv-m: {kind: linux, binds: ["hand/daemons:/etc/frr/daemons", "hand/frr.conf:/etc/frr/frr.conf"]}
    hv-a: {kind: linux, binds: ["a.txt:/srv/a.txt"]}
`);
    assert.deepEqual(
      hand.nodes.map((n) => [n.name, n.frrConfig]),
      [
        ['hv-m', 'hand/frr.conf'],
        ['hv-a', undefined],
      ],
    );
    const problems = fabricNodeProblems(hand, { path: 'f', text: '', nodes: ['hv-m', 'hv-a'], igpDaemons: [] });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /"hv-m" binds its own frr\.conf/);
    const twice = issuesOf(
      'name: d\ntopology:\n  nodes:\n    n: {kind: linux, binds: ["a:/etc/frr/frr.conf", "b:/etc/frr/frr.conf"]}\n',
    );
    assert.deepEqual(twice, [{ path: 'topology.nodes.n.binds[1]', message: 'a second bind onto /etc/frr/frr.conf' }]);
  });
  it('flags socket paths that do not fit sun_path', () => {
    assert.deepEqual(socketPathProblems(labPaths(topo), ['leaf1']), []);
    assert.equal(socketPathProblems(labPaths({ name: 'x'.repeat(100) }), ['leaf1']).length, 1);
  });
});
