import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseBgpEvpnSummary } from '../../src/observe/parse-bgp.ts';
import { parseEvpnMacs, parseEvpnVnis } from '../../src/observe/parse-evpn.ts';
import { JsonStreamError, splitJsonDocuments } from '../../src/system/json-stream.ts';
import { FRR_VERSIONS, fixture } from '../helpers/fixtures.ts';

for (const version of FRR_VERSIONS) {
  describe(`FRR ${version} recordings`, () => {
    test('splits the real output of one vtysh call with three -c json commands', () => {
      const docs = splitJsonDocuments(fixture(`frr/${version}/multi-command.txt`));
      assert.equal(docs.length, 3);
      assert.deepEqual(
        parseEvpnVnis(docs[0]).map((v) => v.vni),
        [100, 200],
      );
      const summary = parseBgpEvpnSummary(docs[1]);
      assert.equal(summary.routerId, '10.99.1.1');
      assert.equal(summary.sessions[0]?.peer, '10.99.1.2');
      assert.equal(summary.sessions[0]?.state, 'Established');
      assert.equal(parseEvpnMacs(docs[2]).length, 4);
    });
  });
}

test('EVPN disabled: 8.4 prints nothing for a command (3 commands, 2 documents), 10.3 prints {} (3 documents)', () => {
  const text84 = fixture('frr/8.4/multi-command-empty.txt');
  assert.equal(text84, '{}\n{}\n');
  assert.deepEqual(splitJsonDocuments(text84), [{}, {}]);
  const text103 = fixture('frr/10.3/multi-command-empty.txt');
  assert.equal(text103, '{}\n{}\n{}\n');
  assert.deepEqual(splitJsonDocuments(text103), [{}, {}, {}]);
});

test('empty and blank text give no documents', () => {
  assert.deepEqual(splitJsonDocuments(''), []);
  assert.deepEqual(splitJsonDocuments(' \n\r\n\t'), []);
});

test('documents may be glued, separated by blank lines, or be arrays', () => {
  assert.deepEqual(splitJsonDocuments('{}{"a":1}\n\n\n[1,[2]]\r\n{\n}\n'), [{}, { a: 1 }, [1, [2]], {}]);
});

test('braces, brackets, quotes and backslashes inside strings do not split', () => {
  const text = '{"a":"}{","b":"x\\"}\\\\","c":"[","d":"n\\/a"}\n{"e":"\\\\"}';
  assert.deepEqual(splitJsonDocuments(text), [{ a: '}{', b: 'x"}\\', c: '[', d: 'n/a' }, { e: '\\' }]);
});

test('vtysh error text between documents is rejected with its offset', () => {
  const text = '{}\n% Unknown command: show evpn foo json\n{}';
  assert.throws(
    () => splitJsonDocuments(text),
    (err: unknown) => {
      assert.ok(err instanceof JsonStreamError);
      assert.equal(err.offset, 3);
      assert.match(err.message, /offset 3.*% Unknown command/);
      return true;
    },
  );
});

test('a truncated document is rejected', () => {
  const whole = fixture('frr/8.4/show-evpn-vni.json');
  const cut = whole.slice(0, whole.length - 5);
  assert.throws(() => splitJsonDocuments(`{}\n${cut}`), /unterminated JSON document starting at offset 3/);
});

test('mismatched brackets and invalid JSON inside a balanced document are rejected', () => {
  assert.throws(() => splitJsonDocuments('{"a":[1}'), /unbalanced '}' at offset 7/);
  assert.throws(() => splitJsonDocuments('{"a":1,}\n{}'), /invalid JSON document 1 at offset 0/);
  assert.throws(() => splitJsonDocuments('{}\nnull'), /expected a JSON object or array at offset 3/);
});

test('FRR 10.3 empty route table `{\n,"numPrefix":0,...}` is repaired; other invalid JSON still throws', () => {
  const docs = splitJsonDocuments('{"a":1}\n{\n,"numPrefix":0,"numPaths":0}\n[]');
  assert.deepEqual(docs, [{ a: 1 }, { numPrefix: 0, numPaths: 0 }, []]);
  assert.throws(() => splitJsonDocuments('{\n,,"x":1}'), /invalid JSON document 1/);
  assert.throws(() => splitJsonDocuments('{"x":}'), /invalid JSON document 1/);
});
