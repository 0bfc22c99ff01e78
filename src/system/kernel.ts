// Typed wrappers over ip and bridge: one read, one batch write each.

import { type CommandResult, checked, type Runner } from './exec.ts';
import { splitJsonDocuments } from './json-stream.ts';
import { type BridgeVlans, parseBridgeVlans } from './parse-bridge-vlan.ts';
import { type ObservedLink, parseIpLinks } from './parse-ip-link.ts';
import { type KernelRoute, parseIpRoutes } from './parse-ip-route.ts';

// Deleting a device costs the kernel ~30 ms (RCU grace periods), so a batch
// removing thousands must not be cut off by a fixed timeout.
export function batchTimeoutMs(lines: number): number {
  return 60_000 + lines * 100;
}

export const BRIDGE_VLAN_SHOWS = ['vlan tunnelshow', 'vni show', 'vlan show'] as const;

export class Kernel {
  constructor(private readonly runner: Runner) {}

  async readLinks(): Promise<ObservedLink[]> {
    const r = checked(await this.runner('ip', ['-j', '-d', 'addr', 'show']));
    return parseIpLinks(r.stdout);
  }

  // Only `link show` (no addresses): the single VXLAN device's probe reads its
  // throwaway devices with it.
  async readLinksOnly(): Promise<ObservedLink[]> {
    const r = checked(await this.runner('ip', ['-j', '-d', 'link', 'show']));
    return parseIpLinks(r.stdout);
  }

  // The VLAN views of the single VXLAN device in one `bridge -batch` call:
  // VLAN -> VNI tunnels, vnifilter VNIs, VLANs per port. iproute2 6.1 prints
  // nothing for the shows after a `-d vlan show`, so that one goes last; if a
  // document is still missing, each view is asked on its own.
  async readBridgeVlans(): Promise<BridgeVlans> {
    const r = checked(
      await this.runner('bridge', ['-j', '-d', '-batch', '-'], { input: `${BRIDGE_VLAN_SHOWS.join('\n')}\n` }),
    );
    let docs = splitJsonDocuments(r.stdout);
    if (docs.length !== BRIDGE_VLAN_SHOWS.length) {
      docs = [];
      for (const show of BRIDGE_VLAN_SHOWS)
        docs.push(splitJsonDocuments(checked(await this.runner('bridge', ['-j', '-d', ...show.split(' ')])).stdout)[0]);
    }
    const [tunnels, vnis, vlans] = docs;
    return parseBridgeVlans(vlans, tunnels, vnis);
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
