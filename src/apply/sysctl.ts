// IP forwarding inside the node's network namespace: routed networks and
// exits need it. Read with one `sysctl -n`, written with one `sysctl -w`, and
// only switched on (a node may forward for reasons of its own).
import { CommandError, type Runner } from './exec.ts';

const KEYS = { ipv4: 'net.ipv4.ip_forward', ipv6: 'net.ipv6.conf.all.forwarding' } as const;

export class Sysctl {
  constructor(private readonly runner: Runner) {}

  // Returns the keys it switched on (empty when nothing was needed).
  async ensureForwarding(want: { ipv4: boolean; ipv6: boolean } | undefined): Promise<string[]> {
    const keys = (['ipv4', 'ipv6'] as const).filter((f) => want?.[f]).map((f) => KEYS[f]);
    if (keys.length === 0) return [];
    const read = await this.runner('sysctl', ['-n', ...keys]);
    if (read.exitCode !== 0) throw new CommandError(read);
    const values = read.stdout.trim().split('\n');
    const off = keys.filter((_, i) => values[i]?.trim() !== '1');
    if (off.length === 0) return [];
    const write = await this.runner('sysctl', ['-w', ...off.map((k) => `${k}=1`)]);
    if (write.exitCode !== 0) throw new CommandError(write);
    return off;
  }
}
