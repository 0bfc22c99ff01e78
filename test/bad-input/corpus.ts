// The bad-input corpus: every case is a desired set the daemon must refuse
// with the listed problems (resource, field path, code) and nothing else.
// Cases live in corpus/*.yaml, each a patch of a base in bases.yaml (set,
// unset, append) or its own text; a few are generated here because they are
// large (the limits). Read by test/unit/bad-input-corpus.test.ts (the pure
// check) and test/integration/bad-input-daemon.test.ts (a live daemon).
import { readdirSync, readFileSync } from 'node:fs';
import { parse, parseAllDocuments, stringify } from 'yaml';

const DIR = new URL('./', import.meta.url);

export type Expected = [resource: string, path: string, code: string];

export interface Case {
  file: string; // corpus file, e.g. addresses.yaml
  name: string;
  text: string; // the YAML sent
  expect: Expected[]; // exactly these problems (order ignored)
  forbid: string[]; // strings no message may contain (secret values)
  generated?: boolean; // large, built here rather than stored
}

interface RawCase {
  name: string;
  base?: string;
  set?: Record<string, Record<string, unknown>>; // Kind/name -> path -> value
  unset?: Record<string, string[]>;
  append?: string;
  text?: string;
  expect: Expected[];
  forbid?: string[];
}

const bases = parse(readFileSync(new URL('bases.yaml', DIR), 'utf8')) as Record<string, string>;

type Node = Record<string, unknown> | unknown[];

// "spec.nodes[1].vtepAddress" -> ['spec', 'nodes', 1, 'vtepAddress']
function segments(path: string): (string | number)[] {
  return path.split('.').flatMap((part) => {
    const [head, ...idx] = part.split('[');
    return [...(head ? [head] : []), ...idx.map((i) => Number(i.replace(']', '')))];
  });
}

function setPath(root: Node, path: string, value: unknown, remove = false): void {
  const segs = segments(path);
  let cur = root as Record<string | number, unknown>;
  for (const s of segs.slice(0, -1)) {
    if (cur[s] === undefined || cur[s] === null) cur[s] = typeof segs[segs.indexOf(s) + 1] === 'number' ? [] : {};
    cur = cur[s] as Record<string | number, unknown>;
  }
  const last = segs[segs.length - 1]!;
  if (remove) {
    if (Array.isArray(cur)) cur.splice(last as number, 1);
    else delete cur[last];
  } else cur[last] = value;
}

function patched(raw: RawCase): string {
  const docs = parseAllDocuments(bases[raw.base!]!).map((d) => d.toJS() as Record<string, any>);
  const find = (id: string) => {
    const doc = docs.find((d) => `${d.kind}/${d.metadata.name}` === id);
    if (!doc) throw new Error(`corpus case "${raw.name}": base ${raw.base} has no ${id}`);
    return doc;
  };
  for (const [id, paths] of Object.entries(raw.set ?? {}))
    for (const [path, value] of Object.entries(paths)) setPath(find(id), path, value);
  for (const [id, paths] of Object.entries(raw.unset ?? {}))
    for (const path of paths) setPath(find(id), path, undefined, true);
  const text = docs.map((d) => stringify(d)).join('---\n');
  return raw.append ? `${text}---\n${raw.append}` : text;
}

function fromFile(file: string): Case[] {
  const raws = parse(readFileSync(new URL(`corpus/${file}`, DIR), 'utf8')) as RawCase[];
  return raws.map((raw) => {
    if (!raw.name || !Array.isArray(raw.expect) || raw.expect.length === 0)
      throw new Error(`corpus/${file}: a case needs name and expect: ${JSON.stringify(raw).slice(0, 80)}`);
    const text = raw.text ?? (raw.base !== undefined ? patched(raw) : undefined);
    if (text === undefined) throw new Error(`corpus/${file}: case "${raw.name}" needs text or base`);
    return {
      file,
      name: raw.name,
      text,
      expect: raw.expect.map(([r, p, c]) => [String(r), String(p ?? ''), String(c)] as Expected),
      forbid: raw.forbid ?? [],
    };
  });
}

// Inputs too large to keep in a file: each is over one documented limit.
function generated(): Case[] {
  const net = (i: number) =>
    `apiVersion: evpn.routerd.net/v1alpha1\nkind: EVPNNetwork\nmetadata: {name: n${i}}\nspec: {vni: ${i + 1}}\n`;
  const fabric = bases.l2!.split('---')[0]!;
  const bomb = [
    'a0: &a0 [x, x, x, x, x, x, x, x, x, x]',
    ...Array.from({ length: 8 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`),
  ].join('\n');
  const g = (name: string, text: string, expect: Expected[]): Case => ({
    file: '(generated)',
    name,
    text,
    expect,
    forbid: [],
    generated: true,
  });
  return [
    g(
      '100 000 networks in 9 MB of YAML: over the byte limit',
      `${fabric}---\n${Array.from({ length: 100_000 }, (_, i) => net(i)).join('---\n')}`,
      [['document 1', '', 'LIMIT_EXCEEDED']],
    ),
    g(
      '10 001 documents in one stream',
      `${fabric}---\n${Array.from({ length: 10_000 }, (_, i) => net(i)).join('---\n')}`,
      [['document 10001', '', 'LIMIT_EXCEEDED']],
    ),
    g(
      '10 001 resources in one Router document',
      stringify({
        apiVersion: 'routerd.net/v1alpha1',
        kind: 'Router',
        metadata: { name: 'big' },
        spec: { resources: Array.from({ length: 10_001 }, (_, i) => parse(net(i))) },
      }),
      [['document 1', '', 'LIMIT_EXCEEDED']],
    ),
    g('a billion-laughs alias bomb', bomb, [['document 1', 'a5[7]', 'LIMIT_EXCEEDED']]),
    g(
      'one anchored port list aliased into 4000 networks (1.2 M nodes expanded)',
      `apiVersion: routerd.net/v1alpha1\nkind: Router\nmetadata: {name: x}\nspec:\n  resources:\n    - {apiVersion: evpn.routerd.net/v1alpha1, kind: EVPNNetwork, metadata: {name: n0}, spec: {vni: 1, ports: &p [${Array.from({ length: 60 }, (_, j) => `{node: leaf1, interface: t${j}}`).join(', ')}]}}\n${Array.from({ length: 3999 }, (_, i) => `    - {apiVersion: evpn.routerd.net/v1alpha1, kind: EVPNNetwork, metadata: {name: n${i + 1}}, spec: {vni: ${i + 2}, ports: *p}}\n`).join('')}`,
      [['document 1', 'spec.resources[3174].spec.ports', 'LIMIT_EXCEEDED']],
    ),
  ];
}

export function loadCorpus(options: { generated?: boolean } = {}): Case[] {
  const files = readdirSync(new URL('corpus/', DIR))
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return [...files.flatMap(fromFile), ...(options.generated === false ? [] : generated())];
}

export interface AcceptedCase {
  name: string;
  text: string;
  canonical: string[]; // strings the rendered FRR text must contain
}

// Valid inputs that look odd (accepted.yaml): refusing them would be a bug too.
export function loadAccepted(): AcceptedCase[] {
  const raws = parse(readFileSync(new URL('accepted.yaml', DIR), 'utf8')) as (RawCase & { canonical?: string[] })[];
  return raws.map((raw) => ({ name: raw.name, text: raw.text ?? patched(raw), canonical: raw.canonical ?? [] }));
}

export function expectedKey(e: Expected): string {
  return e.join(' | ');
}
