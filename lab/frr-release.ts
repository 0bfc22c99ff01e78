// Which FRR a lab node runs, chosen containerlab style by the node's image:
// frrouting/frr:8.4.x (or no FRR image) is the host's FRR 8.4 from Debian 12;
// frrouting/frr:10.3.x is FRR 10.3 from a cached Debian 13 (trixie) root, and
// frrouting/frr:10.7.x FRR 10.7 from a Debian forky (testing) root: the first
// release here with IPv6 VTEPs in EVPN (FRR 10.6 and later).
// The .clab.yml stays valid for real containerlab.
import { CACHE_DIR } from './vm/cache.ts';

export const FRR_RELEASES = ['8.4', '10.3', '10.7'] as const;
export type FrrRelease = (typeof FRR_RELEASES)[number];
export const HOST_RELEASE: FrrRelease = '8.4';

// Where a release's FRR lives: the host (undefined) or a root built on first use.
export interface FrrInstall {
  release: FrrRelease;
  root?: string;
}

// The Debian suite each non-host release comes from.
export const ROOT_SUITES: Partial<Record<FrrRelease, string>> = { '10.3': 'trixie', '10.7': 'forky' };

export function frrRootDir(release: FrrRelease, cacheDir = CACHE_DIR): string | undefined {
  return ROOT_SUITES[release] ? `${cacheDir}/frr-${release}/root` : undefined;
}

export function installOf(release: FrrRelease, cacheDir = CACHE_DIR): FrrInstall {
  const root = frrRootDir(release, cacheDir);
  return root ? { release, root } : { release };
}

export const HOST_FRR: FrrInstall = { release: HOST_RELEASE };

// [registry/]frrouting/frr:[v]MAJOR.MINOR[...]; any other image is not an FRR image.
const FRR_IMAGE = /^(?:[^/\s]+\/)*frrouting\/frr(?::(.*))?$/;

export type ImageRelease = { release: FrrRelease } | { problem: string };

export function releaseOfImage(image: string | undefined): ImageRelease {
  const m = image === undefined ? null : FRR_IMAGE.exec(image);
  if (!m) return { release: HOST_RELEASE };
  const tag = m[1] ?? 'latest';
  const version = /^v?(\d+)\.(\d+)(?:$|[.-])/.exec(tag);
  const have = `this lab has FRR ${FRR_RELEASES.join(', ')} (${FRR_RELEASES.map((r) => `frrouting/frr:${r}.x`).join(', ')})`;
  if (!version) return { problem: `image "${image}" names no FRR version (tag "${tag}"); ${have}` };
  const release = `${version[1]}.${version[2]}`;
  if (!(FRR_RELEASES as readonly string[]).includes(release))
    return { problem: `image "${image}" selects FRR ${release}; ${have}` };
  return { release: release as FrrRelease };
}
