// The guest's initramfs: static busybox, the /init from init-script.ts and the
// modules it loads. Named by a hash of its content, so a changed /init or
// module list builds a new one next to the old.
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildCpio, type CpioEntry, parentDirs } from './cpio.ts';
import { initScript } from './init-script.ts';
import { GUEST_MODULES, moduleClosure, parseBuiltin, parseModulesDep } from './modules.ts';

export const BUSYBOX = '/bin/busybox';

export interface InitramfsPlan {
  init: string;
  modules: string[]; // relative to modulesTree, load order
  modulesTree: string;
  busybox: Buffer;
  hash: string;
}

export async function planInitramfs(kernelDir: string, kver: string): Promise<InitramfsPlan> {
  const modulesTree = join(kernelDir, 'lib', 'modules', kver);
  const deps = parseModulesDep(await readFile(join(modulesTree, 'modules.dep'), 'utf8'));
  const builtin = parseBuiltin(await readFile(join(modulesTree, 'modules.builtin'), 'utf8').catch(() => ''));
  const closure = moduleClosure(GUEST_MODULES, deps, builtin);
  if (closure.missing.length > 0) throw new Error(`kernel ${kver} lacks modules: ${closure.missing.join(', ')}`);
  const init = initScript({ modules: closure.load, modulesTree });
  const busybox = await readFile(BUSYBOX);
  const hash = createHash('sha256')
    .update(init)
    .update(busybox)
    .update(closure.load.join('\n'))
    .digest('hex')
    .slice(0, 16);
  return { init, modules: closure.load, modulesTree, busybox, hash };
}

export const initramfsPath = (kernelDir: string, plan: InitramfsPlan) => join(kernelDir, `initramfs-${plan.hash}.cpio`);

// Uncompressed: the guest unpacks it faster than it would inflate it under TCG.
export async function writeInitramfs(kernelDir: string, plan: InitramfsPlan): Promise<string> {
  const files: CpioEntry[] = [
    { type: 'file', path: 'init', data: Buffer.from(plan.init), mode: 0o755 },
    { type: 'file', path: 'bin/busybox', data: plan.busybox, mode: 0o755 },
    { type: 'chardev', path: 'dev/console', major: 5, minor: 1 },
  ];
  for (const module of plan.modules)
    files.push({ type: 'file', path: `modules/${module}`, data: await readFile(join(plan.modulesTree, module)) });
  const dirs = parentDirs([...files.map((f) => f.path), 'proc/x', 'sys/x', 'dev/x']);
  const cpio = buildCpio([...dirs.map((path): CpioEntry => ({ type: 'dir', path })), ...files]);
  const out = initramfsPath(kernelDir, plan);
  const tmp = `${out}.tmp-${process.pid}`;
  await writeFile(tmp, cpio);
  await rename(tmp, out);
  return out;
}
