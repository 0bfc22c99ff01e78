// The one place that spawns processes. Everything else (vtysh, frr-reload, ip,
// bridge, lab tooling) goes through run() so results, logging and timeouts are
// uniform and tests can put tiny real executables first on PATH.
import { execa, type Options } from 'execa';
import { constants as osConstants } from 'node:os';

const osSignals = osConstants.signals as Record<string, number>;

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
    stderr: String(result.stderr ?? '') || (result.failed && result.exitCode === undefined ? String(result.message) : ''),
    durationMs: Math.round(performance.now() - started),
    failed: result.failed,
  };
};

export async function runChecked(runner: Runner, file: string, args: readonly string[], options?: RunOptions): Promise<CommandResult> {
  const result = await runner(file, args, options);
  if (result.exitCode !== 0) throw new CommandError(result);
  return result;
}

export interface SpawnedProcess {
  pid: number;
}

// Starts a long-running process detached from us (lab daemons), output to a file.
export async function spawnDetached(file: string, args: readonly string[], logFile: string, env?: Record<string, string>): Promise<SpawnedProcess> {
  const { openSync, closeSync } = await import('node:fs');
  const fd = openSync(logFile, 'a');
  try {
    const options: Options = { detached: true, stdin: 'ignore', stdout: fd as never, stderr: fd as never, reject: false, cleanup: false, ...(env ? { env } : {}) };
    const child = execa(file, [...args], options);
    child.unref();
    child.catch(() => undefined);
    if (child.pid === undefined) throw new Error(`could not start ${file}`);
    return { pid: child.pid };
  } finally {
    closeSync(fd);
  }
}

// Runs an interactive command with our terminal (lab exec): no capture, no timeout.
export async function runInherit(file: string, args: readonly string[], env?: Record<string, string>): Promise<CommandResult> {
  const started = performance.now();
  const { constants } = await import('node:os');
  const result = await execa(file, [...args], { stdio: 'inherit', env, reject: false });
  // A command killed by a signal exits like a shell reports it: 128 + signal number.
  const signalCode = result.signal ? 128 + (constants.signals[result.signal] ?? 0) : undefined;
  return {
    command: [file, ...args].join(' '),
    exitCode: result.exitCode ?? signalCode ?? (result.failed ? 1 : 0),
    stdout: '',
    stderr: result.failed && result.exitCode === undefined ? String(result.message) : '',
    durationMs: Math.round(performance.now() - started),
    failed: result.failed,
  };
}

export interface StreamingOptions extends Omit<RunOptions, 'input'> {
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}

export interface StreamingProcess {
  pid: number | undefined; // undefined when the command could not be started
  done: Promise<CommandResult>;
}

// Starts a command whose output is handed over chunk by chunk while it runs
// (lab run, qemu); nothing is buffered. The caller may signal `pid` itself.
export function spawnStreaming(file: string, args: readonly string[], options: StreamingOptions = {}): StreamingProcess {
  const started = performance.now();
  const child = execa(file, [...args], { stdin: 'ignore', buffer: false, reject: false, cwd: options.cwd, env: options.env, timeout: options.timeoutMs });
  for (const [stream, sink] of [[child.stdout, options.onStdout], [child.stderr, options.onStderr]] as const) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => sink?.(chunk));
  }
  const done = child.then((result) => ({
    command: [file, ...args].join(' '),
    exitCode: result.exitCode ?? (result.signal ? 128 + (osSignals[result.signal] ?? 0) : -1),
    stdout: '',
    stderr: result.failed && result.exitCode === undefined && !result.signal ? String(result.message) : '',
    durationMs: Math.round(performance.now() - started),
    failed: result.failed,
  }));
  return { pid: child.pid, done };
}
