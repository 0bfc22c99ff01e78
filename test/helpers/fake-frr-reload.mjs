// A stateful stand-in for frr-reload.py, copied into a fake-tools dir and run
// with node (test/helpers/fake-tools.ts): --test diffs the file against
// running.conf by (context, line) and prints deletions as `no` lines;
// --reload makes the file the running config.
import { appendFileSync, copyFileSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const CLOSERS = new Set(['end', 'exit', 'exit-address-family', 'exit-vrf', 'exit-vni']);
const out = [];

const append = (name, text) => appendFileSync(join(here, name), text);
const read = (path) => (existsSync(path) ? readFileSync(path, 'utf8') : '');
const isFile = (path) => existsSync(path) && statSync(path).isFile();

function fail(message, code) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

// Every config line with the lines it is nested under, as [parent..., line].
function keys(text) {
  const result = [];
  const stack = [];
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const line = raw.trimEnd();
    const s = line.trim();
    if (!s || s.startsWith('!') || CLOSERS.has(s) || s.startsWith('frr version') || s.startsWith('hostname')) continue;
    const indent = line.length - line.trimStart().length;
    while (stack.length > 0 && stack[stack.length - 1].indent >= indent) stack.pop();
    result.push([...stack.map((e) => e.line), line]);
    stack.push({ indent, line });
  }
  return result;
}

// A section as frr-reload prints it: parents once, then each changed line,
// a deleted one with `no` in front of it.
function show(title, changed, negate = false) {
  out.push(title, '='.repeat(title.length));
  let ctx = [];
  for (const key of changed) {
    const parents = key.slice(0, -1);
    let common = 0;
    while (common < Math.min(ctx.length, parents.length) && ctx[common] === parents[common]) common++;
    const line = key[key.length - 1];
    out.push(...parents.slice(common), negate ? line.replace(/^(\s*)/, '$1no ') : line);
    ctx = key;
  }
  out.push('');
}

// What frr-reload deletes: a whole context by its own `no` line alone, but a
// `vrf` context (which FRR cannot delete: the kernel owns it) line by line.
function asDeleted(keys) {
  const gone = new Set(keys.map((k) => JSON.stringify(k)));
  const inGone = (k) =>
    k.slice(0, -1).some((_, i) => gone.has(JSON.stringify(k.slice(0, i + 1))) && !k[i].startsWith('vrf '));
  const hasChildren = (k) =>
    keys.some((c) => c.length > k.length && JSON.stringify(c.slice(0, k.length)) === JSON.stringify(k));
  return keys.filter((k) => !inGone(k) && !(k[k.length - 1].startsWith('vrf ') && hasChildren(k)));
}

function without(list, other) {
  const seen = new Set(other.map((k) => JSON.stringify(k)));
  return list.filter((k) => !seen.has(JSON.stringify(k)));
}

if (existsSync(join(here, 'frr-down'))) fail('vtysh failed: Exiting: failed to connect to any daemons.', 1);
if (args.length === 0 || !isFile(args[args.length - 1])) {
  fail('fake frr-reload: the last argument must be an existing file', 2);
}
const newFile = args[args.length - 1];
const runningFile = join(here, 'running.conf');

if (args.includes('--test')) {
  append('reload-test.log', `${args.join(' ')}\n`);
  const canned = join(here, 'reload-test.txt');
  if (existsSync(canned)) {
    process.stdout.write(read(canned));
  } else {
    const running = keys(read(runningFile));
    const wanted = keys(read(newFile));
    out.push('');
    show('Lines To Delete', asDeleted(without(running, wanted)), true);
    show('Lines To Add', without(wanted, running));
    process.stdout.write(`${out.join('\n')}\n`);
  }
} else if (args.includes('--reload')) {
  append('reload.log', `${args.join(' ')}\n`);
  // reload-refuse-once: the next reload prints that file (e.g. FRR 8.4's
  // "% Please unconfigure l3vni N") and exits 1 without applying; it is used up.
  const refuse = join(here, 'reload-refuse-once');
  if (existsSync(refuse)) {
    const text = read(refuse);
    rmSync(refuse);
    fail(text, 1);
  }
  copyFileSync(newFile, runningFile);
} else {
  fail('fake frr-reload: need --test or --reload', 2);
}
