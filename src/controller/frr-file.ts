// The file FRR gets: the operator's base config (read afresh each run, so an
// edit needs no restart of the daemon), then the rendered configuration,
// adapted to the running FRR release where it prints what it was not told.
import { readFile } from 'node:fs/promises';
import type { NodeRender } from '../render/node-render.ts';
import { atLeast, type FrrVersion } from '../system/frr-version.ts';

export async function frrFileText(
  rendered: NodeRender,
  baseFile: string | undefined,
  version?: FrrVersion,
): Promise<string> {
  const text = baseFile
    ? `! Operator base configuration from ${baseFile}\n${(await readFile(baseFile, 'utf8')).trimEnd()}\n!\n${rendered.frr}`
    : rendered.frr;
  return adaptToRelease(text, version);
}

// FRR 10.6 and 10.7 print ` use-underlays-nexthop-weight` under every
// `router bgp` whose deterministic-med is on, which the `datacenter` defaults
// set (FRR PR 22552: the config writer tests the MED flags), and the command's
// `no` form clears deterministic-med. A file without the line would make
// frr-reload send that `no`, changing best-path selection and never
// converging. So on those releases the file says what FRR will print anyway.
// The command itself (use the underlay's next-hop weights for recursive
// routes) changes nothing here: the underlay's equal-cost paths carry no
// weights.
export const UNDERLAY_WEIGHT_LINE = ' use-underlays-nexthop-weight';

export function adaptToRelease(text: string, version: FrrVersion | undefined): string {
  if (!atLeast(version, 10, 6)) return text;
  const out: string[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    out.push(line);
    if (/^router bgp \d+/.test(line) && !blockHas(lines, i, UNDERLAY_WEIGHT_LINE)) out.push(UNDERLAY_WEIGHT_LINE);
  }
  return out.join('\n');
}

function blockHas(lines: string[], start: number, wanted: string): boolean {
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === 'exit' || /^\S/.test(line)) return false;
    if (line === wanted) return true;
  }
  return false;
}
