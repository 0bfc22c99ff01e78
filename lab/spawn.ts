// Process helpers only the lab and the benchmarks need: a detached daemon, a
// command on our terminal, a command streamed while it runs. The daemon itself
// spawns only through src/system/exec.ts.
import { closeSync, openSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { execa, type Options } from 'execa';
import type { CommandResult, RunOptions } from '../src/system/exec.ts';

const osSignals = osConstants.signals as Record<string, number>;

export interface SpawnedProcess {
  pid: number;
}

// Starts a long-running process detached from us (lab daemons), output to a file.
export async function spawnDetached(
  file: string,
  args: readonly string[],
  logFile: string,
  env?: Record<string, string>,
): Promise<SpawnedProcess> {
  const fd = openSync(logFile, 'a');
  try {
    const options: Options = {
      detached: true,
      stdin: 'ignore',
      stdout: fd as never,
      stderr: fd as never,
      reject: false,
      cleanup: false,
      ...(env ? { env } : {}),
    };
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
export async function runInherit(
  file: string,
  args: readonly string[],
  env?: Record<string, string>,
): Promise<CommandResult> {
  const started = performance.now();
  const result = await execa(file, [...args], { stdio: 'inherit', env, reject: false });
  // A command killed by a signal exits like a shell reports it: 128 + signal number.
  const signalCode = result.signal ? 128 + (osSignals[result.signal] ?? 0) : undefined;
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
export function spawnStreaming(
  file: string,
  args: readonly string[],
  options: StreamingOptions = {},
): StreamingProcess {
  const started = performance.now();
  const child = execa(file, [...args], {
    stdin: 'ignore',
    buffer: false,
    reject: false,
    cwd: options.cwd,
    env: options.env,
    timeout: options.timeoutMs,
  });
  for (const [stream, sink] of [
    [child.stdout, options.onStdout],
    [child.stderr, options.onStderr],
  ] as const) {
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
