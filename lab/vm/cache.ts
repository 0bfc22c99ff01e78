// Everything a guest boot needs, built once and kept under
// /var/cache/routerd-evpn-lab/<kver>/ (vmlinux, modules, initramfs-<hash>.cpio).
// A warm cache is used without asking apt anything; building happens under a
// lock, in a temp dir renamed into place, so a half-built cache is never used.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { initramfsPath, planInitramfs, writeInitramfs } from './initramfs.ts';
import { ensurePackages, missingPackages } from './install.ts';
import { candidateKernel, compareKver, unpackKernel } from './kernel.ts';
import { withLock } from './lock.ts';

export const CACHE_DIR = '/var/cache/routerd-evpn-lab';

export interface GuestImage {
  kver: string;
  vmlinux: string;
  initramfs: string;
  modulesTree: string;
}

const KVER = /^\d+\.\d+\.\d+-\d+-amd64$/;

// The newest complete kernel in the cache (a dir only exists once complete).
export async function cachedKernel(cacheDir = CACHE_DIR): Promise<string | undefined> {
  const entries = await readdir(cacheDir).catch(() => [] as string[]);
  const complete = entries.filter((e) => KVER.test(e) && existsSync(join(cacheDir, e, 'vmlinux')));
  return complete.sort(compareKver).pop();
}

async function image(
  cacheDir: string,
  kver: string,
  build: boolean,
  log: (m: string) => void,
): Promise<GuestImage | undefined> {
  const kernelDir = join(cacheDir, kver);
  const plan = await planInitramfs(kernelDir, kver);
  let initramfs = initramfsPath(kernelDir, plan);
  if (!existsSync(initramfs)) {
    if (!build) return undefined;
    log(`building the initramfs for ${kver}`);
    initramfs = await writeInitramfs(kernelDir, plan);
  }
  return { kver, vmlinux: join(kernelDir, 'vmlinux'), initramfs, modulesTree: plan.modulesTree };
}

async function buildKernel(cacheDir: string, log: (m: string) => void): Promise<string> {
  const kernel = await candidateKernel(log);
  const dest = join(cacheDir, kernel.kver);
  if (existsSync(join(dest, 'vmlinux'))) return kernel.kver;
  const tmp = join(cacheDir, `.build-${kernel.kver}-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  try {
    const started = Date.now();
    await unpackKernel(kernel, tmp, log);
    await rename(tmp, dest);
    log(`kernel ${kernel.kver} cached in ${dest} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return kernel.kver;
}

export async function ensureGuestImage(log: (m: string) => void, cacheDir = CACHE_DIR): Promise<GuestImage> {
  const warm = await cachedKernel(cacheDir);
  if (warm && (await missingPackages()).length === 0) {
    const found = await image(cacheDir, warm, false, log);
    if (found) return found;
  }
  await mkdir(cacheDir, { recursive: true });
  return withLock(
    join(cacheDir, '.lock'),
    async () => {
      await ensurePackages(log);
      const kver = (await cachedKernel(cacheDir)) ?? (await buildKernel(cacheDir, log));
      const built = await image(cacheDir, kver, true, log);
      if (!built) throw new Error(`could not build the lab VM image for kernel ${kver}`);
      return built;
    },
    log,
  );
}
