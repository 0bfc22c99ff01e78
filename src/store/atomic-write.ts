// Durable file replacement: write a temp file, fsync it, rename over the
// target, fsync the directory. A crash leaves either the old or the new file.

import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// The temp name of a write to `path`: hidden, with the writer's pid and a random tag.
function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}
const TEMP_PATTERN = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

// A process killed between open and rename leaves its temp file behind; the
// next start removes those of `dir` (only names atomicWrite makes). Returns them.
export async function removeTornWrites(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const torn = names.filter((n) => TEMP_PATTERN.test(n));
  for (const n of torn) await unlink(join(dir, n)).catch(() => undefined);
  return torn;
}

export async function atomicWrite(path: string, content: string, mode = 0o640): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = tempName(path);
  try {
    const fh = await open(tmp, 'w', mode);
    try {
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}
