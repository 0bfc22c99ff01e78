// Parses and validates a containerlab topology file into the lab's model.
// Validation runs shape (zod) first, then every cross-field rule, and reports
// all problems at once, each with the field path that caused it.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ifnameProblem as interfaceNameProblem } from '../src/resources/names.ts';
import { type FrrRelease, HOST_RELEASE, releaseOfImage } from './frr-release.ts';
import { splitShellWords } from './shell-words.ts';
import { SUPPORTED_KINDS, type TopologyFile, topologyFileSchema } from './topology-schema.ts';

export type NodeKind = (typeof SUPPORTED_KINDS)[number];

function isKind(kind: string | undefined): kind is NodeKind {
  return (SUPPORTED_KINDS as readonly string[]).includes(kind ?? '');
}

export interface Endpoint {
  node: string;
  iface: string;
}

export interface LabNode {
  name: string;
  kind: NodeKind;
  namespace: string;
  image?: string;
  frr: FrrRelease; // chosen by the image: frrouting/frr:10.3.x runs FRR 10.3, else the host's 8.4
  labels: Record<string, string>;
  execLines: string[];
  execArgv: string[][];
  // containerlab `binds: [SRC:/etc/frr/frr.conf]`: an FRR configured by hand
  // from that file (SRC relative to the topology file), no routerd-evpn daemon.
  frrConfig?: string;
}

export interface LabLink {
  a: Endpoint;
  b: Endpoint;
}

export interface Topology {
  name: string;
  labels: Record<string, string>;
  nodes: LabNode[];
  links: LabLink[];
}

export interface TopologyIssue {
  path: string;
  message: string;
}

export class TopologyError extends Error {
  readonly issues: TopologyIssue[];
  constructor(source: string, issues: TopologyIssue[]) {
    super(`invalid topology ${source}:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'TopologyError';
    this.issues = issues;
  }
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function namespaceName(lab: string, node: string): string {
  return `clab-${lab}-${node}`;
}

// The daemon's interface-name rule (15 bytes, [A-Za-z0-9_.-]); a lab link
// may also not take the loopback device.
function ifnameProblem(name: string): string | undefined {
  const problem = interfaceNameProblem(name);
  if (problem) return problem.message;
  if (name === 'lo') return '"lo" is reserved for the loopback device';
  return undefined;
}

export async function loadTopology(file: string): Promise<Topology> {
  return parseTopology(await readFile(file, 'utf8'), file);
}

export function parseTopology(text: string, source = 'topology'): Topology {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new TopologyError(source, [{ path: '(file)', message: `not valid YAML: ${(err as Error).message}` }]);
  }
  const shape = topologyFileSchema.safeParse(raw);
  if (!shape.success) {
    const issues = shape.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
    throw new TopologyError(source, issues);
  }
  const issues: TopologyIssue[] = [];
  const topology = buildTopology(shape.data, issues);
  if (issues.length > 0) throw new TopologyError(source, issues);
  return topology;
}

function buildTopology(file: TopologyFile, issues: TopologyIssue[]): Topology {
  if (!NAME_RE.test(file.name)) issues.push({ path: 'name', message: `"${file.name}" must match ${NAME_RE}` });
  const defaults = file.topology.defaults ?? {};
  const nodes: LabNode[] = [];
  for (const [name, spec] of Object.entries(file.topology.nodes)) {
    const path = `topology.nodes.${name}`;
    if (!NAME_RE.test(name)) issues.push({ path, message: `node name "${name}" must match ${NAME_RE}` });
    const kind = spec?.kind ?? defaults.kind;
    if (!isKind(kind)) {
      const got = kind === undefined ? 'is required' : `"${kind}" is not supported`;
      issues.push({ path: `${path}.kind`, message: `${got} (supported: ${SUPPORTED_KINDS.join(', ')})` });
      continue;
    }
    if (kind === 'bridge') {
      const problem = ifnameProblem(name);
      if (problem) issues.push({ path, message: `a bridge node is named after its bridge: ${problem}` });
      if (spec?.exec?.length) issues.push({ path: `${path}.exec`, message: 'kind bridge runs no exec commands' });
    }
    const execLines = spec?.exec ?? [];
    const execArgv: string[][] = [];
    execLines.forEach((line, index) => {
      const split = splitShellWords(line);
      if (!split.ok) issues.push({ path: `${path}.exec[${index}]`, message: `${split.error} in "${line}"` });
      else if (split.words.length === 0) issues.push({ path: `${path}.exec[${index}]`, message: 'is empty' });
      else execArgv.push(split.words);
    });
    const labels = { ...(defaults.labels ?? {}), ...(spec?.labels ?? {}) };
    const frrConfig = frrConfigBind(spec?.binds ?? [], `${path}.binds`, issues);
    const image = spec?.image ?? defaults.image;
    const frr = releaseOfImage(image);
    if ('problem' in frr) issues.push({ path: `${path}.image`, message: frr.problem });
    nodes.push({
      name,
      kind,
      namespace: namespaceName(file.name, name),
      image,
      frr: 'release' in frr ? frr.release : HOST_RELEASE,
      labels,
      execLines,
      execArgv,
      ...(frrConfig !== undefined ? { frrConfig } : {}),
    });
  }
  const kinds = new Map(nodes.map((n) => [n.name, n.kind] as const));
  const links = buildLinks(file, new Set(Object.keys(file.topology.nodes)), kinds, issues);
  return { name: file.name, labels: defaults.labels ?? {}, nodes, links };
}

// The source of a bind onto FRR's config; other binds are containerlab's
// business and ignored here (nodes share the host's filesystem).
const FRR_CONF = '/etc/frr/frr.conf';
function frrConfigBind(binds: string[], path: string, issues: TopologyIssue[]): string | undefined {
  let found: string | undefined;
  binds.forEach((bind, i) => {
    const [src, dst] = bind.split(':');
    if (dst !== FRR_CONF) return;
    if (!src) issues.push({ path: `${path}[${i}]`, message: `"${bind}" binds nothing onto ${FRR_CONF}` });
    else if (found !== undefined) issues.push({ path: `${path}[${i}]`, message: `a second bind onto ${FRR_CONF}` });
    else found = src;
  });
  return found;
}

function buildLinks(
  file: TopologyFile,
  nodeNames: Set<string>,
  kinds: Map<string, NodeKind>,
  issues: TopologyIssue[],
): LabLink[] {
  const links: LabLink[] = [];
  const used = new Map<string, string>();
  (file.topology.links ?? []).forEach((link, index) => {
    const ends: Endpoint[] = [];
    link.endpoints.forEach((text, side) => {
      const path = `topology.links[${index}].endpoints[${side}]`;
      const match = /^([^:]+):([^:]+)$/.exec(text);
      if (!match) {
        issues.push({ path, message: `"${text}" must be "node:interface"` });
        return;
      }
      const [, node, iface] = match;
      if (!nodeNames.has(node)) issues.push({ path, message: `node "${node}" is not defined in topology.nodes` });
      const problem = ifnameProblem(iface);
      if (problem) issues.push({ path, message: problem });
      if (kinds.get(node) === 'bridge' && iface === node) {
        issues.push({ path, message: `interface "${iface}" would clash with the bridge named after node "${node}"` });
      }
      const previous = used.get(text);
      if (previous) issues.push({ path, message: `endpoint "${text}" is already used by ${previous}` });
      used.set(text, path);
      ends.push({ node, iface });
    });
    if (ends.length === 2) links.push({ a: ends[0], b: ends[1] });
  });
  return links;
}
