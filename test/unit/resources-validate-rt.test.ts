// Route targets that cannot match across a network's or VRF's nodes
// (src/resources/rules-rt.ts): auto-derived ones always match (FRR imports an
// automatic RT by its VNI alone), explicit lists must hold what the nodes
// export; in an eBGP fabric each leaf exports in its own AS.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FROM_RT_RULES, issueChecker } from '../helpers/issues.ts';
import { fabricOn, network, stream, THREE_LEAVES, vrf } from '../helpers/resources.ts';

const { seen, issuesOf, expectOne } = issueChecker();
const EBGP = [
  { name: 's1', asn: 65100, vtepAddress: '10.1.0.1', roles: ['spine'], uplinks: ['eth1', 'eth2'] },
  { name: 'l1', asn: 65101, vtepAddress: '10.1.1.1', uplinks: ['eth1'] },
  { name: 'l2', asn: 65102, vtepAddress: '10.1.1.2', uplinks: ['eth1'] },
];
const ebgp = () => {
  const doc = fabricOn(EBGP as never)();
  delete (doc.spec as Record<string, unknown>).asn;
  return doc;
};
const ibgp = fabricOn(THREE_LEAVES)();
const net = (routeTargets?: object) => network('web', { vni: 100, ...(routeTargets ? { routeTargets } : {}) });

describe('route targets across nodes', () => {
  test('auto-derived, or explicit lists that hold what is exported: valid in eBGP and iBGP fabrics', () => {
    for (const fabric of [ebgp(), ibgp]) {
      assert.deepEqual(issuesOf(stream(fabric, net())), []);
      assert.deepEqual(issuesOf(stream(fabric, net({ import: ['65000:100'], export: ['65000:100'] }))), []);
      assert.deepEqual(issuesOf(stream(fabric, net({ export: ['65000:100'] }))), []); // auto import: by VNI
    }
    // one AS: every node exports 65000:100
    assert.deepEqual(issuesOf(stream(ibgp, net({ import: ['65000:100'] }))), []);
    // eBGP: the import list holds each leaf's auto-derived export (the spine carries no VNI)
    assert.deepEqual(issuesOf(stream(ebgp(), net({ import: ['65101:100', '65102:100'] }))), []);
  });

  test('no export route target imported', () => {
    expectOne(
      stream(ibgp, net({ import: ['65000:100'], export: ['65000:200'] })),
      'EVPNNetwork/web',
      'spec.routeTargets',
      'RT_MISMATCH',
      '65000:200',
      '65000:100',
    );
  });

  test("an import list without a leaf's own AS in an eBGP fabric, export auto-derived", () => {
    expectOne(
      stream(ebgp(), net({ import: ['65101:100'] })),
      'EVPNNetwork/web',
      'spec.routeTargets.import',
      'RT_MISMATCH',
      '65102:100',
    );
  });

  test("4-byte AS numbers: FRR's auto-derived RT keeps the AS's lower 2 bytes", () => {
    const big = fabricOn(THREE_LEAVES)({ asn: 4_200_000_001 });
    // 4200000001 & 0xffff = 59905: what each node exports for VNI 100
    assert.deepEqual(issuesOf(stream(big, net({ import: ['59905:100'] }))), []);
    expectOne(
      stream(big, net({ import: ['4200000001:100'] })),
      'EVPNNetwork/web',
      'spec.routeTargets.import',
      'RT_MISMATCH',
      '59905:100',
    );
  });

  test('an export list that no auto-derived import matches (no RT ending in the VNI)', () => {
    expectOne(
      stream(ebgp(), net({ export: ['65000:555'] })),
      'EVPNNetwork/web',
      'spec.routeTargets.export',
      'RT_MISMATCH',
      ':100',
    );
  });

  test("a VRF's L3VNI: the wildcard *:NN imports every leaf's export; a mismatch is named all at once with the network's", () => {
    const red = (routeTargets: object) => vrf('red', { l3vni: 5000, routeTargets });
    assert.deepEqual(issuesOf(stream(ebgp(), red({ import: ['*:5000'] }))), []);
    assert.deepEqual(issuesOf(stream(ebgp(), red({ import: ['*:5000'], export: ['65000:5000'] }))), []);
    assert.deepEqual(
      issuesOf(stream(ebgp(), red({ import: ['*:5001'], export: ['65000:5000'] }), net({ import: ['65101:100'] }))),
      [
        ['EVPNNetwork/web', 'spec.routeTargets.import', 'RT_MISMATCH'],
        ['EVPNVRF/red', 'spec.routeTargets', 'RT_MISMATCH'],
      ],
    );
  });

  test('every code of the route-target rules was produced above', () => {
    for (const code of FROM_RT_RULES) assert.ok(seen.has(code), code);
  });
});
