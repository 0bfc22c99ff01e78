// Applies the kernel difference: one ip batch, one bridge batch. If either
// fails, the devices this run created are removed again, so a network is
// never left half-built; the error goes back to the reconciler for retry.
import type { DevicePlan, PlannedPort } from '../render/devices.ts';
import type { CommandResult } from './exec.ts';
import { diffKernel, hasKernelWrites, isOwned, type KernelChanges } from './kernel-diff.ts';
import type { Kernel } from './kernel.ts';

export interface KernelApplyResult {
  changes: KernelChanges;
  writes: number; // batch lines sent to the kernel (0 on a no-op)
}

export class KernelApplyError extends Error {
  constructor(message: string, readonly changes: KernelChanges) {
    super(message);
    this.name = 'KernelApplyError';
  }
}

function failedLine(result: CommandResult, lines: readonly string[]): string {
  const m = /Command failed -:(\d+)/.exec(result.stderr);
  const line = m ? lines[Number(m[1]) - 1] : undefined;
  const reason = result.stderr.split('\n').find((l) => l.trim() && !l.startsWith('Command failed')) ?? result.stderr.trim();
  return line ? `"${line}": ${reason}` : reason;
}

async function rollback(kernel: Kernel, created: readonly string[]): Promise<void> {
  if (created.length === 0) return;
  const links = new Map((await kernel.readLinks()).map((l) => [l.name, l]));
  const lines = created.filter((n) => isOwned(links.get(n))).map((n) => `link del dev ${n}`);
  await kernel.ipBatch(lines, true); // -force: remove as many as possible
}

export interface KernelApplyOptions {
  dryRun?: boolean;
  // zebra takes a VXLAN device it sees before FRR has `vrf X / vni N`
  // for an L2VNI. So a new L3VNI's VXLAN device waits for the FRR reload; the
  // caller applies the full plan again afterwards.
  holdBackNewL3vni?: boolean;
}

// The plan without L3VNI VXLAN devices the kernel does not have yet.
function withoutNewL3vni(plan: DevicePlan, present: Set<string>): { plan: DevicePlan; held: string[] } {
  const held = plan.devices.filter((d) => d.kind === 'vxlan' && d.l3vni && !present.has(d.name)).map((d) => d.name);
  if (held.length === 0) return { plan, held };
  return { plan: { ...plan, devices: plan.devices.filter((d) => !held.includes(d.name)) }, held };
}

export async function applyKernel(kernel: Kernel, fullPlan: DevicePlan, previousPorts: PlannedPort[], opts: KernelApplyOptions = {}): Promise<KernelApplyResult> {
  const links = await kernel.readLinks();
  const { plan, held } = opts.holdBackNewL3vni ? withoutNewL3vni(fullPlan, new Set(links.map((l) => l.name))) : { plan: fullPlan, held: [] };
  const changes = diffKernel(plan, links, previousPorts);
  changes.heldBack = held;
  const dryRun = opts.dryRun ?? false;
  if (dryRun || !hasKernelWrites(changes)) return { changes, writes: 0 };
  const ip = await kernel.ipBatch(changes.ipBatch);
  if (ip && ip.exitCode !== 0) {
    await rollback(kernel, changes.created);
    throw new KernelApplyError(`ip -batch failed at ${failedLine(ip, changes.ipBatch)}; created devices were removed again`, changes);
  }
  const br = await kernel.bridgeBatch(changes.bridgeBatch);
  if (br && br.exitCode !== 0) {
    await rollback(kernel, changes.created);
    throw new KernelApplyError(`bridge -batch failed at ${failedLine(br, changes.bridgeBatch)}; created devices were removed again`, changes);
  }
  return { changes, writes: changes.ipBatch.length + changes.bridgeBatch.length };
}
