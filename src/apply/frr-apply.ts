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
  const unmaps = l3vniUnmaps(diff);
  if (unmaps.length > 0) await frr.configure(unmaps);
  await reloadInPasses(frr, file);
  hooks.reloaded?.(commandCount(diff));
  const after = await frr.test(file);
  if (hasChanges(after)) throw new Error(`running config still differs after reload (${diffPreview(after)})`);
  return { result: 'Reloaded', commands: commandCount(diff), diff };
}

// frr-reload sends its deletions in its own order, and FRR refuses some of
// them until another has run: a tenant VRF's BGP instance cannot go while its
// L3VNI is still mapped ("% Please unconfigure l3vni N"), yet frr-reload sends
// `no router bgp ASN vrf X` before `vrf X` / `no vni N`. So the L3VNIs the
// reload would unmap are unmapped first, by hand, in one vtysh session.
export function l3vniUnmaps(diff: FrrDiff): string[] {
  const lines: string[] = [];
  let vrf: string | undefined;
  for (const line of diff.toDelete) {
    if (!line.startsWith(' ')) {
      vrf = /^vrf (\S+)$/.exec(line)?.[1];
      continue;
    }
    if (vrf && /^ no vni \d+\b/.test(line)) lines.push(`vrf ${vrf}`, line.trim(), 'exit-vrf');
  }
  return lines;
}

// bgpd learns of an unmapped L3VNI from zebra, asynchronously: should the
// reload still overtake that, the refusal is the same, and the rest of the
// pass goes through. Likewise, when an IS-IS or OpenFabric underlay goes,
// frr-reload sends `no router isis|openfabric TAG` before each interface's
// `no ip router isis|openfabric TAG`, which the interface then refuses: the
// router's removal already took the interface lines with it. A second pass
// then finds only what was refused. Only these known refusals get that pass;
// any other failure, or a second failure, is reported as it is.
export const ORDER_REFUSALS = [/Please unconfigure l3vni \d+/, /Mandatory node "area-tag" instance does not exist/];

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
