// The error-code registry, its documentation and its use in src/ agree:
// docs/errors.md lists exactly the codes of ERROR_CODES with the same HTTP
// status, and every code string the sources emit is registered (as an error
// code, or as a report code of the Proxmox importer: docs/proxmox.md).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { IMPORT_CODES } from '../../src/import/pve-report.ts';
import { ERROR_CODES } from '../../src/resources/error-codes.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DOC = join(ROOT, 'docs/errors.md');
const CODE_PATTERN = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

interface DocRow {
  code: string;
  httpStatus: number;
  line: number;
}

// The rows of the table whose header starts with "| code | HTTP status |".
function parseDocTable(markdown: string): DocRow[] {
  const lines = markdown.split('\n');
  const header = lines.findIndex((l) => /^\|\s*code\s*\|\s*HTTP status\s*\|/i.test(l));
  assert.notEqual(header, -1, 'docs/errors.md has no table with the header "| code | HTTP status | ..."');
  assert.match(
    lines[header + 1] ?? '',
    /^\|[\s:|-]+\|$/,
    'the code table header is not followed by a |---| separator row',
  );
  const rows: DocRow[] = [];
  for (let i = header + 2; i < lines.length && lines[i]!.trim().startsWith('|'); i++) {
    const cells = lines[i]!.trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    const code = /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1] ?? cells[0] ?? '';
    assert.match(
      code,
      CODE_PATTERN,
      `docs/errors.md line ${i + 1}: first cell "${cells[0]}" is not a code like \`FIELD_TYPE\``,
    );
    assert.match(
      cells[1] ?? '',
      /^\d{3}$/,
      `docs/errors.md line ${i + 1}: HTTP status "${cells[1]}" of ${code} is not a number`,
    );
    assert.equal(
      cells.length,
      5,
      `docs/errors.md line ${i + 1}: ${code} needs 5 columns (code | HTTP status | meaning | example message | how to fix), has ${cells.length}`,
    );
    for (const [n, name] of [
      [2, 'meaning'],
      [3, 'example message'],
      [4, 'how to fix'],
    ] as const) {
      assert.ok(cells[n] && cells[n] !== '-', `docs/errors.md line ${i + 1}: ${code} has an empty "${name}" column`);
    }
    rows.push({ code, httpStatus: Number(cells[1]), line: i + 1 });
  }
  return rows;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

interface CodeUse {
  code: string;
  where: string; // file:line
  how: string;
}

function calleeName(expr: ts.Expression): string | undefined {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  if (ts.isCallExpression(expr)) return 'call()'; // e.g. pusher(issues, id)(path, 'CODE', message)
  return undefined;
}

// Calls that take an error code, and at which argument: ValidationIssue
// pushers push(path, code, message) and pusher(...)(path, code, message), and
// checkRange(push, path, value, min, max, code, what).
const CODE_ARGUMENT: Record<string, number> = { push: 1, 'call()': 1, checkRange: 5 };

// Where a string is in a "code position" (not merely upper-case text such as
// the link flag 'LOWER_UP' or a table header 'PHASE'), says how; else undefined.
function codePosition(literal: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral): string | undefined {
  // Look through `'X' as const`, `'X' satisfies T`, `('X')`.
  let node: ts.Expression = literal;
  while (
    ts.isAsExpression(node.parent) ||
    ts.isSatisfiesExpression(node.parent) ||
    ts.isParenthesizedExpression(node.parent)
  )
    node = node.parent;
  const parent = node.parent;
  if (
    ts.isPropertyAssignment(parent) &&
    parent.initializer === node &&
    ts.isIdentifier(parent.name) &&
    parent.name.text === 'code'
  )
    return '{code: ...}';
  if (
    ts.isNewExpression(parent) &&
    ts.isIdentifier(parent.expression) &&
    parent.expression.text === 'CodedError' &&
    parent.arguments?.[0] === node
  )
    return 'new CodedError(...)';
  if (ts.isCallExpression(parent)) {
    const name = calleeName(parent.expression);
    if (name === 'CodedError' && parent.arguments[0] === node) return 'CodedError(...)';
    if (name !== undefined && CODE_ARGUMENT[name] !== undefined && parent.arguments[CODE_ARGUMENT[name]!] === node)
      return `${name}(...)`;
  }
  // A literal type in `code: 'A' | 'B'` (a property signature named code).
  if (ts.isLiteralTypeNode(parent)) {
    let up: ts.Node = parent.parent;
    while (ts.isUnionTypeNode(up)) up = up.parent;
    if (ts.isPropertySignature(up) && ts.isIdentifier(up.name) && up.name.text === 'code') return 'code: type';
  }
  return undefined;
}

// Every error code the sources emit: code-position literals, plus message
// prefixes like `INTERNAL: ${...}` or 'NOT_FOUND: no route' (routerd Error bodies).
function codesUsedInSources(): CodeUse[] {
  const uses: CodeUse[] = [];
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const where = (node: ts.Node) =>
      `${relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        const how = CODE_PATTERN.test(node.text) ? codePosition(node) : undefined;
        if (how) uses.push({ code: node.text, where: where(node), how });
      }
      const prefixText =
        ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
          ? node.text
          : ts.isTemplateExpression(node)
            ? node.head.text
            : undefined;
      const prefix = prefixText === undefined ? undefined : /^([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*): /.exec(prefixText)?.[1];
      if (prefix) uses.push({ code: prefix, where: where(node), how: `"${prefix}: ..." message prefix` });
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return uses;
}

describe('error codes', () => {
  const registered = Object.keys(ERROR_CODES).sort();
  const docRows = () => parseDocTable(readFileSync(DOC, 'utf8'));

  it('docs/errors.md lists every registered code exactly once, and nothing else', () => {
    const documented = docRows().map((r) => r.code);
    const duplicates = documented.filter((c, i) => documented.indexOf(c) !== i);
    assert.deepEqual(duplicates, [], `codes listed more than once in docs/errors.md: ${duplicates.join(', ')}`);
    const undocumented = registered.filter((c) => !documented.includes(c));
    assert.deepEqual(undocumented, [], `codes in ERROR_CODES but not in docs/errors.md: ${undocumented.join(', ')}`);
    const unregistered = documented.filter((c) => !registered.includes(c));
    assert.deepEqual(unregistered, [], `codes in docs/errors.md but not in ERROR_CODES: ${unregistered.join(', ')}`);
    assert.deepEqual([...documented].sort(), registered);
  });

  it('the HTTP status column matches the registry', () => {
    const wrong = docRows()
      .filter(
        (r) => r.code in ERROR_CODES && ERROR_CODES[r.code as keyof typeof ERROR_CODES].httpStatus !== r.httpStatus,
      )
      .map(
        (r) =>
          `${r.code} (line ${r.line}): docs say ${r.httpStatus}, registry says ${ERROR_CODES[r.code as keyof typeof ERROR_CODES].httpStatus}`,
      );
    assert.deepEqual(wrong, []);
  });

  it("the importer's report codes are docs/proxmox.md's, and no error code is one", () => {
    const doc = readFileSync(join(ROOT, 'docs/proxmox.md'), 'utf8');
    const documented = [...doc.matchAll(/^\| `(PVE_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(documented.sort(), Object.keys(IMPORT_CODES).sort());
    assert.deepEqual(
      Object.keys(IMPORT_CODES).filter((c) => c in ERROR_CODES),
      [],
    );
  });

  it('every code the sources emit is registered', () => {
    const uses = codesUsedInSources();
    const unknown = uses
      .filter((u) => !(u.code in ERROR_CODES) && !(u.code in IMPORT_CODES))
      .map((u) => `${u.where}: ${u.code} (${u.how})`);
    assert.deepEqual(
      unknown,
      [],
      'codes used in src/ but missing from ERROR_CODES (add them to src/resources/error-codes.ts and docs/errors.md)',
    );
    // Guard against a scan that silently finds (almost) nothing after a refactor.
    const found = new Set(uses.map((u) => u.code));
    assert.ok(
      found.size >= 20,
      `the source scan found only ${found.size} distinct codes (${[...found].join(', ')}); update codesUsedInSources()`,
    );
  });

  it('the registry itself is well formed', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      assert.match(code, CODE_PATTERN, `${code} is not UPPER_SNAKE_CASE`);
      assert.ok(
        info.httpStatus >= 400 && info.httpStatus <= 599,
        `${code}: httpStatus ${info.httpStatus} is not an HTTP error status`,
      );
      assert.ok(info.summary.length > 0, `${code} has no summary`);
    }
  });
});
