// The file FRR gets: the operator's base config (read afresh each run, so an
// edit needs no restart of the daemon), then the rendered configuration.
import { readFile } from 'node:fs/promises';
import type { NodeRender } from '../render/node-render.ts';

export async function frrFileText(rendered: NodeRender, baseFile: string | undefined): Promise<string> {
  if (!baseFile) return rendered.frr;
  const base = await readFile(baseFile, 'utf8');
  return `! Operator base configuration from ${baseFile}\n${base.trimEnd()}\n!\n${rendered.frr}`;
}
