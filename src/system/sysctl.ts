// Kernel knobs a routing node needs, inside its network namespace: IP
// forwarding, and on anycast gateway SVIs the learning of neighbors from
// unsolicited ARP replies / NAs (another node's ARP request for a silent host
// is answered to the shared gateway MAC, so the reply lands on the local SVI:
// learning it lets zebra advertise the host). One read, one write; values are
// only ever switched on. Keys the kernel lacks are skipped (-e).
import { checked, type Runner } from './exec.ts';

export interface KnobWants {
  forwarding?: { ipv4: boolean; ipv6: boolean };
  gatewaySvis?: { name: string; ipv4: boolean; ipv6: boolean }[];
}

// sysctl writes a dot inside an interface name as '/'.
const conf = (family: 'ipv4' | 'ipv6', dev: string, knob: string) =>
  `net.${family}.conf.${dev.replace(/\./g, '/')}.${knob}`;

export function wantedKeys(w: KnobWants): string[] {
  const keys: string[] = [];
  if (w.forwarding?.ipv4) keys.push('net.ipv4.ip_forward');
  if (w.forwarding?.ipv6) keys.push('net.ipv6.conf.all.forwarding');
  for (const svi of w.gatewaySvis ?? []) {
    if (svi.ipv4) keys.push(conf('ipv4', svi.name, 'arp_accept'));
    if (svi.ipv6) keys.push(conf('ipv6', svi.name, 'accept_untracked_na'));
  }
  return keys;
}

export function parseSysctl(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(' = ');
    if (i > 0) out.set(line.slice(0, i).trim(), line.slice(i + 3).trim());
  }
  return out;
}

export class Sysctl {
  constructor(private readonly runner: Runner) {}

  // Returns the keys it switched on (empty when nothing was needed).
  async ensure(w: KnobWants): Promise<string[]> {
    const keys = wantedKeys(w);
    if (keys.length === 0) return [];
    const read = checked(await this.runner('sysctl', ['-e', ...keys]));
    const values = parseSysctl(read.stdout);
    const off = keys.filter((k) => values.has(k) && values.get(k) !== '1');
    if (off.length === 0) return [];
    checked(await this.runner('sysctl', ['-e', '-w', ...off.map((k) => `${k}=1`)]));
    return off;
  }
}
