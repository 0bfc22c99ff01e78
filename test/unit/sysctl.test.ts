// Sysctl knobs: which keys a node needs and how `sysctl` output is read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSysctl, wantedKeys } from '../../src/system/sysctl.ts';

describe('sysctl knobs', () => {
  it('asks for forwarding and per-SVI neighbor learning, with dots in interface names written as /', () => {
    assert.deepEqual(
      wantedKeys({
        forwarding: { ipv4: true, ipv6: false },
        gatewaySvis: [
          { name: 'apps', ipv4: true, ipv6: true },
          { name: 'vm.100', ipv4: true, ipv6: false },
        ],
      }),
      [
        'net.ipv4.ip_forward',
        'net.ipv4.conf.apps.arp_accept',
        'net.ipv6.conf.apps.accept_untracked_na',
        'net.ipv4.conf.vm/100.arp_accept',
      ],
    );
    assert.deepEqual(wantedKeys({}), []);
  });

  it('reads "key = value" lines and ignores anything else', () => {
    const m = parseSysctl(
      'net.ipv4.ip_forward = 0\nnet.ipv4.conf.vm/100.arp_accept = 1\nsysctl: cannot stat /proc/sys/x: No such file\n',
    );
    assert.equal(m.get('net.ipv4.ip_forward'), '0');
    assert.equal(m.get('net.ipv4.conf.vm/100.arp_accept'), '1');
    assert.equal(m.size, 2);
  });
});
