// BGP passwords on the node (src/system/secrets.ts, controller/secret-check.ts):
// read from a real file or the environment, base64 when flagged; unusable or
// missing ones are problems naming resource, field and source but never the
// value; FRR's output is redacted where the daemon reads it.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { secretIssues } from '../../src/controller/secret-check.ts';
import { run } from '../../src/system/exec.ts';
import { Frr } from '../../src/system/frr.ts';
import { readSecret, redactFrrText } from '../../src/system/secrets.ts';
import type { SecretRef } from '../../src/translate/intent.ts';
import { nodeIntent } from '../helpers/intents.ts';

const dir = mkdtempSync(join(tmpdir(), 'rdevpn-secrets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ref = (src: Partial<SecretRef>): SecretRef => ({
  resource: 'EVPNFabric/lab',
  path: 'spec.passwordFrom',
  base64: false,
  ...src,
});
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

describe('reading a password', () => {
  test('from a file (one trailing newline dropped), from the environment, base64 from either', () => {
    assert.equal(readSecret(ref({ file: file('plain', 'Fabric-s3cret\n') })), 'Fabric-s3cret');
    assert.equal(readSecret(ref({ env: 'BGP_PW' }), { BGP_PW: 'env-s3cret' }), 'env-s3cret');
    const b64 = Buffer.from('b64-s3cret').toString('base64');
    assert.equal(readSecret(ref({ file: file('b64', `${b64}\n`), base64: true })), 'b64-s3cret');
    assert.equal(readSecret(ref({ env: 'BGP_PW', base64: true }), { BGP_PW: b64 }), 'b64-s3cret');
  });

  test('unusable: missing, unset, empty, too long, with a space, bad base64; the value never in the message', () => {
    const cases: [SecretRef, NodeJS.ProcessEnv, RegExp][] = [
      [ref({ file: join(dir, 'absent') }), {}, /file .*absent cannot be read \(ENOENT\)/],
      [ref({ env: 'NOPE' }), {}, /environment variable NOPE is not set/],
      [ref({ file: file('empty', '\n') }), {}, /does not hold a usable password/],
      [ref({ env: 'LONG' }), { LONG: 'x'.repeat(81) }, /1\.\.80 printable/],
      [ref({ env: 'SPACE' }), { SPACE: 'two words-s3cret' }, /no spaces/],
      [ref({ env: 'B64', base64: true }), { B64: 'not base64!' }, /not valid base64/],
    ];
    for (const [r, env, message] of cases) {
      assert.throws(
        () => readSecret(r, env),
        (err: Error & { code?: string }) => {
          assert.equal(err.code, 'SECRET_UNAVAILABLE');
          assert.match(err.message, /^EVPNFabric\/lab spec\.passwordFrom: /);
          assert.match(err.message, message);
          assert.doesNotMatch(err.message, /s3cret|two words/);
          return true;
        },
      );
    }
  });

  test('an unreadable file (mode 0) is refused too, for a user other than root', {
    skip: process.getuid?.() === 0,
  }, () => {
    const path = file('locked', 'locked-s3cret');
    chmodSync(path, 0);
    assert.throws(() => readSecret(ref({ file: path })), /EACCES/);
  });
});

describe('checking every password of a node before an apply', () => {
  test('each one this node cannot read is a SECRET_UNAVAILABLE problem with its own path', () => {
    const intent = nodeIntent({
      sessions: { password: ref({ env: 'FABRIC_PW' }) },
      peers: [
        {
          neighbor: '192.0.2.1',
          interface: false,
          remoteAs: '64512',
          families: ['ipv4Unicast'],
          password: ref({ path: 'spec.nodes[0].peers[0].passwordFrom', file: join(dir, 'absent-peer') }),
        },
      ],
    });
    const read = (r: SecretRef) => readSecret(r, { FABRIC_PW: 'ok-s3cret' });
    assert.deepEqual(
      secretIssues(intent, read).map((i) => [i.resource, i.path, i.code]),
      [['EVPNFabric/lab', 'spec.nodes[0].peers[0].passwordFrom', 'SECRET_UNAVAILABLE']],
    );
    assert.deepEqual(
      secretIssues(intent, () => 'fine'),
      [],
    );
  });
});

describe('redaction of FRR text', () => {
  test('every `neighbor X password Y` clause, in configs, diffs and error lines', () => {
    const text = [
      ' neighbor 10.0.0.2 password Fabric-s3cret',
      '+  neighbor FABRIC password Other-s3cret',
      'line 12: % Unknown command: neighbor ens3 password Third-s3cret extra',
      ' neighbor 10.0.0.2 bfd',
    ].join('\n');
    const out = redactFrrText(text);
    assert.doesNotMatch(out, /s3cret/);
    assert.equal((out.match(/password <redacted>/g) ?? []).length, 3);
    assert.match(out, /neighbor 10\.0\.0\.2 bfd/);
  });

  test('the FRR adapter redacts what its commands print (a real process stands in for vtysh)', async () => {
    const frr = new Frr(run, { vtysh: 'echo' });
    const r = await frr.vtysh(['neighbor 10.0.0.2 password Printed-s3cret']);
    assert.equal(r.stdout.trim(), '-c neighbor 10.0.0.2 password <redacted>');
  });
});
