// Can this kernel create VRF devices? Tried inside a namespace of our own with
// a unique exact name, which is deleted again by that name whatever happens.
import { type Runner, run } from '../../src/system/exec.ts';

let probes = 0;

export function probeNamespace(pid = process.pid, n = probes): string {
  return `rdevpn-vrfprobe-${pid}-${n}`;
}

export async function canCreateVrf(runner: Runner = run): Promise<boolean> {
  const ns = probeNamespace(process.pid, probes++);
  const added = await runner('ip', ['netns', 'add', ns]);
  if (added.exitCode !== 0) return false;
  try {
    const vrf = await runner('ip', ['-n', ns, 'link', 'add', 'p', 'type', 'vrf', 'table', '10']);
    return vrf.exitCode === 0;
  } finally {
    await runner('ip', ['netns', 'delete', ns]);
  }
}
