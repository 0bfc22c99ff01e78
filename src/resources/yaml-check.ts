// Checks one parsed YAML document before it becomes data: every alias names
// an anchor set before it in the same document and not a node that contains
// it, the document's size with every alias expanded stays within a limit (an
// alias bomb is refused, ordinary anchor reuse is fine), and no mapping key
// is "__proto__". One pass in document order, linear in the document's size.
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { ErrorCode } from './error-codes.ts';

export interface YamlProblem {
  path: string;
  code: ErrorCode;
  message: string;
}

export const RESERVED_KEY = '__proto__';

interface Walk {
  anchors: Map<string, YamlNode>; // the latest node carrying each anchor
  sizes: Map<YamlNode, number>; // expanded size of finished anchored nodes
  open: Set<YamlNode>; // nodes being walked (ancestors of the current one)
  total: number;
  limit: number;
  problems: YamlProblem[];
  overLimit: boolean;
}

const keyText = (key: unknown): string => (isScalar(key) ? String(key.value) : '?');
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

// The expanded size of a node: scalars and collections count 1, an alias
// counts what it stands for. Stops adding once the limit is passed.
function walk(node: unknown, path: string, w: Walk): number {
  if (w.overLimit || node === null || node === undefined) return 0;
  if (isAlias(node)) {
    const target = w.anchors.get(node.source);
    if (!target) {
      w.problems.push({
        path,
        code: 'YAML_ALIAS',
        message: `alias *${node.source} names no anchor &${node.source} set before it in this document (anchors do not cross "---")`,
      });
      return 1;
    }
    if (w.open.has(target)) {
      w.problems.push({
        path,
        code: 'YAML_ALIAS',
        message: `alias *${node.source} refers to a node that contains it (a recursive alias)`,
      });
      return 1;
    }
    return add(w, w.sizes.get(target) ?? 1, path);
  }
  const n = node as YamlNode;
  if (n.anchor) w.anchors.set(n.anchor, n);
  let size = add(w, 1, path);
  w.open.add(n);
  if (isMap(n)) {
    for (const pair of n.items) {
      if (!isPair(pair)) continue;
      const key = keyText(pair.key);
      if (key === RESERVED_KEY)
        w.problems.push({
          path: join(path, key),
          code: 'KEY_RESERVED',
          message: `the key "${RESERVED_KEY}" is reserved; it is never a field or a name`,
        });
      size += walk(pair.key, path, w) + walk(pair.value, join(path, key), w);
    }
  } else if (isSeq(n)) {
    n.items.forEach((item, i) => {
      size += walk(item, `${path}[${i}]`, w);
    });
  }
  w.open.delete(n);
  if (n.anchor) w.sizes.set(n, size);
  return size;
}

function add(w: Walk, nodes: number, path: string): number {
  w.total += nodes;
  if (w.total > w.limit && !w.overLimit) {
    w.overLimit = true;
    w.problems.push({
      path,
      code: 'LIMIT_EXCEEDED',
      message: `the document holds more than ${w.limit} YAML nodes once its aliases are expanded; refused as a resource-exhaustion risk`,
    });
  }
  return nodes;
}

export function checkYamlDocument(doc: Document, expandedNodeLimit: number): YamlProblem[] {
  const w: Walk = {
    anchors: new Map(),
    sizes: new Map(),
    open: new Set(),
    total: 0,
    limit: expandedNodeLimit,
    problems: [],
    overLimit: false,
  };
  walk(doc.contents, '', w);
  return w.problems;
}
