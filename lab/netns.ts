// Namespaces, veth links and bridges for a lab, built with one batched `ip`
// process per namespace and step (process start-up dominates on slow hosts).

import { type Runner, runChecked } from '../src/system/exec.ts';
import { labTimeout } from './timeouts.ts';
import type { LabNode, Topology } from './topology.ts';

// Runs `ip [-n NS] -batch -` so one process applies many commands.
export async function ipBatch(runner: Runner, namespace: string | undefined, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  const args = namespace ? ['-n', namespace, '-batch', '-'] : ['-batch', '-'];
  await runChecked(runner, 'ip', args, { input: `${lines.join('\n')}\n`, timeoutMs: labTimeout(30_000) });
}

export async function listNamespaces(runner: Runner): Promise<Set<string>> {
  const result = await runChecked(runner, 'ip', ['netns', 'list']);
  // Lines read "name" or "name (id: 3)".
  return new Set(
    result.stdout
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0])
      .filter(Boolean),
  );
}

export async function createNamespaces(runner: Runner, names: string[]): Promise<void> {
  await ipBatch(
    runner,
    undefined,
    names.map((n) => `netns add ${n}`),
  );
}

// Deletes exactly the named namespaces that exist; missing ones are fine.
export async function deleteNamespaces(runner: Runner, names: string[]): Promise<string[]> {
  const existing = await listNamespaces(runner);
  const present = names.filter((n) => existing.has(n));
  await ipBatch(
    runner,
    undefined,
    present.map((n) => `netns delete ${n}`),
  );
  return present;
}

// A validated topology names only its own nodes; anything else is a bug here.
function nodeOf(topology: Topology, name: string) {
  const node = topology.nodes.find((n) => n.name === name);
  if (!node) throw new Error(`topology has no node ${name}`);
  return node;
}

function linesOf(batches: Map<string, string[]>, namespace: string): string[] {
  const lines = batches.get(namespace) ?? [];
  batches.set(namespace, lines);
  return lines;
}

// Creation step: bridges, then each veth created from its first endpoint's
// namespace with the peer placed straight into the other namespace.
export function creationBatches(topology: Topology): Map<string, string[]> {
  const batches = new Map<string, string[]>(topology.nodes.map((n) => [n.namespace, []]));
  for (const node of topology.nodes) {
    if (node.kind === 'bridge') linesOf(batches, node.namespace).push(`link add ${node.name} type bridge`);
  }
  for (const { a, b } of topology.links) {
    const nsB = nodeOf(topology, b.node).namespace;
    linesOf(batches, nodeOf(topology, a.node).namespace).push(
      `link add ${a.iface} type veth peer name ${b.iface} netns ${nsB}`,
    );
  }
  return batches;
}

// Bring-up step: lo and every endpoint up; a bridge node enslaves its endpoints.
export function upBatches(topology: Topology): Map<string, string[]> {
  const batches = new Map<string, string[]>(topology.nodes.map((n) => [n.namespace, ['link set lo up']]));
  for (const { a, b } of topology.links) {
    for (const end of [a, b]) {
      const node = nodeOf(topology, end.node);
      const lines = linesOf(batches, node.namespace);
      if (node.kind === 'bridge') lines.push(`link set ${end.iface} master ${node.name}`);
      lines.push(`link set ${end.iface} up`);
    }
  }
  for (const node of topology.nodes) {
    if (node.kind === 'bridge') linesOf(batches, node.namespace).push(`link set ${node.name} up`);
  }
  return batches;
}

export async function buildNetwork(runner: Runner, topology: Topology): Promise<void> {
  for (const [ns, lines] of creationBatches(topology)) await ipBatch(runner, ns, lines);
  for (const [ns, lines] of upBatches(topology)) await ipBatch(runner, ns, lines);
}

// Runs a node's exec lines in order, as containerlab does after the node starts.
export async function runExecLines(runner: Runner, node: LabNode): Promise<void> {
  for (const [index, argv] of node.execArgv.entries()) {
    const result = await runner('ip', ['netns', 'exec', node.namespace, ...argv], { timeoutMs: labTimeout(30_000) });
    if (result.exitCode !== 0) {
      const detail = (result.stderr || result.stdout).trim();
      throw new Error(
        `node ${node.name}: exec[${index}] "${node.execLines[index]}" exited with ${result.exitCode}${detail ? `: ${detail}` : ''}`,
      );
    }
  }
}
