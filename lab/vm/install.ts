// Debian packages the lab installs on first use, never before: qemu and a
// static busybox for `lab run` on a host without VRF, mmdebstrap for a second
// FRR's root. Not part of scripts/setup.sh (most runs never need them).
import { existsSync } from 'node:fs';
import { chmod, rm, writeFile } from 'node:fs/promises';
import { run, runChecked } from '../../src/system/exec.ts';

export const GUEST_PACKAGES = ['qemu-system-x86', 'busybox-static'];
const POLICY_RC = '/usr/sbin/policy-rc.d';
const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive' };

export async function isInstalled(pkg: string): Promise<boolean> {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's ${Status} field, passed to it verbatim
  const result = await run('dpkg-query', ['-W', '-f=${Status}', pkg]);
  return result.exitCode === 0 && result.stdout.trim() === 'install ok installed';
}

export async function missingPackages(packages: readonly string[] = GUEST_PACKAGES): Promise<string[]> {
  const missing: string[] = [];
  for (const pkg of packages) if (!(await isInstalled(pkg))) missing.push(pkg);
  return missing;
}

// Package lists may be absent or stale (a 404): refresh them once and try again.
export async function withAptRetry<T>(what: () => Promise<T>, log: (m: string) => void): Promise<T> {
  try {
    return await what();
  } catch (err) {
    log(`${(err as Error).message.split('\n')[0]}; running apt-get update and trying again`);
    await runChecked(run, 'apt-get', ['update', '-q'], { timeoutMs: 600_000, env: APT_ENV });
    return what();
  }
}

export async function ensurePackages(log: (m: string) => void): Promise<void> {
  await ensureDebianPackages(GUEST_PACKAGES, log, 'first use of the VM substrate');
}

// Installs those of `packages` that are missing from this host's Debian archive.
export async function ensureDebianPackages(
  packages: readonly string[],
  log: (m: string) => void,
  why = 'first use',
): Promise<void> {
  const missing = await missingPackages(packages);
  if (missing.length === 0) return;
  log(`installing ${missing.join(' ')} (${why})`);
  const started = Date.now();
  // Like scripts/setup.sh: no package may start a service while we install.
  let createdPolicy = false;
  if (!existsSync(POLICY_RC)) {
    await writeFile(POLICY_RC, '#!/bin/sh\nexit 101\n');
    await chmod(POLICY_RC, 0o755);
    createdPolicy = true;
  }
  try {
    const args = ['install', '-y', '-q', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=300', ...missing];
    await withAptRetry(() => runChecked(run, 'apt-get', args, { timeoutMs: 1_200_000, env: APT_ENV }), log);
  } finally {
    if (createdPolicy) await rm(POLICY_RC, { force: true });
  }
  log(`installed ${missing.join(' ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
