// nftables inside the node's network namespace: a script applied as one
// `nft -f -` transaction, and an inet table read back with `nft list table`.
import { checked, type Runner } from './exec.ts';

export class Nft {
  constructor(private readonly runner: Runner) {}

  async apply(script: string): Promise<void> {
    checked(await this.runner('nft', ['-f', '-'], { input: script }));
  }

  // The inet table as nft prints it; undefined when it does not exist.
  async readTable(name: string): Promise<string | undefined> {
    const r = await this.runner('nft', ['list', 'table', 'inet', name]);
    if (r.exitCode !== 0 && /No such file or directory/.test(r.stderr)) return undefined;
    return checked(r).stdout;
  }
}

// The rules of `nft list table` output (the lines of its chains that are no
// chain header, hook line or brace), as they print.
export function parseNftRules(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== '}' && !/^(table|chain) .*\{$/.test(l) && !/^type \S+ hook /.test(l));
}
