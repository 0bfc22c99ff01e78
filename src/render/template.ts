// A minimal logic-less template engine (a subset of mustache): {{name}},
// {{a.b}}, {{.}}, sections {{#x}}..{{/x}}, inverted {{^x}}..{{/x}} and
// partials {{> name}}. A line holding only a section or partial tag renders
// nothing, so templates can be written one FRR line per line.
type Node =
  | { type: 'text'; value: string }
  | { type: 'var'; name: string }
  | { type: 'section'; name: string; inverted: boolean; children: Node[] }
  | { type: 'partial'; name: string };

const TAG = /{{\s*([#^/>]?)\s*([\w.-]+)\s*}}/g;
const STANDALONE = /^[ \t]*({{\s*[#^/>][^}]*}})[ \t]*\r?\n/gm;

export function parseTemplate(source: string): Node[] {
  const text = source.replace(STANDALONE, '$1');
  const root: Node[] = [];
  const stack: { name: string; children: Node[] }[] = [{ name: '', children: root }];
  let last = 0;
  for (const match of text.matchAll(TAG)) {
    const [whole, sigil, name] = match;
    const top = stack[stack.length - 1];
    if (match.index > last) top.children.push({ type: 'text', value: text.slice(last, match.index) });
    last = match.index + whole.length;
    if (sigil === '#' || sigil === '^') {
      const node: Node = { type: 'section', name, inverted: sigil === '^', children: [] };
      top.children.push(node);
      stack.push({ name, children: node.children });
    } else if (sigil === '/') {
      if (top.name !== name) throw new Error(`template: {{/${name}}} closes {{#${top.name}}}`);
      stack.pop();
    } else if (sigil === '>') top.children.push({ type: 'partial', name });
    else top.children.push({ type: 'var', name });
  }
  if (stack.length !== 1) throw new Error(`template: unclosed section {{#${stack[stack.length - 1].name}}}`);
  if (last < text.length) root.push({ type: 'text', value: text.slice(last) });
  return root;
}

function lookup(contexts: unknown[], name: string): unknown {
  if (name === '.') return contexts[contexts.length - 1];
  const [head, ...rest] = name.split('.');
  for (let i = contexts.length - 1; i >= 0; i--) {
    const ctx = contexts[i];
    if (ctx !== null && typeof ctx === 'object' && head in ctx) {
      return rest.reduce<unknown>(
        (v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
        (ctx as Record<string, unknown>)[head],
      );
    }
  }
  return undefined;
}

function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

function renderNodes(nodes: Node[], contexts: unknown[], partials: Record<string, Node[]>): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += node.value;
    else if (node.type === 'var') {
      const value = lookup(contexts, node.name);
      if (value === undefined || value === null) throw new Error(`template: no value for {{${node.name}}}`);
      out += String(value);
    } else if (node.type === 'partial') {
      const partial = partials[node.name];
      if (!partial) throw new Error(`template: unknown partial {{> ${node.name}}}`);
      out += renderNodes(partial, contexts, partials);
    } else {
      const value = lookup(contexts, node.name);
      if (node.inverted) {
        if (!truthy(value)) out += renderNodes(node.children, contexts, partials);
      } else if (Array.isArray(value)) {
        for (const item of value) out += renderNodes(node.children, [...contexts, item], partials);
      } else if (truthy(value)) {
        out += renderNodes(node.children, [...contexts, value], partials);
      }
    }
  }
  return out;
}

export interface TemplateSet {
  main: string;
  partials: Record<string, string>;
}

export function renderTemplate(set: TemplateSet, view: unknown): string {
  const partials = Object.fromEntries(Object.entries(set.partials).map(([k, v]) => [k, parseTemplate(v)]));
  return renderNodes(parseTemplate(set.main), [view], partials);
}
