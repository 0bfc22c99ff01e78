// Typed wrappers over vtysh and frr-reload.py, optionally aimed at one FRR
// instance started with -N (pathspace), and at an FRR that lives in a chroot
// or container (exec prefix + root). Queries are batched into one vtysh call
// with many -c.

import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type CommandResult, checked, type Runner } from './exec.ts';
import { type FrrDiff, parseReloadDiff } from './frr-reload-diff.ts';
import { type FrrVersion, parseFrrVersion } from './frr-version.ts';
import { splitJsonDocuments } from './json-stream.ts';
import { redactFrrText } from './secrets.ts';
import { DEFAULT_FRR_RELOAD } from './tools.ts';

export interface FrrOptions {
  pathspace?: string;
  vtysh?: string;
  reloadScript?: string;
  /** Words run in front of vtysh and python3, e.g. ["chroot", "/srv/frr10"] or ["docker", "exec", "-i", "frr"]. */
  exec?: readonly string[];
  /** Where that FRR's filesystem is seen from here: files for frr-reload are staged under it. */
  root?: string;
}

// Where frr-reload reads staged files, as a path inside the FRR's root.
export const STAGE_DIR = '/tmp/routerd-evpn';

export class FrrUnreachableError extends Error {
  constructor(detail: string) {
    super(`FRR is not reachable through vtysh: ${detail}`);
    this.name = 'FrrUnreachableError';
  }
}

export class Frr {
  private readonly vtyshBin: string;
  private readonly reloadScript: string;
  private readonly prefix: readonly string[];
  constructor(
    private readonly runner: Runner,
    private readonly options: FrrOptions = {},
  ) {
    this.vtyshBin = options.vtysh ?? 'vtysh';
    this.reloadScript = options.reloadScript ?? DEFAULT_FRR_RELOAD;
    this.prefix = options.exec ?? [];
  }

  private ns(): string[] {
    return this.options.pathspace ? ['-N', this.options.pathspace] : [];
  }

  private nsLong(): string[] {
    return this.options.pathspace ? ['--pathspace', this.options.pathspace] : [];
  }

  // Runs argv behind the exec prefix (the FRR's chroot or container), if any.
  // BGP passwords in what it prints are redacted here, before any caller
  // (diff, error, log, status) sees the text.
  private async exec(argv: readonly string[], timeoutMs: number): Promise<CommandResult> {
    const [file, ...args] = [...this.prefix, ...argv] as [string, ...string[]];
    const r = await this.runner(file, args, { timeoutMs });
    return { ...r, stdout: redactFrrText(r.stdout), stderr: redactFrrText(r.stderr) };
  }

  async vtysh(commands: readonly string[]): Promise<CommandResult> {
    const r = await this.exec([this.vtyshBin, ...this.ns(), ...commands.flatMap((c) => ['-c', c])], 30_000);
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

  // The daemons that answer and FRR's version, in one vtysh call: `show daemons`
  // prints one line, `show version` starts with "FRRouting X.Y".
  async identity(): Promise<{ daemons: string[]; version: FrrVersion | undefined }> {
    const r = await this.vtysh(['show daemons', 'show version']);
    const [first = '', ...rest] = r.stdout.trimStart().split('\n');
    return { daemons: first.trim().split(/\s+/).filter(Boolean).sort(), version: parseFrrVersion(rest.join('\n')) };
  }

  // The running FRR's version, asked afresh (FRR may be upgraded under a running daemon).
  async version(): Promise<FrrVersion | undefined> {
    return parseFrrVersion(checked(await this.vtysh(['show version'])).stdout);
  }

  async showJson(commands: readonly string[]): Promise<unknown[]> {
    const r = checked(await this.vtysh(commands));
    const docs = splitJsonDocuments(r.stdout);
    if (docs.length === commands.length) return docs;
    // Some FRR commands print nothing (not {}) when EVPN is off, so the
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

  // Configuration lines run in one vtysh session, between `configure terminal`
  // and `end`. vtysh goes on past a refused line, so its `%` answers count too.
  async configure(lines: readonly string[]): Promise<void> {
    const r = checked(await this.vtysh(['configure terminal', ...lines, 'end']));
    const refusal = r.stdout.split('\n').find((l) => l.startsWith('%'));
    if (refusal) throw new Error(`vtysh refused the configuration (${lines.join('; ')}): ${refusal.trim()}`);
  }

  // frr-reload --test: parses the new file with vtysh and diffs it against the running config.
  async test(file: string): Promise<FrrDiff> {
    await this.daemons();
    return this.staged(file, async (path) => {
      const r = await this.exec(['python3', this.reloadScript, ...this.nsLong(), '--test', path], 120_000);
      return parseReloadDiff(checked(r).stdout);
    });
  }

  async reload(file: string): Promise<CommandResult> {
    return this.staged(file, async (path) =>
      checked(
        await this.exec(['python3', this.reloadScript, ...this.nsLong(), '--reload', '--overwrite', path], 300_000),
      ),
    );
  }

  // Why: an FRR in a chroot or container sees its own filesystem, so the file
  // is copied under its root (mode 0600, removed afterwards) and named by its
  // path there. Without a root the file is passed as it is.
  private async staged<T>(file: string, use: (path: string) => Promise<T>): Promise<T> {
    const root = this.options.root;
    if (!root || root === '/') return use(file);
    const inside = `${STAGE_DIR}/${randomBytes(6).toString('hex')}-${basename(file)}`;
    const host = join(root, inside);
    await mkdir(join(root, STAGE_DIR), { recursive: true, mode: 0o700 });
    await copyFile(file, host);
    try {
      return await use(inside);
    } finally {
      await rm(host, { force: true });
    }
  }
}
