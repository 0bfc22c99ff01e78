// translate(): validated resources + node name -> NodeIntent, with every
// default resolved. Inputs go through validateResources first, as in the daemon.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KnownResource, Resource } from '../../src/resources/schema.ts';
import { validateResources } from '../../src/resources/validate.ts';
import type { NodeIntent } from '../../src/translate/intent.ts';
import { NodeNotInFabricError, translate } from '../../src/translate/translate.ts';
import { expectIssues } from '../helpers/issues.ts';
import { fabricOn, THREE_LEAVES as NODES, network, type Obj } from '../helpers/resources.ts';
import { shuffled } from '../helpers/shuffle.ts';

const fabric = fabricOn(NODES);

function valid(...raw: Resource[]): KnownResource[] {
  const result = validateResources(raw);
  expectIssues(result.issues, []); // test input must be valid
  return result.resources;
}

function intentFor(resources: KnownResource[], node: string): NodeIntent {
  const intent = translate(resources, node);
  assert.ok(intent, 'a fabric is present');
  return intent;
}

describe('neighbors', () => {
  test('full mesh: every node peers with every other, none is a route-reflector client', () => {
    const resources = valid(fabric(), network('blue', { vni: 100 }));
    for (const self of NODES) {
      const intent = intentFor(resources, self.name);
      const others = NODES.filter((n) => n.name !== self.name);
      assert.deepEqual(
        intent.neighbors,
        others.map((n) => ({
          address: n.vtepAddress,
          remoteAs: 65000,
          description: n.name,
          routeReflectorClient: false,
        })),
      );
      assert.equal(intent.routeReflector, false);
      assert.equal(intent.advertiseAllVni, true);
      assert.equal(intent.asn, 65000);
      assert.equal(intent.routerId, self.vtepAddress);
      assert.equal(intent.vtepAddress, self.vtepAddress);
      assert.equal('clusterId' in intent, false);
      assert.deepEqual(
        intent.l2vnis.map((v) => v.vni),
        [100],
      );
    }
  });

  test('neighbors sort by address, not by node order', () => {
    const nodes = [
      { name: 'z', vtepAddress: '10.0.0.30' },
      { name: 'a', vtepAddress: '10.0.0.20' },
      { name: 'm', vtepAddress: '10.0.0.10' },
    ];
    const intent = intentFor(valid(fabric({ nodes })), 'z');
    assert.deepEqual(
      intent.neighbors.map((n) => n.address),
      ['10.0.0.10', '10.0.0.20'],
    );
  });

  describe('route reflectors', () => {
    const nodes = [
      ...NODES,
      { name: 'rr1', vtepAddress: '10.0.0.101' },
      { name: 'rr2', vtepAddress: '10.0.0.102', roles: ['route-reflector'] },
    ];
    const resources = valid(
      fabric({ nodes, routeReflectors: { nodes: ['rr1'], clusterID: '10.0.0.100' } }),
      network('blue', { vni: 100 }),
      network('red', { vni: 200 }),
    );

    test('a leaf peers only with the route reflectors (by list and by role)', () => {
      const intent = intentFor(resources, 'leaf2');
      assert.deepEqual(intent.neighbors, [
        { address: '10.0.0.101', remoteAs: 65000, description: 'rr1', routeReflectorClient: false },
        { address: '10.0.0.102', remoteAs: 65000, description: 'rr2', routeReflectorClient: false },
      ]);
      assert.equal(intent.routeReflector, false);
      assert.equal(intent.advertiseAllVni, true);
      assert.equal('clusterId' in intent, false);
      assert.deepEqual(
        intent.l2vnis.map((v) => v.vni),
        [100, 200],
      );
    });

    test('a route reflector peers with every leaf as client, and with the other RR as non-client', () => {
      const intent = intentFor(resources, 'rr1');
      assert.deepEqual(intent.neighbors, [
        { address: '10.0.0.1', remoteAs: 65000, description: 'leaf1', routeReflectorClient: true },
        { address: '10.0.0.102', remoteAs: 65000, description: 'rr2', routeReflectorClient: false },
        { address: '10.0.0.2', remoteAs: 65000, description: 'leaf2', routeReflectorClient: true },
        { address: '10.0.0.3', remoteAs: 65000, description: 'leaf3', routeReflectorClient: true },
      ]);
      assert.equal(intent.routeReflector, true);
      assert.equal(intent.clusterId, '10.0.0.100');
    });

    test('a route reflector carries no VNIs, no advertise-all-vni and no DAD settings', () => {
      const withDad = valid(
        fabric({ nodes, routeReflectors: { nodes: ['rr1'] }, duplicateAddressDetection: { maxMoves: 3 } }),
        network('blue', { vni: 100 }),
      );
      const rr = intentFor(withDad, 'rr2');
      assert.deepEqual(rr.l2vnis, []);
      assert.equal(rr.advertiseAllVni, false);
      assert.equal(rr.duplicateAddressDetection, undefined);
      assert.deepEqual(intentFor(withDad, 'leaf1').duplicateAddressDetection, { maxMoves: 3, time: 180 });
    });

    test('external route reflectors: leaves peer with them, as non-clients', () => {
      const ext = valid(fabric({ routeReflectors: { external: ['192.0.2.2', '192.0.2.1'] } }));
      const intent = intentFor(ext, 'leaf1');
      assert.deepEqual(intent.neighbors, [
        { address: '192.0.2.1', remoteAs: 65000, description: 'external-rr', routeReflectorClient: false },
        { address: '192.0.2.2', remoteAs: 65000, description: 'external-rr', routeReflectorClient: false },
      ]);
    });
  });
});

describe('networks on this node', () => {
  test('spec.nodes restricts a network to the listed nodes; ports are filtered per node', () => {
    const resources = valid(
      fabric(),
      network('blue', {
        vni: 100,
        ports: [
          { node: 'leaf2', interface: 'eth2' },
          { node: 'leaf1', interface: 'eth9' },
          { node: 'leaf1', interface: 'eth1' },
        ],
      }),
      network('red', { vni: 200, nodes: ['leaf2', 'leaf3'], ports: [{ node: 'leaf3', interface: 'eth5' }] }),
    );
    const leaf1 = intentFor(resources, 'leaf1');
    assert.deepEqual(
      leaf1.l2vnis.map((v) => [v.name, v.ports]),
      [['blue', ['eth1', 'eth9']]],
    );
    const leaf2 = intentFor(resources, 'leaf2');
    assert.deepEqual(
      leaf2.l2vnis.map((v) => [v.name, v.ports]),
      [
        ['blue', ['eth2']],
        ['red', []],
      ],
    );
    const leaf3 = intentFor(resources, 'leaf3');
    assert.deepEqual(
      leaf3.l2vnis.map((v) => [v.name, v.ports]),
      [
        ['blue', []],
        ['red', ['eth5']],
      ],
    );
    // BGP peers do not depend on where networks live.
    assert.deepEqual(
      leaf1.neighbors.map((n) => n.description),
      ['leaf2', 'leaf3'],
    );
  });

  test('an L2VNI carries every resolved field', () => {
    const resources = valid(fabric(), network('blue', { vni: 100, ports: [{ node: 'leaf1', interface: 'eth1' }] }));
    assert.deepEqual(intentFor(resources, 'leaf1').l2vnis, [
      {
        owner: 'EVPNNetwork/blue',
        name: 'blue',
        vni: 100,
        bridge: 'blue',
        vxlanDevice: 'vxlan100',
        localAddress: '10.0.0.1',
        udpPort: 4789,
        mtu: 1450,
        arpNdSuppression: true,
        macLearning: false,
        ports: ['eth1'],
        importRTs: [],
        exportRTs: [],
      },
    ]);
  });

  test('explicit bridge, rd and sorted route targets', () => {
    const resources = valid(
      fabric({ udpPort: 4790 }),
      network('blue', {
        vni: 100,
        bridge: 'br-blue',
        rd: '10.0.0.1:100',
        routeTargets: { import: ['65000:200', '10.0.0.1:100'], export: ['65000:200'] },
      }),
    );
    const [v] = intentFor(resources, 'leaf3').l2vnis;
    assert.equal(v!.bridge, 'br-blue');
    assert.equal(v!.vxlanDevice, 'vxlan100');
    assert.equal(v!.localAddress, '10.0.0.3');
    assert.equal(v!.udpPort, 4790);
    assert.equal(v!.rd, '10.0.0.1:100');
    assert.deepEqual(v!.importRTs, ['10.0.0.1:100', '65000:200']);
    assert.deepEqual(v!.exportRTs, ['65000:200']);
  });
});

describe('MTU defaults', () => {
  const mtuOf = (f: Resource, net: Obj = {}, node = 'leaf1') =>
    intentFor(valid(f, network('blue', { vni: 100, ...net })), node).l2vnis[0]!.mtu;
  const v6 = [
    { name: 'a', vtepAddress: 'fd00::1', routerID: '10.0.0.1' },
    { name: 'b', vtepAddress: 'fd00::2', routerID: '10.0.0.2' },
  ];

  test('IPv4 VTEPs: 1500 - 50 = 1450', () => assert.equal(mtuOf(fabric()), 1450));
  test('IPv6 VTEPs: 1500 - 70 = 1430', () => assert.equal(mtuOf(fabric({ nodes: v6 }), {}, 'a'), 1430));
  test('one IPv6 VTEP makes the whole fabric use the IPv6 overhead', () => {
    assert.equal(
      mtuOf(fabric({ nodes: [...NODES, { name: 'v6', vtepAddress: 'fd00::9', routerID: '10.0.0.9' }] })),
      1430,
    );
  });
  test('underlayMTU 9000 -> 8950', () => assert.equal(mtuOf(fabric({ underlayMTU: 9000 })), 8950));
  test('explicit fabric mtu wins over the derived one', () => assert.equal(mtuOf(fabric({ mtu: 1400 })), 1400));
  test('network mtu wins over the fabric', () =>
    assert.equal(mtuOf(fabric({ underlayMTU: 9000, mtu: 8900 }), { mtu: 1500 }), 1500));
});

describe('ARP/ND suppression and MAC learning', () => {
  const flags = (f: Resource, net: Obj = {}) => {
    const v = intentFor(valid(f, network('blue', { vni: 100, ...net })), 'leaf1').l2vnis[0]!;
    return { arpNdSuppression: v.arpNdSuppression, macLearning: v.macLearning };
  };
  test('defaults: suppression on, learning off', () =>
    assert.deepEqual(flags(fabric()), { arpNdSuppression: true, macLearning: false }));
  test('fabric overrides both', () =>
    assert.deepEqual(flags(fabric({ arpNdSuppression: false, macLearning: true })), {
      arpNdSuppression: false,
      macLearning: true,
    }));
  test('network overrides the fabric suppression', () => {
    assert.deepEqual(flags(fabric({ arpNdSuppression: false }), { arpNdSuppression: true }), {
      arpNdSuppression: true,
      macLearning: false,
    });
    assert.deepEqual(flags(fabric(), { arpNdSuppression: false }), { arpNdSuppression: false, macLearning: false });
  });
});

describe('node identity', () => {
  test('routerID given explicitly wins over the VTEP address', () => {
    const intent = intentFor(
      valid(fabric({ nodes: [{ name: 'leaf1', vtepAddress: '10.0.0.1', routerID: '192.0.2.1' }, NODES[1]!] })),
      'leaf1',
    );
    assert.equal(intent.routerId, '192.0.2.1');
    assert.equal(intent.vtepAddress, '10.0.0.1');
  });

  test('per-node asn (all equal) is used', () => {
    const nodes = NODES.map((n) => ({ ...n, asn: 4200000001 }));
    const raw = fabric({ nodes });
    delete (raw.spec as Obj).asn;
    const intent = intentFor(valid(raw), 'leaf2');
    assert.equal(intent.asn, 4200000001);
    assert.deepEqual(
      intent.neighbors.map((n) => n.remoteAs),
      [4200000001, 4200000001],
    );
  });

  test('a node not in the fabric throws NodeNotInFabricError naming the known nodes', () => {
    const resources = valid(fabric());
    assert.throws(
      () => translate(resources, 'leaf9'),
      (err: unknown) => {
        assert.ok(err instanceof NodeNotInFabricError);
        assert.equal(err.node, 'leaf9');
        assert.equal(err.fabric, 'lab');
        assert.deepEqual(err.known, ['leaf1', 'leaf2', 'leaf3']);
        assert.match(err.message, /leaf9.*EVPNFabric\/lab.*leaf1, leaf2, leaf3/);
        return true;
      },
    );
  });

  test('IS-IS and OpenFabric: the NET is the area, the router ID spelled as a system ID, selector 00', () => {
    const routed = NODES.map((n, i) => ({
      ...n,
      uplinks: ['eth1'],
      ...(i === 2 ? { routerID: '192.168.10.254' } : {}),
    }));
    for (const protocol of ['isis', 'openfabric'] as const) {
      const nets = ['leaf1', 'leaf3'].map((node) => {
        const igp = intentFor(valid(fabric({ nodes: routed, underlay: { protocol } })), node).underlay?.igp;
        assert.ok(igp && 'net' in igp, protocol);
        return igp.net;
      });
      assert.deepEqual(nets, ['49.0001.0100.0000.0001.00', '49.0001.1921.6801.0254.00'], protocol);
    }
    const other = fabric({ nodes: routed, underlay: { protocol: 'isis', area: '49.0A0B.0002' } });
    const igp = intentFor(valid(other), 'leaf2').underlay?.igp;
    assert.deepEqual(igp, { protocol: 'isis', net: '49.0a0b.0002.0100.0000.0002.00', linkAddresses: ['10.0.0.2/32'] });
  });

  test('no fabric: no intent', () => {
    assert.equal(translate([], 'leaf1'), undefined);
  });
});

describe('duplicate address detection', () => {
  const dad = (d: Obj) => intentFor(valid(fabric({ duplicateAddressDetection: d })), 'leaf1').duplicateAddressDetection;
  test('FRR defaults (5 moves in 180 s, no freeze) are not carried', () => {
    assert.equal(dad({}), undefined);
    assert.equal(dad({ maxMoves: 5, time: 180 }), undefined);
    assert.equal(dad({ maxMoves: 5, time: 180, freeze: false }), undefined);
  });
  test('custom values with freeze: true -> permanent, a number stays a number', () => {
    assert.deepEqual(dad({ maxMoves: 3, time: 60, freeze: true }), { maxMoves: 3, time: 60, freeze: 'permanent' });
    assert.deepEqual(dad({ freeze: 'permanent' }), { maxMoves: 5, time: 180, freeze: 'permanent' });
    assert.deepEqual(dad({ time: 30, freeze: 600 }), { maxMoves: 5, time: 30, freeze: 600 });
  });
});

describe('determinism', () => {
  test('shuffled resources, nodes, ports and route targets give a deep-equal intent', () => {
    const nodes = [...NODES, { name: 'leaf4', vtepAddress: '10.0.0.4' }, { name: 'rr1', vtepAddress: '10.0.0.100' }];
    const ports = [
      { node: 'leaf1', interface: 'eth3' },
      { node: 'leaf1', interface: 'eth1' },
      { node: 'leaf2', interface: 'eth1' },
      { node: 'leaf1', interface: 'eth2' },
    ];
    const rts = ['65000:3', '65000:1', '10.0.0.1:2'];
    const build = (seed: number): KnownResource[] =>
      valid(
        ...shuffled(
          [
            fabric({ nodes: shuffled(nodes, seed), routeReflectors: { nodes: ['rr1'] } }),
            network('blue', {
              vni: 100,
              ports: shuffled(ports, seed + 1),
              routeTargets: { import: shuffled(rts, seed + 2), export: shuffled(rts, seed + 3) },
            }),
            network('red', { vni: 300 }),
            network('green', { vni: 200, nodes: shuffled(['leaf1', 'leaf2', 'leaf3'], seed) }),
          ],
          seed,
        ),
      );
    for (const node of ['leaf1', 'rr1']) {
      const reference = intentFor(build(1), node);
      for (let seed = 2; seed < 12; seed++)
        assert.deepEqual(intentFor(build(seed), node), reference, `seed ${seed}, node ${node}`);
      assert.equal(JSON.stringify(intentFor(build(7), node)), JSON.stringify(reference), 'key order is stable too');
    }
    const leaf1 = intentFor(build(5), 'leaf1');
    assert.deepEqual(
      leaf1.l2vnis.map((v) => v.vni),
      [100, 200, 300],
    );
    assert.deepEqual(leaf1.l2vnis[0]!.ports, ['eth1', 'eth2', 'eth3']);
    assert.deepEqual(leaf1.l2vnis[0]!.importRTs, ['10.0.0.1:2', '65000:1', '65000:3']);
    assert.deepEqual(
      intentFor(build(5), 'rr1').neighbors.map((n) => n.address),
      ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'],
    );
  });
});
