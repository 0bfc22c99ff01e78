// A dry run: render the candidate, diff the kernel (no writes) and run
// frr-reload --test on a temp file. Answers the plan per resource; writes
// nothing but the temp file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffLines } from '../apply/frr-apply.ts';
import { applyKernel } from '../apply/kernel-apply.ts';
import type { Reconciler } from '../controller/reconciler.ts';
import type { NodeRender } from '../render/node-render.ts';
import { ownerResourceId, ownerTag } from '../resources/names.ts';
import { type KnownResource, resourceId } from '../resources/schema.ts';
import type { Frr } from '../system/frr.ts';
import type { Kernel } from '../system/kernel.ts';
import type { ApplyOutcome, ResourceResult } from './outcome.ts';

export interface DryRunDeps {
  kernel: Kernel;
  frr: Frr;
  reconciler: Reconciler;
}

export async function planDryRun(
  deps: DryRunDeps,
  resources: KnownResource[],
  touched: string[],
  generation: number,
): Promise<ApplyOutcome> {
  let rendered: NodeRender;
  try {
    rendered = deps.reconciler.render(resources);
  } catch (err) {
    const message = (err as Error).message;
    return {
      generation,
      phase: 'Error',
      resources: touched.map((id) => ({ id, phase: 'Error', warnings: [message] })),
      warnings: [message],
    };
  }
  const kernel = await applyKernel(deps.kernel, rendered.devices, deps.reconciler.state.attachedPorts, {
    dryRun: true,
  });
  const warnings = kernel.changes.conflicts.map((c) => c.message);
  const frrLines = await frrPlan(deps, rendered).catch((err: Error) => {
    warnings.push(`FRR diff unavailable: ${err.message}`);
    return [] as string[];
  });
  return { generation, phase: 'DryRun', resources: planResults(resources, frrLines, kernel.changes.byOwner), warnings };
}

async function frrPlan(deps: DryRunDeps, rendered: NodeRender): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'routerd-evpn-plan-'));
  try {
    const file = join(dir, 'frr.conf');
    await writeFile(file, await deps.reconciler.frrFile(rendered));
    return diffLines(await deps.frr.test(file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// FRR lines under the fabric, device lines under their owner; devices of
// resources no longer desired are reported under their former owner.
function planResults(
  resources: KnownResource[],
  frrLines: string[],
  byOwner: Record<string, string[]>,
): ResourceResult[] {
  const results: ResourceResult[] = resources.map((r) => ({
    id: resourceId(r),
    phase: 'DryRun',
    plan: r.kind === 'EVPNFabric' ? frrLines : (byOwner[ownerTag(r.kind, r.metadata.name)] ?? []),
  }));
  if (!resources.some((r) => r.kind === 'EVPNFabric') && frrLines.length > 0)
    results.push({ id: 'frr/config', phase: 'DryRun', plan: frrLines });
  const desiredOwners = new Set(resources.map((r) => ownerTag(r.kind, r.metadata.name)));
  for (const [owner, plan] of Object.entries(byOwner).sort()) {
    if (!desiredOwners.has(owner)) results.push({ id: ownerResourceId(owner), phase: 'DryRun', plan });
  }
  return results;
}
