// The bad-input corpus (test/bad-input) against the check `evpnctl validate`
// and the daemon's apply share: every case refused with exactly its listed
// problems (resource or document, field path, code), a real message, no stack
// trace and no secret value; then a sample through the real evpnctl binary.
// test/integration/bad-input-daemon.test.ts sends the same cases to a daemon.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { loadTemplates } from '../../src/render/frr.ts';
import { renderNode } from '../../src/render/node-render.ts';
import { formatIssue } from '../../src/resources/error-codes.ts';
import { checkCandidate } from '../../src/store/candidate.ts';
import { type Case, expectedKey, loadAccepted, loadCorpus } from '../bad-input/corpus.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const cases = loadCorpus();
const STACK = /\n\s+at |\bat [\w.<>]+ \(|TypeError|ReferenceError|is not a function|\[object Object\]/;

function check(c: Case) {
  const result = checkCandidate(c.text, [], true);
  const got = result.issues.map((i) => expectedKey([i.resource, i.path, i.code]));
  assert.equal(result.ok, false, `${c.name}: accepted`);
  assert.deepEqual(
    [...new Set(got)].sort(),
    [...new Set(c.expect.map(expectedKey))].sort(),
    `${c.name}:\n${result.issues.map(formatIssue).join('\n')}`,
  );
  for (const issue of result.issues) {
    const line = formatIssue(issue);
    assert.ok(issue.message.length >= 10, `${c.name}: a message that says something: ${line}`);
    assert.doesNotMatch(line, STACK, `${c.name}: no stack trace or JavaScript internals in "${line}"`);
    assert.equal(line.includes('\n'), false, `${c.name}: one line per problem`);
    for (const secret of c.forbid)
      assert.equal(line.includes(secret), false, `${c.name}: the secret value appears in "${line}"`);
  }
  assert.equal(result.yaml, '', 'nothing to store');
}

describe('bad-input corpus', () => {
  it('holds at least 150 cases, several per class, with unique names', () => {
    assert.ok(cases.length >= 150, `${cases.length} cases`);
    const perFile = new Map<string, number>();
    for (const c of cases) perFile.set(c.file, (perFile.get(c.file) ?? 0) + 1);
    for (const [file, n] of perFile) assert.ok(n >= 5, `${file} has only ${n} cases`);
    const names = cases.map((c) => `${c.file}/${c.name}`);
    assert.equal(new Set(names).size, names.length, 'case names are unique');
  });

  for (const file of [...new Set(cases.map((c) => c.file))]) {
    it(`${file}: every case is refused with exactly its problems`, () => {
      for (const c of cases.filter((x) => x.file === file)) check(c);
    });
  }

  it('odd but valid inputs are accepted and render for every node', () => {
    const templates = loadTemplates();
    for (const a of loadAccepted()) {
      const result = checkCandidate(a.text, [], true);
      assert.deepEqual(result.issues.map(formatIssue), [], a.name);
      const fabric = result.resources.find((r) => r.kind === 'EVPNFabric')!;
      const frr = fabric.spec.nodes
        .map((n: { name: string }) => renderNode(result.resources, n.name, templates).frr)
        .join('\n');
      for (const text of a.canonical) assert.ok(frr.includes(text), `${a.name}: the rendered FRR config has ${text}`);
    }
  });
});

describe('bad input through the real evpnctl binary', () => {
  const sample = ['yaml.yaml', 'names.yaml', 'duplicates.yaml', 'secrets.yaml', 'addresses.yaml', '(generated)'].map(
    (file) => cases.find((c) => c.file === file && c.expect.every((e) => e[2] !== 'CANDIDATE_EMPTY'))!,
  );
  sample.push(
    cases.find((c) => c.name === 'an empty file')!,
    cases.find((c) => c.name === 'recursive alias in a sequence')!,
    cases.find((c) => c.name === 'kind __proto__')!,
  );

  for (const c of sample) {
    it(`validate: ${c.file}: ${c.name}`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'bad-input-'));
      try {
        const file = join(dir, 'input.yaml');
        await writeFile(file, c.text);
        const r = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
          execFile(
            process.execPath,
            [join(ROOT, 'bin/evpnctl.js'), 'validate', '-f', file],
            { maxBuffer: 64 * 1024 * 1024 },
            (err, stdout, stderr) => done({ code: err ? Number(err.code) : 0, stdout, stderr }),
          );
        });
        assert.equal(r.code, 1, r.stderr);
        for (const [resource, path, code] of c.expect)
          assert.ok(
            r.stdout.includes(`${resource}: ${path || '(document)'}: ${code}:`),
            `${c.name}: ${resource} ${path} ${code} in\n${r.stdout}`,
          );
        assert.match(r.stderr, /^invalid: \d+ problems?/);
        assert.doesNotMatch(r.stdout + r.stderr, STACK);
        for (const secret of c.forbid) assert.equal((r.stdout + r.stderr).includes(secret), false);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
