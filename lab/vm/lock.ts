// A lock directory (mkdir is atomic) holding its owner's pid, so two first uses
// of `lab run` do not build the cache at once. A lock whose owner is gone is taken over.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isAlive } from '../processes.ts';
import { sleep } from '../wait.ts';

async function ownerOf(lockDir: string): Promise<number | undefined> {
  const text = await readFile(`${lockDir}/pid`, 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function tryLock(lockDir: string): Promise<boolean> {
  try {
    await mkdir(lockDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  await writeFile(`${lockDir}/pid`, String(process.pid));
  return true;
}

export async function withLock<T>(
  lockDir: string,
  fn: () => Promise<T>,
  log: (m: string) => void,
  timeoutMs = 1_800_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let said = false;
  let sawOwnerless = 0;
  while (!(await tryLock(lockDir))) {
    const owner = await ownerOf(lockDir);
    // Owner dead, or no pid written for 5 s (its owner died between mkdir and write).
    sawOwnerless = owner === undefined ? sawOwnerless + 1 : 0;
    if ((owner !== undefined && !isAlive(owner)) || sawOwnerless > 25) {
      const stale = `${lockDir}.stale-${process.pid}-${Date.now()}`;
      await rename(lockDir, stale).catch(() => undefined); // only one taker wins the rename
      await rm(stale, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir} (held by pid ${owner})`);
    if (!said) log(`waiting for ${lockDir} (held by pid ${owner})`);
    said = true;
    await sleep(200);
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
