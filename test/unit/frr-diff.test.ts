// parseReloadDiff / hasChanges / commandCount on real `frr-reload.py --test`
// output, recorded offline by test/fixtures/frr-reload/record.sh (FRR 8.4).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { commandCount, hasChanges, isIgnoredLine, parseReloadDiff } from '../../src/system/frr-reload-diff.ts';
import { fixture } from '../helpers/fixtures.ts';

describe('frr-reload --test output (FRR 8.4)', () => {
  test('against an empty running config: every line is added, banners ignored', () => {
    const raw = fixture('frr-reload/8.4/add-from-empty.txt');
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
    for (const line of diff.toAdd) assert.doesNotMatch(line, /^(hostname|frr (version|defaults)|log |service )/, line);
    assert.equal(hasChanges(diff), true);
    // router bgp, 5 top-level commands, address-family, activate,
    // advertise-all-vni, vni 100, rd, 2 route targets
    assert.equal(commandCount(diff), 13);
  });

  test('only the hostname differs: no change', () => {
    const raw = fixture('frr-reload/8.4/hostname-only.txt');
    assert.match(raw, /^no hostname old-name$/m);
    assert.match(raw, /^hostname leaf1$/m);
    const diff = parseReloadDiff(raw);
    assert.deepEqual(diff, { toDelete: [], toAdd: [] });
    assert.equal(hasChanges(diff), false);
    assert.equal(commandCount(diff), 0);
  });

  test('identical files print nothing: no change', () => {
    assert.equal(fixture('frr-reload/8.4/identical.txt'), '');
    const diff = parseReloadDiff(fixture('frr-reload/8.4/identical.txt'));
    assert.deepEqual(diff, { toDelete: [], toAdd: [] });
    assert.equal(hasChanges(diff), false);
  });

  test('peer and VNI replaced: deletes and adds, with their context lines', () => {
    const diff = parseReloadDiff(fixture('frr-reload/8.4/modify.txt'));
    assert.deepEqual(diff.toDelete, [
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
    ]);
    assert.deepEqual(diff.toAdd, [
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
    ]);
    assert.equal(hasChanges(diff), true);
    // 6 deletes + 8 adds (3 neighbor lines, activate, vni 100, rd, 2 route targets)
    assert.equal(commandCount(diff), 14);
    assert.equal(commandCount({ toDelete: diff.toDelete, toAdd: [] }), 6);
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
    ]) {
      assert.equal(isIgnoredLine(line), false, JSON.stringify(line));
    }
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
