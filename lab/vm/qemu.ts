// One guest boot: listen on the three port sockets, start qemu, stream the
// job's stdout/stderr as it arrives, watch the control port for "ready",
// "exit N" or "error ...", and kill that qemu (by its pid) on a deadline.
import { createServer, type Server, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { spawnStreaming } from '../spawn.ts';
import { QEMU, type QemuPlan, qemuArgs } from './qemu-args.ts';

export interface BootHooks {
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}

export type BootOutcome = { qemuPid?: number } & (
  | { kind: 'exited'; exitCode: number; bootMs: number } // the job ran and reported its exit code
  | { kind: 'boot-timeout' } // no "ready" in time: qemu killed
  | { kind: 'timeout'; bootMs?: number } // the overall deadline passed: qemu killed
  | { kind: 'failed'; message: string; bootMs?: number } // qemu or the guest ended without an exit code
);

interface Port {
  server: Server;
  closed: Promise<void>; // resolves when qemu's connection has ended (or end() was called)
  end: () => void;
  connected: () => boolean;
}

// Qemu connects to each socket as a client when it starts; we read until it goes away.
async function listen(path: string, sink: (chunk: string) => void): Promise<Port> {
  let finish = () => {};
  let connected = false;
  const closed = new Promise<void>((resolve) => (finish = resolve));
  const server = createServer((socket: Socket) => {
    connected = true;
    const decoder = new StringDecoder('utf8');
    socket.on('data', (data: Buffer) => sink(decoder.write(data)));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const rest = decoder.end();
      if (rest) sink(rest);
      finish();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return { server, closed, end: finish, connected: () => connected };
}

function kill(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export async function bootOnce(
  plan: QemuPlan,
  hooks: BootHooks,
  bootTimeoutMs: number,
  deadline: number,
): Promise<BootOutcome> {
  const started = Date.now();
  let bootMs: number | undefined;
  let exitCode: number | undefined;
  let guestError: string | undefined;
  let killedFor: 'boot-timeout' | 'timeout' | undefined;
  let controlText = '';
  let qemuStderr = '';
  const stdout = await listen(plan.sockets.stdout, (c) => hooks.onStdout?.(c));
  const stderr = await listen(plan.sockets.stderr, (c) => hooks.onStderr?.(c));
  const control = await listen(plan.sockets.control, (chunk) => {
    controlText += chunk;
    for (let nl = controlText.indexOf('\n'); nl >= 0; nl = controlText.indexOf('\n')) {
      const line = controlText.slice(0, nl).trim();
      controlText = controlText.slice(nl + 1);
      if (line === 'ready' && bootMs === undefined) bootMs = Date.now() - started;
      else if (/^exit \d+$/.test(line)) exitCode = Number(line.slice(5));
      else if (line.startsWith('error ')) guestError = line.slice(6);
    }
  });
  const qemu = spawnStreaming(QEMU, qemuArgs(plan), {
    onStdout: (c) => (qemuStderr += c),
    onStderr: (c) => (qemuStderr += c),
  });
  const bootTimer = setTimeout(() => {
    if (bootMs === undefined) {
      killedFor = 'boot-timeout';
      kill(qemu.pid);
    }
  }, bootTimeoutMs);
  const deadlineTimer = setTimeout(
    () => {
      killedFor ??= 'timeout';
      kill(qemu.pid);
    },
    Math.max(0, deadline - Date.now()),
  );
  try {
    const result = await qemu.done;
    // Output qemu took from the guest is in the sockets already; read it to the end.
    const ports = [stdout, stderr, control];
    for (const port of ports) if (!port.connected()) port.end();
    const grace = setTimeout(() => {
      for (const p of ports) p.end();
    }, 5_000);
    await Promise.all(ports.map((p) => p.closed));
    clearTimeout(grace);
    const qemuPid = qemu.pid;
    if (killedFor === 'boot-timeout') return { kind: 'boot-timeout', qemuPid };
    if (killedFor === 'timeout' && exitCode === undefined) return { kind: 'timeout', bootMs, qemuPid };
    if (exitCode !== undefined && bootMs !== undefined) return { kind: 'exited', exitCode, bootMs, qemuPid };
    const why =
      guestError ??
      (qemuStderr.trim() ||
        result.stderr.trim() ||
        `qemu exited with ${result.exitCode} before the job reported an exit code`);
    return { kind: 'failed', message: why, bootMs, qemuPid };
  } finally {
    clearTimeout(bootTimer);
    clearTimeout(deadlineTimer);
    for (const port of [stdout, stderr, control]) port.server.close();
  }
}
