// The FRR step: frr-reload --test first; reload only when FRR's running config
// differs; then --test again to verify. Never a restart.
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
  await frr.reload(file);
  hooks.reloaded?.(commandCount(diff));
  const after = await frr.test(file);
  if (hasChanges(after)) throw new Error(`running config still differs after reload (${diffPreview(after)})`);
  return { result: 'Reloaded', commands: commandCount(diff), diff };
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
