// Stops exactly the processes the lab recorded. Before signalling, each pid's
// command line must still name the lab namespace, so a pid recycled by an
// unrelated process after a crash is never killed.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { sleep } from './wait.ts';

export interface RecordedProcess {
  pid: number;
  node: string;
  role: string;
  namespace: string;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function cmdline(pid: number): Promise<string[] | undefined> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

// Why: the recorded pid is ours only while its argv still carries our namespace.
export async function stillOurs(proc: RecordedProcess): Promise<boolean> {
  const argv = await cmdline(proc.pid);
  return argv?.includes(proc.namespace) ?? false;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

// SIGTERM all, wait up to graceMs, then SIGKILL what is left. Returns the pids signalled.
export async function stopProcesses(procs: RecordedProcess[], graceMs = 5_000): Promise<number[]> {
  const ours: RecordedProcess[] = [];
  for (const proc of procs) if (await stillOurs(proc)) ours.push(proc);
  for (const proc of ours) signal(proc.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && ours.some((p) => running(p.pid))) await sleep(100);
  for (const proc of ours) if (running(proc.pid) && (await stillOurs(proc))) signal(proc.pid, 'SIGKILL');
  const killDeadline = Date.now() + 2_000;
  while (Date.now() < killDeadline && ours.some((p) => running(p.pid))) await sleep(50);
  return ours.map((p) => p.pid);
}

function running(pid: number): boolean {
  return isAlive(pid) && !isZombie(pid);
}

// A killed child of ours stays a zombie until reaped; it no longer needs waiting for.
function isZombie(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return true;
  }
}
