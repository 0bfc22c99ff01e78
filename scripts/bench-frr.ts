// The bench's FRR side: starting the scratch instance (FRR 8.4 from the host,
// or 10.3 chrooted into its trixie root) inside the bench namespace, and
// polling zebra and bgpd until they know every VNI. Everything runs through
// the install's prefix (frrPrefix: `chroot ROOT` for a root), like the daemon.
import {
  daemonsOf,
  type FrrDaemon,
  frrPrefix,
  loadBootConfig,
  startFrrDaemon,
  waitForVtysh,
} from '../lab/frr-instance.ts';
import type { FrrInstall } from '../lab/frr-release.ts';
import { labTimeout } from '../lab/timeouts.ts';
import { sleep } from '../lab/wait.ts';
import { run } from '../src/system/exec.ts';

// Starts every daemon of the install (8.4: zebra, bgpd, staticd; a root adds
// mgmtd first), waits for vtysh, then hands a root's daemons the boot config.
export async function startFrrInstance(namespace: string, install: FrrInstall): Promise<readonly FrrDaemon[]> {
  const daemons = daemonsOf(install);
  for (const daemon of daemons) await startFrrDaemon(run, namespace, daemon, install);
  await waitForVtysh(run, namespace, install);
  await loadBootConfig(run, namespace, install);
  return daemons;
}

// `vtysh -c A -c B` with two `json` commands prints two JSON documents one
// after the other; this splits them (string-aware brace matching). Text that
// is not JSON (an instance without `router bgp` says so in words) yields undefined.
export function splitJsonDocuments(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"' && depth > 0) inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if ((c === '}' || c === ']') && depth > 0) {
      depth--;
      if (depth === 0) {
        try {
          out.push(JSON.parse(text.slice(start, i + 1)));
        } catch {
          out.push(undefined);
        }
      }
    }
  }
  return out;
}

// L2VNIs in a `show evpn vni json` (zebra) or `show bgp l2vpn evpn vni json`
// (bgpd) object: the entries keyed by a VNI number whose type is not L3.
export function countL2Vnis(doc: unknown): number {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return -1;
  let n = 0;
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (!/^\d+$/.test(key) || !value || typeof value !== 'object') continue;
    const type = (value as { type?: unknown }).type;
    if (type === undefined || String(type).toUpperCase() === 'L2') n++;
  }
  return n;
}

export const VNI_QUERY = ['show evpn vni json', 'show bgp l2vpn evpn vni json'] as const;

// One vtysh process, both commands: zebra's and bgpd's L2VNI counts (-1: unreadable).
export async function frrVniCounts(
  namespace: string,
  install: FrrInstall,
): Promise<{ zebra: number; bgpd: number; callMs: number }> {
  const argv = [...frrPrefix(install), 'vtysh', '-N', namespace, ...VNI_QUERY.flatMap((c) => ['-c', c])];
  const [file, ...args] = argv as [string, ...string[]];
  const r = await run(file, args, { timeoutMs: labTimeout(120_000) });
  const [zebra, bgpd] = splitJsonDocuments(r.stdout);
  return { zebra: countL2Vnis(zebra), bgpd: countL2Vnis(bgpd), callMs: r.durationMs };
}

export interface FrrVnis {
  zebra: number; // L2VNIs zebra listed last
  bgpd: number; // L2VNIs bgpd listed last
  zebraAllMs?: number; // since `since`, until the first poll that found all N in zebra
  bgpdAllMs?: number; // the same for bgpd
  ms: number; // how long the polling ran
  polls: number;
  maxCallMs: number; // the slowest vtysh call: the resolution of the two figures
}

const round = (x: number) => Math.round(x * 10) / 10;

// Polls until zebra and bgpd both list all N L2VNIs, or their counts stop
// moving for `stallMs` (the VM substrate scales it), or `capMs` is over. A
// figure is the time from `since` to the end of the first vtysh call that
// saw all N: late by at most one call plus the pause between calls.
export async function waitForFrrVnis(
  namespace: string,
  install: FrrInstall,
  n: number,
  since: number,
  stallMs = labTimeout(15_000),
  capMs = labTimeout(600_000),
): Promise<FrrVnis> {
  const out: FrrVnis = { zebra: -1, bgpd: -1, ms: 0, polls: 0, maxCallMs: 0 };
  let changedAt = performance.now();
  for (;;) {
    const now = await frrVniCounts(namespace, install);
    const t = performance.now();
    out.polls++;
    out.maxCallMs = Math.max(out.maxCallMs, now.callMs);
    out.ms = round(t - since);
    if (now.zebra === n && out.zebraAllMs === undefined) out.zebraAllMs = out.ms;
    if (now.bgpd === n && out.bgpdAllMs === undefined) out.bgpdAllMs = out.ms;
    if (now.zebra !== out.zebra || now.bgpd !== out.bgpd) changedAt = t;
    out.zebra = now.zebra;
    out.bgpd = now.bgpd;
    if (out.zebraAllMs !== undefined && out.bgpdAllMs !== undefined) return out;
    if (t - changedAt > stallMs || t - since > capMs) return out;
    await sleep(250);
  }
}
