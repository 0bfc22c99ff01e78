// Typed wrappers over ip and bridge: one read, one batch write each.

import { type CommandResult, checked, type Runner } from './exec.ts';
import { type ObservedLink, parseIpLinks } from './parse-ip-link.ts';
import { type KernelRoute, parseIpRoutes } from './parse-ip-route.ts';

// Deleting a device costs the kernel ~30 ms (RCU grace periods), so a batch
// removing thousands must not be cut off by a fixed timeout.
export function batchTimeoutMs(lines: number): number {
  return 60_000 + lines * 100;
}

export class Kernel {
  constructor(private readonly runner: Runner) {}

  async readLinks(): Promise<ObservedLink[]> {
    const r = checked(await this.runner('ip', ['-j', '-d', 'addr', 'show']));
    return parseIpLinks(r.stdout);
  }

  // Every table (main, local, each VRF's), one call per family: without -4/-6
  // `table all` would dump both families (and multicast tables) in one list.
  async readRoutes(): Promise<KernelRoute[]> {
    const read = async (family: 'ipv4' | 'ipv6') => {
      const r = checked(
        await this.runner('ip', ['-j', family === 'ipv4' ? '-4' : '-6', 'route', 'show', 'table', 'all']),
      );
      return parseIpRoutes(r.stdout, family);
    };
    const [v4, v6] = await Promise.all([read('ipv4'), read('ipv6')]);
    return [...v4, ...v6];
  }

  // Without -force, ip stops at the first failing line and exits non-zero.
  async ipBatch(lines: readonly string[], force = false): Promise<CommandResult | undefined> {
    if (lines.length === 0) return undefined;
    return this.runner('ip', [...(force ? ['-force'] : []), '-batch', '-'], {
      input: `${lines.join('\n')}\n`,
      timeoutMs: batchTimeoutMs(lines.length),
    });
  }

  async bridgeBatch(lines: readonly string[]): Promise<CommandResult | undefined> {
    if (lines.length === 0) return undefined;
    return this.runner('bridge', ['-batch', '-'], {
      input: `${lines.join('\n')}\n`,
      timeoutMs: batchTimeoutMs(lines.length),
    });
  }
}
