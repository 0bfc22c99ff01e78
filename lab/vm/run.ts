// `lab run`: runs a scenario command where VRF devices work, on the host when
// its kernel can create them, otherwise in a qemu guest that sees the host's
// files (read-only, writable through an overlay) and shares one results dir.
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runOnHost } from './host-run.ts';
import { canCreateVrf } from './probe.ts';
import { LabRunError } from './run-error.ts';
import { runInVm } from './vm-run.ts';

export { canCreateVrf } from './probe.ts';
export { LabRunError } from './run-error.ts';

export type Substrate = 'host' | 'vm';

export interface RunScenarioOptions {
  command: string[]; // argv, run without a shell (PATH lookup for a bare name)
  cwd?: string; // default: process.cwd()
  env?: Record<string, string>; // added to the job's environment
  forceVm?: boolean; // use the VM even when the host has VRF
  memoryMiB?: number; // guest memory (default 3072)
  cpus?: number; // guest CPUs (default 2)
  timeoutMs?: number; // whole run including boot (default 30 min)
  bootTimeoutMs?: number; // until the job starts in the guest (default 90 s; one retry)
  resultsDir?: string; // created if missing; default: a fresh $TMPDIR/routerd-evpn-lab-results-XXXXXX
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  log?: (message: string) => void; // progress of the lab itself (not the job's output)
}

export interface RunScenarioResult {
  exitCode: number; // the job's own exit code (128+N when killed by signal N)
  substrate: Substrate;
  resultsDir: string;
  bootMs?: number; // qemu start until the job started (vm only)
  kernel?: string; // guest kernel release (vm only)
  durationMs: number;
}

export const DEFAULT_MEMORY_MIB = 3072;
export const DEFAULT_TIMEOUT_MS = 1_800_000;
export const DEFAULT_BOOT_TIMEOUT_MS = 90_000;

// The guest gets only these, the caller's env and ours; the host substrate keeps its whole environment.
function guestBaseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: '/root',
    USER: 'root',
    LOGNAME: 'root',
  };
}

export async function runScenario(opts: RunScenarioOptions): Promise<RunScenarioResult> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  if (opts.command.length === 0 || !opts.command[0]) throw new LabRunError('invalid', 'no command given');
  const resultsDir = opts.resultsDir
    ? resolve(opts.resultsDir)
    : await mkdtemp(join(tmpdir(), 'routerd-evpn-lab-results-'));
  await mkdir(resultsDir, { recursive: true });
  log(`results dir ${resultsDir}`);
  const substrate: Substrate = opts.forceVm || !(await canCreateVrf()) ? 'vm' : 'host';
  const cwd = resolve(opts.cwd ?? process.cwd());
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = started + timeoutMs;
  const hooks = { onStdout: opts.onStdout, onStderr: opts.onStderr };
  // Every lab failure names the results dir; a timeout also names the limit.
  const rethrow = (err: Error): never => {
    if (!(err instanceof LabRunError)) throw err;
    const message =
      err.failure === 'timeout' ? `timed out after ${Math.round(timeoutMs / 1000)} s: ${err.message}` : err.message;
    throw new LabRunError(err.failure, message, { resultsDir, runDir: err.runDir });
  };
  const ours = { LAB_RESULTS_DIR: resultsDir, LAB_SUBSTRATE: substrate };
  if (substrate === 'host') {
    log('substrate host (this kernel can create VRF devices)');
    const exitCode = await runOnHost({
      command: opts.command,
      cwd,
      env: { ...opts.env, ...ours },
      deadline,
      hooks,
    }).catch(rethrow);
    return { exitCode, substrate, resultsDir, durationMs: Date.now() - started };
  }
  log(opts.forceVm ? 'substrate vm (forced)' : 'substrate vm (this kernel cannot create VRF devices)');
  const vm = await runInVm({
    command: opts.command,
    cwd,
    env: { ...guestBaseEnv(), ...opts.env, ...ours },
    resultsDir,
    memoryMiB: opts.memoryMiB ?? DEFAULT_MEMORY_MIB,
    cpus: opts.cpus ?? 2,
    bootTimeoutMs: opts.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS,
    deadline,
    hooks,
    log,
  }).catch(rethrow);
  return {
    exitCode: vm.exitCode,
    substrate,
    resultsDir,
    bootMs: vm.bootMs,
    kernel: vm.kver,
    durationMs: Date.now() - started,
  };
}
