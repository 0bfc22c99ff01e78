// The bench's scratch world, owned by the outer process: the namespace
// bench-evpn, the FRR directories (the host's or the 10.3 root's), the state
// dir; the kernel probe for the single VXLAN device; and a cleanup that always
// removes exactly what this run created. The measuring part (bench.ts --inner)
// runs under `ip netns exec bench-evpn`.
import { mkdtemp, rm } from 'node:fs/promises';
import { release, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { frrPidFilePids, prepareFrrDirs, removeFrrDirs } from '../lab/frr-instance.ts';
import { type FrrRelease, installOf } from '../lab/frr-release.ts';
import { ensureFrrRoot } from '../lab/frr-root.ts';
import { deleteNamespaces, ipBatch, listNamespaces } from '../lab/netns.ts';
import { stopProcesses } from '../lab/processes.ts';
import { runInherit } from '../lab/spawn.ts';
import { labTimeout } from '../lab/timeouts.ts';
import { type Runner, run, runChecked } from '../src/system/exec.ts';
import { Kernel } from '../src/system/kernel.ts';
import { probeSingleVxlan } from '../src/system/kernel-probe.ts';

export const NS = 'bench-evpn';
export const NODE = 'bench';
export const VTEP = '10.255.0.1';
export const PEER_VTEP = '10.255.0.2'; // a fabric peer that never answers
export const VNI_BASE = 10_000;

export type VxlanDeviceMode = 'perVni' | 'single';

export interface Args {
  vnis: number;
  reps: number;
  teardown: boolean;
  floor: boolean; // also time the raw ip/bridge -batch floor (--no-floor: skip it)
  frr: FrrRelease;
  device: VxlanDeviceMode;
  inner: boolean;
  stateDir?: string;
}

// The options that describe a run (everything but --inner and --state-dir), as argv.
export function runArgv(a: Args): string[] {
  return [
    '--frr',
    a.frr,
    '--vxlan-device',
    a.device,
    '--vnis',
    String(a.vnis),
    '--reps',
    String(a.reps),
    ...(a.floor ? [] : ['--no-floor']),
    ...(a.teardown ? ['--teardown'] : []),
  ];
}

export const onVm = () => process.env.LAB_SUBSTRATE === 'vm';

// How to run the same bench in the lab VM (Debian 6.1 kernel, VLAN-aware
// bridges): dist/ is built on the host first, the guest sees the repo.
export function vmCommand(a: Args, self: string): string {
  const repo = dirname(dirname(self));
  const script = relative(repo, self);
  return `cd ${repo} && npm run build && npm run lab -- run --vm --memory 4096 --timeout ${vmTimeoutS(a)} -- node --import tsx ${script} ${runArgv(a).join(' ')}`;
}

// A generous `lab run --timeout` for one bench in the VM (TCG: ~20x slower
// than the host): ~20 min of fixed costs, then about 1 s per VNI for each bulk
// delete of the per-VNI devices between steps and for FRR taking the VNIs in.
export function vmTimeoutS(a: Args): number {
  const deletes = a.device === 'perVni' ? (a.floor ? 2 * a.reps : a.reps) : 0;
  const s = 1200 + a.vnis * (deletes + 1);
  return Math.ceil(s / 600) * 600;
}

// Runs a command in the namespace (the kernel probe needs a Kernel there).
const inNamespace: Runner = (file, args, options) => run('ip', ['netns', 'exec', NS, file, ...args], options);

// Between runs of the matrix, a namespace left with thousands of devices would
// be torn down by the kernel in the background (holding rtnl) while the next
// run measures; so on the host the devices go first, in one group delete.
async function removeAllDevices(): Promise<void> {
  const links = JSON.parse((await runChecked(run, 'ip', ['-n', NS, '-j', 'link', 'show'])).stdout) as {
    ifname: string;
  }[];
  const names = links.map((l) => l.ifname).filter((n) => n !== 'lo');
  if (names.length < 50) return; // few devices: the namespace delete is quick
  const started = performance.now();
  const group = 4243;
  await runChecked(run, 'ip', ['-n', NS, '-batch', '-'], {
    input: `${names.map((n) => `link set dev ${n} group ${group}`).join('\n')}\n`,
    timeoutMs: labTimeout(600_000),
  });
  await runChecked(run, 'ip', ['-n', NS, 'link', 'del', 'group', String(group)], { timeoutMs: labTimeout(3_600_000) });
  console.error(
    `bench: cleanup removed ${names.length} devices in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

interface World {
  namespace: boolean;
  frrDirs: boolean;
  stateDir?: string;
}

// Idempotent teardown of exactly what this run created, in reverse order.
// FRR is started by the measuring process; its pid files name the daemons.
function makeCleanup(world: World): () => Promise<void> {
  let done: Promise<void> | undefined;
  const steps = async () => {
    const pids = world.frrDirs ? await frrPidFilePids(NS) : [];
    await stopProcesses(pids.map((pid) => ({ pid, node: NODE, role: 'frr', namespace: NS })));
    // In the VM the guest is thrown away after the run: no need to wait for the kernel.
    if (world.namespace && !onVm())
      await removeAllDevices().catch((err: Error) => console.error(`bench: cleanup: ${err.message}`));
    if (world.namespace) await deleteNamespaces(run, [NS]);
    if (world.frrDirs) await removeFrrDirs(NS);
    if (world.stateDir) await rm(world.stateDir, { recursive: true, force: true });
  };
  return () => (done ??= steps().catch((err: Error) => console.error(`bench: cleanup: ${err.message}`)));
}

// Creates the world, re-runs `self` inside the namespace, always cleans up.
// Returns the measuring part's exit code (2 when the kernel cannot run `single`).
export async function outer(args: Args, self: string): Promise<number> {
  if ((await listNamespaces(run)).has(NS))
    throw new Error(
      `namespace ${NS} already exists; if it is a leftover of an earlier bench, remove it with: ip netns del ${NS}`,
    );
  const started = performance.now();
  const install = installOf(args.frr);
  if (install.root) await ensureFrrRoot(install.release, (m) => console.error(`bench: ${m}`));
  const world: World = { namespace: false, frrDirs: false };
  const cleanup = makeCleanup(world);
  // process.on, not once: execa's signal-exit re-raises a signal nobody else still listens to.
  const onSignal = (sig: NodeJS.Signals, code: number) =>
    process.on(sig, () => void cleanup().finally(() => process.exit(code)));
  onSignal('SIGINT', 130);
  onSignal('SIGTERM', 143);
  try {
    await runChecked(run, 'ip', ['netns', 'add', NS]);
    world.namespace = true;
    await ipBatch(run, NS, [
      'link set lo up',
      'link add vtep0 type veth peer name vtep0-peer',
      'link set vtep0-peer up',
      `addr add ${VTEP}/32 dev vtep0`,
      'link set vtep0 up',
    ]);
    // FRR 8.4 with `single` is refused by the daemon before it probes the
    // kernel (FRRTooOld), which is what that run measures; otherwise the
    // kernel must be able to run it at all.
    if (args.device === 'single' && args.frr !== '8.4') {
      const support = await probeSingleVxlan(new Kernel(inNamespace));
      if (!support.supported) {
        console.error(
          `bench: --vxlan-device single cannot run on this kernel (${process.env.LAB_SUBSTRATE ?? 'host'}, Linux ${release()}): the daemon would refuse it (KernelUnsupported):\n  ${support.problems.join('\n  ')}`,
        );
        if (!onVm())
          console.error(
            `bench: run it in the lab VM (Debian 6.1 kernel with VLAN-aware bridges) instead:\n  ${vmCommand(args, self)}`,
          );
        return 2;
      }
    }
    world.frrDirs = true;
    await prepareFrrDirs(run, NS, NODE, install);
    world.stateDir = await mkdtemp(join(tmpdir(), 'routerd-evpn-bench-'));
    const argv = [
      'netns',
      'exec',
      NS,
      process.execPath,
      ...process.execArgv,
      self,
      '--inner',
      ...runArgv(args),
      '--state-dir',
      world.stateDir,
    ];
    const result = await runInherit('ip', argv);
    return result.exitCode;
  } finally {
    await cleanup();
    console.error(`bench: ${runArgv(args).join(' ')}: ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
  }
}
