// The FRR step: frr-reload --test first; reload only when FRR's running config
// differs; then --test again to verify. Never a restart.
import { CommandError } from '../system/exec.ts';
import type { Frr } from '../system/frr.ts';
import { commandCount, type FrrDiff, hasChanges } from '../system/frr-reload-diff.ts';

export interface FrrApplyResult {
  result: 'Reloaded' | 'Unchanged';
  commands: number; // lines frr-reload added or removed
  diff: FrrDiff;
}

// Told before the reload starts and once it returned (before the verify).
export interface FrrApplyHooks {
  reloading?: (diff: FrrDiff, commands: number) => void;
  reloaded?: (commands: number) => void;
}

export async function applyFrrConfig(frr: Frr, file: string, hooks: FrrApplyHooks = {}): Promise<FrrApplyResult> {
  const diff = await frr.test(file);
  if (!hasChanges(diff)) return { result: 'Unchanged', commands: 0, diff };
  hooks.reloading?.(diff, commandCount(diff));
  await reloadInPasses(frr, file);
  hooks.reloaded?.(commandCount(diff));
  const after = await frr.test(file);
  if (hasChanges(after)) throw new Error(`running config still differs after reload (${diffPreview(after)})`);
  return { result: 'Reloaded', commands: commandCount(diff), diff };
}

// frr-reload sends its deletions in its own order, and FRR refuses some of
// them until another deletion has run: removing a tenant VRF's BGP instance
// while its L3VNI is still mapped fails with "% Please unconfigure l3vni N"
// (seen on FRR 8.4 when a VRF with an L3VNI is deleted), yet the rest of the
// pass goes through, the `vni` line included. A second pass then finds only
// what was refused and succeeds. Only these known refusals get that pass; any
// other failure, or a second failure, is reported as it is.
export const ORDER_REFUSALS = [/Please unconfigure l3vni \d+/];

async function reloadInPasses(frr: Frr, file: string): Promise<void> {
  try {
    await frr.reload(file);
  } catch (err) {
    const text = err instanceof CommandError ? `${err.result.stdout}\n${err.result.stderr}` : String(err);
    if (!ORDER_REFUSALS.some((re) => re.test(text))) throw err;
    await frr.reload(file);
  }
}

// The diff as plan lines: `- line` removed, `+ line` added.
export function diffLines(diff: FrrDiff): string[] {
  return [...diff.toDelete.map((l) => `- ${l}`), ...diff.toAdd.map((l) => `+ ${l}`)];
}

function diffPreview(diff: FrrDiff): string {
  return [...diff.toDelete.map((l) => `- ${l.trim()}`), ...diff.toAdd.map((l) => `+ ${l.trim()}`)]
    .slice(0, 5)
    .join('; ');
}
