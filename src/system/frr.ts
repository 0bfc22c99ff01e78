// Typed wrappers over vtysh and frr-reload.py, optionally aimed at one FRR
// instance started with -N (pathspace). Queries are batched into one vtysh
// call with many -c.

import { type CommandResult, checked, type Runner } from './exec.ts';
import { type FrrDiff, parseReloadDiff } from './frr-reload-diff.ts';
import { splitJsonDocuments } from './json-stream.ts';
import { DEFAULT_FRR_RELOAD } from './tools.ts';

export interface FrrOptions {
  pathspace?: string;
  vtysh?: string;
  reloadScript?: string;
}

export class FrrUnreachableError extends Error {
  constructor(detail: string) {
    super(`FRR is not reachable through vtysh: ${detail}`);
    this.name = 'FrrUnreachableError';
  }
}

export class Frr {
  private readonly vtyshBin: string;
  private readonly reloadScript: string;
  constructor(
    private readonly runner: Runner,
    private readonly options: FrrOptions = {},
  ) {
    this.vtyshBin = options.vtysh ?? 'vtysh';
    this.reloadScript = options.reloadScript ?? DEFAULT_FRR_RELOAD;
  }

  private ns(): string[] {
    return this.options.pathspace ? ['-N', this.options.pathspace] : [];
  }

  private nsLong(): string[] {
    return this.options.pathspace ? ['--pathspace', this.options.pathspace] : [];
  }

  async vtysh(commands: readonly string[]): Promise<CommandResult> {
    const r = await this.runner(this.vtyshBin, [...this.ns(), ...commands.flatMap((c) => ['-c', c])], {
      timeoutMs: 30_000,
    });
    if (
      r.exitCode !== 0 &&
      /failed to connect to any daemons|Can't open configuration file/i.test(r.stdout + r.stderr)
    ) {
      throw new FrrUnreachableError((r.stderr || r.stdout).trim().split('\n').pop() ?? '');
    }
    return r;
  }

  // Which daemons answer; throws FrrUnreachableError when none do.
  async daemons(): Promise<string[]> {
    const r = await this.vtysh(['show daemons']);
    return r.stdout.trim().split(/\s+/).filter(Boolean).sort();
  }

  async showJson(commands: readonly string[]): Promise<unknown[]> {
    const r = checked(await this.vtysh(commands));
    const docs = splitJsonDocuments(r.stdout);
    if (docs.length === commands.length) return docs;
    // Some FRR 8.4 commands print nothing (not {}) when EVPN is off, so the
    // batch cannot be split by position: ask one command at a time instead.
    const single: unknown[] = [];
    for (const command of commands) {
      const one = checked(await this.vtysh([command]));
      single.push(splitJsonDocuments(one.stdout)[0] ?? {});
    }
    return single;
  }

  async runningConfig(): Promise<string> {
    return checked(await this.vtysh(['show running-config'])).stdout;
  }

  // frr-reload --test: parses the new file with vtysh and diffs it against the running config.
  async test(file: string): Promise<FrrDiff> {
    await this.daemons();
    const args = [this.reloadScript, ...this.nsLong(), '--test', file];
    return parseReloadDiff(checked(await this.runner('python3', args, { timeoutMs: 120_000 })).stdout);
  }

  async reload(file: string): Promise<CommandResult> {
    const args = [this.reloadScript, ...this.nsLong(), '--reload', '--overwrite', file];
    return checked(await this.runner('python3', args, { timeoutMs: 300_000 }));
  }
}
