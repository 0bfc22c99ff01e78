// The job inside a qemu guest: cached image, per-run dir with the job files
// and port sockets, one boot (retried once when the guest never became
// ready), and the run dir removed again unless the lab itself failed.
import { existsSync, rmSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureGuestImage, type GuestImage } from './cache.ts';
import { bootEnv, type JobInput, jobProblems, jobScript } from './job-script.ts';
import { type BootHooks, type BootOutcome, bootOnce } from './qemu.ts';
import { LabRunError } from './run-error.ts';

export const GUEST_HOSTNAME = 'routerd-evpn-lab';
const PID1 = join(import.meta.dirname, 'pid1.pl');

export interface VmRunInput {
  command: string[];
  cwd: string;
  env: Record<string, string>;
  resultsDir: string;
  memoryMiB: number;
  cpus: number;
  bootTimeoutMs: number;
  deadline: number;
  hooks: BootHooks;
  log: (message: string) => void;
}

export interface VmRunResult {
  exitCode: number;
  bootMs: number;
  kver: string;
}

// tsx keeps compiled files in /tmp/tsx-<uid>; the guest reuses the host's (copy on write): ~3 s less per run.
function tsxCache(): string[] {
  const dir = `/tmp/tsx-${process.getuid?.() ?? 0}`;
  return existsSync(dir) ? [dir] : [];
}

async function consoleTail(file: string, lines = 40): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

async function writeJob(runDir: string, job: JobInput): Promise<void> {
  await writeFile(join(runDir, 'boot.env'), bootEnv(job));
  await writeFile(join(runDir, 'job.sh'), jobScript(job), { mode: 0o755 });
  await copyFile(PID1, join(runDir, 'pid1.pl'));
}

export async function runInVm(input: VmRunInput): Promise<VmRunResult> {
  const job: JobInput = {
    command: input.command,
    cwd: input.cwd,
    env: input.env,
    hostname: GUEST_HOSTNAME,
    resultsDir: input.resultsDir,
    keep: tsxCache(),
  };
  const problems = jobProblems(job);
  if (problems.length > 0) throw new LabRunError('invalid', problems.join('; '), { resultsDir: input.resultsDir });
  const image = await ensureGuestImage(input.log);
  const runDir = await mkdtemp(join(tmpdir(), 'rdevpn-run-'));
  // Interrupted (the CLI exits on SIGINT/SIGTERM): execa kills qemu, this removes the run dir.
  const removeOnExit = () => rmSync(runDir, { recursive: true, force: true });
  process.on('exit', removeOnExit);
  try {
    return await bootAndReport(input, image, job, runDir);
  } finally {
    process.off('exit', removeOnExit);
  }
}

async function bootAndReport(
  input: VmRunInput,
  image: GuestImage,
  job: JobInput,
  runDir: string,
): Promise<VmRunResult> {
  await writeJob(runDir, job);
  let outcome: BootOutcome = { kind: 'boot-timeout' };
  let consoleLog = '';
  for (let attempt = 1; attempt <= 2; attempt++) {
    consoleLog = join(runDir, `console-${attempt}.log`);
    const sockets = {
      stdout: join(runDir, `${attempt}.out.sock`),
      stderr: join(runDir, `${attempt}.err.sock`),
      control: join(runDir, `${attempt}.ctl.sock`),
    };
    input.log(
      `booting kernel ${image.kver} under qemu (TCG, ${input.memoryMiB} MiB${attempt > 1 ? `, attempt ${attempt}` : ''})`,
    );
    const plan = {
      vmlinux: image.vmlinux,
      initramfs: image.initramfs,
      memoryMiB: input.memoryMiB,
      cpus: input.cpus,
      runDir,
      resultsDir: input.resultsDir,
      consoleLog,
      sockets,
    };
    outcome = await bootOnce(plan, input.hooks, input.bootTimeoutMs, input.deadline);
    for (const socket of Object.values(sockets)) await rm(socket, { force: true });
    if (outcome.kind !== 'boot-timeout') break;
    input.log(
      `the guest was not ready within ${input.bootTimeoutMs / 1000} s; killed its qemu (pid ${outcome.qemuPid})${attempt === 1 ? ', trying once more' : ''}`,
    );
  }
  if (outcome.kind === 'exited') {
    await rm(runDir, { recursive: true, force: true });
    return { exitCode: outcome.exitCode, bootMs: outcome.bootMs, kver: image.kver };
  }
  const where = { resultsDir: input.resultsDir, runDir };
  const tail = `\n--- last lines of the kernel console (${consoleLog}) ---\n${await consoleTail(consoleLog)}`;
  if (outcome.kind === 'timeout') {
    throw new LabRunError(
      'timeout',
      `killed qemu (pid ${outcome.qemuPid})${outcome.bootMs === undefined ? tail : ''}`,
      where,
    );
  }
  if (outcome.kind === 'boot-timeout')
    throw new LabRunError('boot-failed', `the guest did not become ready in two boots${tail}`, where);
  const started = outcome.bootMs === undefined ? 'before the job started' : 'after the job started';
  throw new LabRunError(
    outcome.bootMs === undefined ? 'boot-failed' : 'guest-failed',
    `the guest failed ${started}: ${outcome.message}${tail}`,
    where,
  );
}
