// The root an FRR release other than the host's runs from: a minimal Debian
// root (mmdebstrap, variant apt, with frr, frr-pythontools and iproute2) built
// on first use under /var/cache/routerd-evpn-lab/frr-<release>/root. It is
// built in a temp dir and renamed into place under a lock, so a half-built
// root is never used; a warm cache asks apt nothing.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { run, runChecked } from '../src/system/exec.ts';
import { DEFAULT_FRR_RELOAD } from '../src/system/tools.ts';
import { type FrrRelease, frrRootDir, ROOT_SUITES } from './frr-release.ts';
import { ensureDebianPackages } from './vm/install.ts';
import { withLock } from './vm/lock.ts';

export const DEBIAN_MIRROR = 'http://deb.debian.org/debian';
export const ROOT_PACKAGES = ['frr', 'frr-pythontools', 'iproute2'];

export function isComplete(root: string): boolean {
  return existsSync(`${root}${DEFAULT_FRR_RELOAD}`) && existsSync(`${root}/usr/lib/frr/mgmtd`);
}

// Returns the root of `release`, building it first if it is missing.
export async function ensureFrrRoot(release: FrrRelease, log: (m: string) => void, cacheDir?: string): Promise<string> {
  const root = frrRootDir(release, cacheDir);
  const suite = ROOT_SUITES[release];
  if (!root || !suite) throw new Error(`FRR ${release} runs from the host, not from a root`);
  if (isComplete(root)) return root;
  await mkdir(dirname(root), { recursive: true }); // mmdebstrap wants the target's parent; the lock sits beside it
  await withLock(`${dirname(root)}.lock`, () => build(release, suite, root, log), log);
  return root;
}

async function build(release: FrrRelease, suite: string, root: string, log: (m: string) => void): Promise<void> {
  if (isComplete(root)) return; // built by whoever held the lock before us
  await ensureDebianPackages(['mmdebstrap'], log);
  const partial = `${root}.partial`;
  await rm(partial, { recursive: true, force: true });
  await rm(root, { recursive: true, force: true });
  log(`building a Debian ${suite} root with FRR ${release} in ${root} (first use; about a minute)`);
  const started = Date.now();
  const include = `--include=${ROOT_PACKAGES.join(',')}`;
  // The archive reachable here can be a snapshot whose testing suite's Release
  // is past its Valid-Until (forky's was on 2026-12-02); the packages are still signed.
  const noExpiry = '--aptopt=Acquire::Check-Valid-Until "false"';
  await runChecked(run, 'mmdebstrap', ['--variant=apt', '-q', noExpiry, include, suite, partial, DEBIAN_MIRROR], {
    timeoutMs: 1_200_000,
  });
  const version = (await runChecked(run, 'chroot', [partial, '/usr/lib/frr/zebra', '--version'])).stdout;
  if (!version.includes(`version ${release}`)) {
    await rm(partial, { recursive: true, force: true });
    throw new Error(`the ${suite} root has ${version.split('\n')[0]}, not FRR ${release}`);
  }
  await rename(partial, root);
  log(`FRR ${release} root ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
