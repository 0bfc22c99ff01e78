// parseReloadDiff / hasChanges / commandCount on real `frr-reload.py --test`
// output, recorded offline by test/fixtures/frr-reload/record.sh from FRR 8.4
// and 10.3 (same inputs; every recorded-output test runs against both).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { l3vniUnmaps } from '../../src/apply/frr-apply.ts';
import { commandCount, hasChanges, isIgnoredLine, parseReloadDiff } from '../../src/system/frr-reload-diff.ts';
import { fixture } from '../helpers/fixtures.ts';

const RELOAD_VERSIONS = ['8.4', '10.3'] as const;

// The diff as blocks (a top-level line and the deeper lines after it), sorted: order-free.
function blocks(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (/^\S/.test(line) || out.length === 0) out.push(line);
    else out[out.length - 1] += `\n${line}`;
  }
  return out.sort();
}

for (const version of RELOAD_VERSIONS) {
  describe(`frr-reload --test output (FRR ${version})`, () => {
    test('against an empty running config: every line is added, banners ignored', () => {
      const raw = fixture(`frr-reload/${version}/add-from-empty.txt`);
      assert.match(raw, /^Lines To Add$/m, 'the recording has the section header');
      assert.match(raw, /^hostname leaf1$/m, 'the recording has the hostname line');
      const diff = parseReloadDiff(raw);
      assert.deepEqual(diff.toDelete, []);
      assert.equal(diff.toAdd.length, 34);
      assert.deepEqual(diff.toAdd.slice(0, 4), [
        'router bgp 65000',
        'router bgp 65000',
        ' bgp router-id 10.0.0.1',
        'router bgp 65000',
      ]);
      assert.deepEqual(diff.toAdd.slice(-4), [
        'router bgp 65000',
        ' address-family l2vpn evpn',
        '  vni 100',
        '   route-target export 65000:100',
      ]);
      for (const line of diff.toAdd)
        assert.doesNotMatch(line, /^(hostname|frr (version|defaults)|log |service )/, line);
      assert.equal(hasChanges(diff), true);
      // router bgp, 5 top-level commands, address-family, activate,
      // advertise-all-vni, vni 100, rd, 2 route targets
      assert.equal(commandCount(diff), 13);
    });

    test('only the hostname differs: no change', () => {
      const raw = fixture(`frr-reload/${version}/hostname-only.txt`);
      assert.match(raw, /^no hostname old-name$/m);
      assert.match(raw, /^hostname leaf1$/m);
      const diff = parseReloadDiff(raw);
      assert.deepEqual(diff, { toDelete: [], toAdd: [] });
      assert.equal(hasChanges(diff), false);
      assert.equal(commandCount(diff), 0);
    });

    test('identical files print nothing: no change', () => {
      assert.equal(fixture(`frr-reload/${version}/identical.txt`), '');
      const diff = parseReloadDiff(fixture(`frr-reload/${version}/identical.txt`));
      assert.deepEqual(diff, { toDelete: [], toAdd: [] });
      assert.equal(hasChanges(diff), false);
    });

    test('peer and VNI replaced: deletes and adds, with their context lines', () => {
      const diff = parseReloadDiff(fixture(`frr-reload/${version}/modify.txt`));
      // 10.3 prints the same blocks in another order: compare them as a multiset.
      assert.deepEqual(
        blocks(diff.toDelete),
        blocks([
          'router bgp 65000',
          ' address-family l2vpn evpn',
          '  no vni 200',
          'router bgp 65000',
          ' no neighbor 10.0.0.3 remote-as 65000',
          'router bgp 65000',
          ' no neighbor 10.0.0.3 description leaf3',
          'router bgp 65000',
          ' no neighbor 10.0.0.3 update-source 10.0.0.1',
          'router bgp 65000',
          ' address-family l2vpn evpn',
          '  no neighbor 10.0.0.3 activate',
          'router bgp 65000',
          ' address-family l2vpn evpn',
          '  no dup-addr-detection max-moves 3 time 60',
        ]),
      );
      assert.deepEqual(
        blocks(diff.toAdd),
        blocks([
          'router bgp 65000',
          ' neighbor 10.0.0.2 remote-as 65000',
          'router bgp 65000',
          ' neighbor 10.0.0.2 description leaf2',
          'router bgp 65000',
          ' neighbor 10.0.0.2 update-source 10.0.0.1',
          'router bgp 65000',
          ' address-family l2vpn evpn',
          '  neighbor 10.0.0.2 activate',
          'router bgp 65000',
          ' address-family l2vpn evpn',
          '  vni 100',
          'router bgp 65000',
          ' address-family l2vpn evpn',
          '  vni 100',
          '   rd 10.0.0.1:100',
          'router bgp 65000',
          ' address-family l2vpn evpn',
          '  vni 100',
          '   route-target import 65000:100',
          'router bgp 65000',
          ' address-family l2vpn evpn',
          '  vni 100',
          '   route-target export 65000:100',
        ]),
      );
      assert.equal(hasChanges(diff), true);
      // 6 deletes + 8 adds (3 neighbor lines, activate, vni 100, rd, 2 route targets)
      assert.equal(commandCount(diff), 14);
      assert.equal(commandCount({ toDelete: diff.toDelete, toAdd: [] }), 6);
    });

    test('a tenant VRF added: vrf with its L3VNI, router bgp vrf with three address families', () => {
      const diff = parseReloadDiff(fixture(`frr-reload/${version}/add-vrf-from-empty.txt`));
      assert.deepEqual(diff.toDelete, []);
      assert.deepEqual(diff.toAdd.slice(34), [
        'vrf red',
        'vrf red',
        ' vni 4000',
        'router bgp 65000 vrf red',
        'router bgp 65000 vrf red',
        ' bgp router-id 10.0.0.1',
        'router bgp 65000 vrf red',
        ' address-family ipv4 unicast',
        'router bgp 65000 vrf red',
        ' address-family ipv4 unicast',
        '  redistribute connected',
        'router bgp 65000 vrf red',
        ' address-family ipv6 unicast',
        'router bgp 65000 vrf red',
        ' address-family ipv6 unicast',
        '  redistribute connected',
        'router bgp 65000 vrf red',
        ' address-family l2vpn evpn',
        'router bgp 65000 vrf red',
        ' address-family l2vpn evpn',
        '  advertise ipv4 unicast',
        'router bgp 65000 vrf red',
        ' address-family l2vpn evpn',
        '  advertise ipv6 unicast',
      ]);
      assert.deepEqual(
        diff.toAdd.slice(0, 34),
        parseReloadDiff(fixture(`frr-reload/${version}/add-from-empty.txt`)).toAdd,
      );
      // The 13 of add-from-empty; vrf red, vni 4000, router bgp vrf red, router-id,
      // 3 address families, 2 redistribute, 2 advertise.
      assert.equal(commandCount(diff), 24);
    });

    test('a tenant VRF removed: its L3VNI and its router bgp, no closers', () => {
      const diff = parseReloadDiff(fixture(`frr-reload/${version}/remove-vrf.txt`));
      assert.deepEqual(diff, { toDelete: ['vrf red', ' no vni 4000', 'no router bgp 65000 vrf red'], toAdd: [] });
      assert.equal(commandCount(diff), 2);
    });

    test('a tenant VRF removed: its L3VNI is unmapped by hand before the reload removes its router bgp', () => {
      const diff = parseReloadDiff(fixture(`frr-reload/${version}/remove-vrf.txt`));
      assert.deepEqual(l3vniUnmaps(diff), ['vrf red', 'no vni 4000', 'exit-vrf']);
      assert.deepEqual(l3vniUnmaps(parseReloadDiff(fixture(`frr-reload/${version}/modify.txt`))), []);
    });
  });
}

describe('FRR 8.4 and 10.3 print the same changes differently', () => {
  test('10.3 closes every context with exit lines (one per level); 8.4 prints none', () => {
    const raw84 = fixture('frr-reload/8.4/add-from-empty.txt');
    const raw103 = fixture('frr-reload/10.3/add-from-empty.txt');
    assert.doesNotMatch(raw84, /^\s*exit$/m);
    assert.match(raw103, /^ {2}vni 100\n {3}rd 10\.0\.0\.1:100\n {2}exit\n exit\nexit$/m);
    assert.equal(raw103.match(/^ *exit$/gm)?.length, 24, 'one per printed context line');
    assert.match(
      fixture('frr-reload/10.3/remove-vrf.txt'),
      /^vrf red\n no vni 4000\nexit\nno router bgp 65000 vrf red$/m,
    );
  });

  test('8.4 prints `vrf red` + ` exit-vrf` as if it were a command; 10.3 prints `vrf red` + `exit`', () => {
    assert.match(fixture('frr-reload/8.4/add-vrf-from-empty.txt'), /^vrf red\n exit-vrf$/m);
    assert.doesNotMatch(fixture('frr-reload/10.3/add-vrf-from-empty.txt'), /exit-vrf/);
    assert.match(fixture('frr-reload/10.3/add-vrf-from-empty.txt'), /^vrf red\nexit\nvrf red\n vni 4000\nexit$/m);
  });

  test('parsed, both give the same lines and command counts (modify: the same blocks in another order)', () => {
    for (const name of ['add-from-empty', 'hostname-only', 'identical', 'modify', 'add-vrf-from-empty', 'remove-vrf']) {
      const [a, b] = RELOAD_VERSIONS.map((v) => parseReloadDiff(fixture(`frr-reload/${v}/${name}.txt`)));
      assert.ok(a && b);
      assert.deepEqual(
        { toDelete: blocks(b.toDelete), toAdd: blocks(b.toAdd) },
        { toDelete: blocks(a.toDelete), toAdd: blocks(a.toAdd) },
        name,
      );
      assert.equal(commandCount(b), commandCount(a), name);
      if (name !== 'modify') assert.deepEqual(b, a, name);
    }
  });
});

describe('parser details', () => {
  test('trailing whitespace is stripped; section rules are skipped', () => {
    const diff = parseReloadDiff(
      '\nLines To Delete\n===============\nrouter bgp 1  \n no neighbor 1.1.1.1 remote-as 1\t\n\nLines To Add\n============\n',
    );
    assert.deepEqual(diff, { toDelete: ['router bgp 1', ' no neighbor 1.1.1.1 remote-as 1'], toAdd: [] });
    assert.equal(commandCount(diff), 1);
  });

  test('lines before any section header are ignored', () => {
    assert.deepEqual(parseReloadDiff('some log line\nrouter bgp 1\n'), { toDelete: [], toAdd: [] });
  });

  test('ignored lines', () => {
    for (const line of [
      'hostname x',
      'no hostname x',
      'frr version 8.4.4',
      'frr defaults traditional',
      'log syslog informational',
      'no log file',
      'service integrated-vtysh-config',
      'end',
      'exit',
      ' exit',
      'exit-vrf',
      ' exit-address-family',
      '  exit-vni',
      '!',
      '  ',
      '',
    ]) {
      assert.equal(isIgnoredLine(line), true, JSON.stringify(line));
    }
    for (const line of [
      'router bgp 65000',
      ' neighbor 10.0.0.2 description hostname',
      'no service password-encryption',
      'logging x',
      'exitx',
    ]) {
      assert.equal(isIgnoredLine(line), false, JSON.stringify(line));
    }
  });

  test('a closer deeper than the line before it takes that context line with it; a closer at its level does not', () => {
    const text = 'Lines To Add\n============\nvrf red\n exit-vrf\nvrf red\n vni 4000\n exit-vrf\nrouter bgp 1\nexit\n';
    assert.deepEqual(parseReloadDiff(text).toAdd, ['vrf red', ' vni 4000', 'router bgp 1']);
    assert.deepEqual(parseReloadDiff('Lines To Delete\n===\n exit\n').toDelete, [], 'a closer with nothing before it');
  });

  test('commandCount counts leaves: a context line followed by a deeper line is not a command', () => {
    assert.equal(commandCount({ toDelete: [], toAdd: ['router bgp 1'] }), 1);
    assert.equal(
      commandCount({ toDelete: [], toAdd: ['router bgp 1', ' address-family l2vpn evpn', '  advertise-all-vni'] }),
      1,
    );
    assert.equal(commandCount({ toDelete: ['ip route 10.0.0.0/8 Null0'], toAdd: ['router bgp 1', ' a', ' b'] }), 3);
  });
});
