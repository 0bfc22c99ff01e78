// Typed wrappers over ip and bridge: one read, one batch write each.
import { parseIpLinks, type ObservedLink } from '../observe/parse-kernel.ts';
import { CommandError, type CommandResult, type Runner } from './exec.ts';

// Deleting a device costs the kernel ~30 ms (RCU grace periods), so a batch
// removing thousands must not be cut off by a fixed timeout.
export function batchTimeoutMs(lines: number): number {
  return 60_000 + lines * 100;
}

export class Kernel {
  constructor(private readonly runner: Runner) {}

  async readLinks(): Promise<ObservedLink[]> {
    const r = await this.runner('ip', ['-j', '-d', 'addr', 'show']);
    if (r.exitCode !== 0) throw new CommandError(r);
    return parseIpLinks(r.stdout);
  }

  // Without -force, ip stops at the first failing line and exits non-zero.
  async ipBatch(lines: readonly string[], force = false): Promise<CommandResult | undefined> {
    if (lines.length === 0) return undefined;
    return this.runner('ip', [...(force ? ['-force'] : []), '-batch', '-'], { input: `${lines.join('\n')}\n`, timeoutMs: batchTimeoutMs(lines.length) });
  }

  async bridgeBatch(lines: readonly string[]): Promise<CommandResult | undefined> {
    if (lines.length === 0) return undefined;
    return this.runner('bridge', ['-batch', '-'], { input: `${lines.join('\n')}\n`, timeoutMs: batchTimeoutMs(lines.length) });
  }
}
