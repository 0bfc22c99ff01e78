// The one place the daemon spawns processes. Everything else (vtysh,
// frr-reload, ip, bridge, sysctl) goes through run() so results, logging and
// timeouts are uniform and tests can put tiny real executables first on PATH.
import { execa } from 'execa';

export interface CommandResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  failed: boolean;
}

export interface RunOptions {
  input?: string;
  timeoutMs?: number;
  env?: Record<string, string>;
  cwd?: string;
}

export class CommandError extends Error {
  readonly result: CommandResult;
  constructor(result: CommandResult) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n');
    super(`${result.command} exited with ${result.exitCode}${detail ? `: ${detail}` : ''}`);
    this.name = 'CommandError';
    this.result = result;
  }
}

export type Runner = (file: string, args: readonly string[], options?: RunOptions) => Promise<CommandResult>;

// run never throws for a non-zero exit; callers decide what a failure means.
export const run: Runner = async (file, args, options = {}) => {
  const started = performance.now();
  const result = await execa(file, [...args], {
    input: options.input,
    timeout: options.timeoutMs ?? 60_000,
    env: options.env,
    cwd: options.cwd,
    reject: false,
    stripFinalNewline: false,
  });
  return {
    command: [file, ...args].join(' '),
    exitCode: result.exitCode ?? (result.failed ? -1 : 0),
    stdout: String(result.stdout ?? ''),
    stderr:
      String(result.stderr ?? '') || (result.failed && result.exitCode === undefined ? String(result.message) : ''),
    durationMs: Math.round(performance.now() - started),
    failed: result.failed,
  };
};

// For commands whose non-zero exit is an error: throws CommandError.
export async function runChecked(
  runner: Runner,
  file: string,
  args: readonly string[],
  options?: RunOptions,
): Promise<CommandResult> {
  return checked(await runner(file, args, options));
}

export function checked(result: CommandResult): CommandResult {
  if (result.exitCode !== 0) throw new CommandError(result);
  return result;
}
