// The job on the host itself (its kernel has VRF): same exec semantics as in
// the guest (argv, PATH lookup, no shell), the full host environment plus ours.
import { spawnStreaming } from '../spawn.ts';
import type { BootHooks } from './qemu.ts';
import { LabRunError } from './run-error.ts';

export interface HostRunInput {
  command: string[];
  cwd: string;
  env: Record<string, string>;
  deadline: number;
  hooks: BootHooks;
}

export async function runOnHost(input: HostRunInput): Promise<number> {
  const [file, ...args] = input.command;
  const child = spawnStreaming(file, args, {
    cwd: input.cwd,
    env: input.env,
    onStdout: input.hooks.onStdout,
    onStderr: input.hooks.onStderr,
  });
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
    Math.max(0, input.deadline - Date.now()),
  );
  try {
    const result = await child.done;
    if (timedOut) throw new LabRunError('timeout', `killed ${file} (pid ${child.pid})`);
    if (child.pid === undefined || result.exitCode === -1) {
      input.hooks.onStderr?.(`lab: cannot run ${file}: ${result.stderr.split('\n').pop()}\n`);
      return 127;
    }
    return result.exitCode;
  } finally {
    clearTimeout(timer);
  }
}
