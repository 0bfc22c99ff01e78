// The guest kernel: Debian's linux-image-6.1.*-amd64 (the one linux-image-amd64
// depends on), downloaded and unpacked without installing it, reduced to an
// uncompressed vmlinux (PVH boot) and the module tree the guest needs.
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, runChecked } from '../../src/system/exec.ts';
import { withAptRetry } from './install.ts';

export interface KernelPackage {
  pkg: string; // linux-image-6.1.0-56-amd64
  kver: string; // 6.1.0-56-amd64 (uname -r in the guest)
}

// From `apt-cache show --no-all-versions linux-image-amd64`: "Depends: linux-image-6.1.0-56-amd64 (= 6.1.192-2)".
export function parseKernelDepends(text: string): KernelPackage | undefined {
  const depends = text.split('\n').find((l) => l.startsWith('Depends:'));
  for (const alternative of depends?.slice('Depends:'.length).split(/[,|]/) ?? []) {
    const match = /^\s*linux-image-(6\.1\.\S+-amd64)(-unsigned)?\b/.exec(alternative);
    if (match) return { pkg: `linux-image-${match[1]}${match[2] ?? ''}`, kver: match[1] };
  }
  return undefined;
}

export async function candidateKernel(log: (m: string) => void): Promise<KernelPackage> {
  return withAptRetry(async () => {
    const result = await runChecked(run, 'apt-cache', ['show', '--no-all-versions', 'linux-image-amd64']);
    const found = parseKernelDepends(result.stdout);
    if (!found) throw new Error('linux-image-amd64 does not depend on a linux-image-6.1.*-amd64 package');
    return found;
  }, log);
}

// Kernel version names as they sort: 6.1.0-9-amd64 < 6.1.0-56-amd64.
export function compareKver(a: string, b: string): number {
  const nums = (v: string) =>
    v
      .split(/[.-]/)
      .map((p) => Number.parseInt(p, 10))
      .filter((n) => !Number.isNaN(n));
  const [x, y] = [nums(a), nums(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);

// Where xz streams may start inside a bzImage (the first is normally the kernel).
export function xzOffsets(image: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = image.indexOf(XZ_MAGIC); at >= 0; at = image.indexOf(XZ_MAGIC, at + 1)) offsets.push(at);
  return offsets;
}

async function isElf(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return buffer.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    await handle.close();
  }
}

// Like the kernel's scripts/extract-vmlinux, for an xz-compressed bzImage.
export async function extractVmlinux(bzImage: string, workDir: string, out: string): Promise<void> {
  const image = await readFile(bzImage);
  for (const offset of xzOffsets(image)) {
    const payload = join(workDir, 'payload.xz');
    await writeFile(payload, image.subarray(offset));
    const result = await run('xz', ['-d', '-f', '--single-stream', payload], { timeoutMs: 120_000 });
    const plain = join(workDir, 'payload');
    if (result.exitCode === 0 && existsSync(plain) && (await isElf(plain))) return rename(plain, out);
    await rm(plain, { force: true });
  }
  throw new Error(`no xz-compressed ELF kernel found in ${bzImage}`);
}

// The guest loads modules from these parts of the tree only (networking, file systems, virtio).
const KEPT_MODULE_DIRS = ['arch', 'crypto', 'fs', 'lib', 'net', 'drivers/net', 'drivers/virtio', 'drivers/char'];

async function pruneModules(tree: string): Promise<void> {
  const kernel = join(tree, 'kernel');
  for (const top of await readdir(kernel)) {
    if (top === 'drivers') continue;
    if (!KEPT_MODULE_DIRS.includes(top)) await rm(join(kernel, top), { recursive: true, force: true });
  }
  for (const sub of await readdir(join(kernel, 'drivers'))) {
    if (!KEPT_MODULE_DIRS.includes(`drivers/${sub}`))
      await rm(join(kernel, 'drivers', sub), { recursive: true, force: true });
  }
}

// Downloads and unpacks into `dest` (a fresh dir the caller renames into place):
// dest/vmlinux, dest/config, dest/lib/modules/<kver>/ with modules.dep from busybox depmod.
export async function unpackKernel(kernel: KernelPackage, dest: string, log: (m: string) => void): Promise<void> {
  const work = join(dest, 'work');
  await mkdir(work, { recursive: true });
  log(`downloading ${kernel.pkg}`);
  await withAptRetry(
    () =>
      runChecked(run, 'apt-get', ['download', '-q', '-o', 'APT::Sandbox::User=root', kernel.pkg], {
        cwd: work,
        timeoutMs: 1_200_000,
      }),
    log,
  );
  const deb = (await readdir(work)).find((f) => f.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${kernel.pkg} left no .deb in ${work}`);
  const tree = join(work, 'tree');
  await runChecked(run, 'dpkg-deb', ['-x', join(work, deb), tree], { timeoutMs: 600_000 });
  const boot = join(tree, 'boot');
  await extractVmlinux(join(boot, `vmlinuz-${kernel.kver}`), work, join(dest, 'vmlinux'));
  await rename(join(boot, `config-${kernel.kver}`), join(dest, 'config'));
  const modules = join(dest, 'lib', 'modules');
  await mkdir(modules, { recursive: true });
  const from = [join(tree, 'lib', 'modules', kernel.kver), join(tree, 'usr', 'lib', 'modules', kernel.kver)].find((p) =>
    existsSync(p),
  );
  if (!from) throw new Error(`${kernel.pkg} has no lib/modules/${kernel.kver}`);
  await rename(from, join(modules, kernel.kver));
  await pruneModules(join(modules, kernel.kver));
  await runChecked(run, 'busybox', ['depmod', '-b', dest, kernel.kver], { timeoutMs: 300_000 });
  await writeFile(join(dest, 'package'), `${kernel.pkg}\n${deb}\n`);
  await rm(work, { recursive: true, force: true });
}
