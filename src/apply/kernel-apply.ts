// Applies the kernel difference: one ip batch, one bridge batch. If either
// fails, the kernel is put back as this run found it (kernel-restore.ts), so
// a refused change never takes down what worked; the error goes back to the
// reconciler. The same refused batch is not sent again (see `refused`).
import { createHash } from 'node:crypto';
import type { DevicePlan, PlannedPort } from '../render/devices.ts';
import type { CommandResult } from '../system/exec.ts';
import type { Kernel } from '../system/kernel.ts';
import { emptyBridgeVlans } from '../system/parse-bridge-vlan.ts';
import { hasKernelWrites, type KernelChanges } from './kernel-changes.ts';
import { diffKernel } from './kernel-diff.ts';
import { needsBridgeVlans, planFromObserved, restoreKernel } from './kernel-restore.ts';
import { firstPass } from './l3vni-order.ts';

export interface KernelApplyResult {
  changes: KernelChanges;
  writes: number; // batch lines sent to the kernel (0 on a no-op)
}

export class KernelApplyError extends Error {
  // fingerprint: of the batch the kernel refused; sent: false when it was not sent again
  constructor(
    message: string,
    readonly changes: KernelChanges,
    readonly fingerprint: string,
    readonly sent = true,
  ) {
    super(message);
    this.name = 'KernelApplyError';
  }
}

// The same batches against the same kernel fail the same way.
export function batchFingerprint(c: KernelChanges): string {
  return createHash('sha256')
    .update(JSON.stringify([c.ipBatch, c.bridgeBatch]))
    .digest('hex');
}

function failedLine(result: CommandResult, lines: readonly string[]): string {
  const m = /Command failed -:(\d+)/.exec(result.stderr);
  const line = m ? lines[Number(m[1]) - 1] : undefined;
  const reason =
    result.stderr.split('\n').find((l) => l.trim() && !l.startsWith('Command failed')) ?? result.stderr.trim();
  const hint =
    line?.includes(' type vrf ') && /Unknown device type/i.test(reason)
      ? ' (this kernel cannot create VRF devices: it needs CONFIG_NET_VRF, the vrf module)'
      : '';
  return line ? `"${line}": ${reason}${hint}` : reason;
}

export interface KernelApplyOptions {
  dryRun?: boolean;
  // The pass before the FRR reload: new L3VNIs wait for it, and the devices
  // of removed VRFs and L3VNIs stay until it is done (l3vni-order.ts); the
  // caller applies the full plan again afterwards.
  beforeFrrReload?: boolean;
  // The fingerprint of a batch the kernel refused on an earlier run: the same
  // batch is not sent again (it would fail again, and each attempt and its
  // restore would flap the devices); a changed plan or kernel gives another.
  refused?: string;
}

export async function applyKernel(
  kernel: Kernel,
  fullPlan: DevicePlan,
  previousPorts: PlannedPort[],
  opts: KernelApplyOptions = {},
): Promise<KernelApplyResult> {
  const links = await kernel.readLinks();
  const bridge = needsBridgeVlans(fullPlan, links) ? await kernel.readBridgeVlans() : emptyBridgeVlans();
  const { plan, held, kept } = opts.beforeFrrReload
    ? firstPass(fullPlan, links, bridge)
    : { plan: fullPlan, held: [], kept: [] };
  const changes = diffKernel(plan, links, previousPorts, bridge);
  changes.heldBack = held;
  changes.keptForNow = kept;
  const dryRun = opts.dryRun ?? false;
  if (dryRun || !hasKernelWrites(changes)) return { changes, writes: 0 };
  const fingerprint = batchFingerprint(changes);
  if (opts.refused === fingerprint)
    throw new KernelApplyError('the kernel refused these same changes on an earlier run', changes, fingerprint, false);
  const before = planFromObserved(links, previousPorts, bridge);
  const attempted = [...previousPorts, ...changes.attachedPorts];
  const ip = await kernel.ipBatch(changes.ipBatch);
  const br = ip && ip.exitCode !== 0 ? undefined : await kernel.bridgeBatch(changes.bridgeBatch);
  const failed =
    ip && ip.exitCode !== 0
      ? `ip -batch failed at ${failedLine(ip, changes.ipBatch)}`
      : br && br.exitCode !== 0
        ? `bridge -batch failed at ${failedLine(br, changes.bridgeBatch)}`
        : undefined;
  if (!failed) return { changes, writes: changes.ipBatch.length + changes.bridgeBatch.length };
  const left = await restoreKernel(kernel, before, attempted).catch((err: Error) => [err.message]);
  const outcome =
    left.length === 0
      ? 'the devices were restored as they were before this run'
      : `restoring the devices as they were failed too: ${left.join('; ')}`;
  throw new KernelApplyError(`${failed}; ${outcome}`, changes, fingerprint);
}
