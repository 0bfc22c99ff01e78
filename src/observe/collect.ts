// Gathers one snapshot of what FRR and the kernel report: one `ip` call and
// one batched `vtysh` call. Parsing is pure (parse-*.ts); only this runs commands.
import type { Frr } from '../apply/frr.ts';
import { FrrUnreachableError } from '../apply/frr.ts';
import type { Kernel } from '../apply/kernel.ts';
import { parseBgpEvpnSummary, type BgpSummary } from './parse-bgp.ts';
import { parseEvpnArpCache, parseEvpnMacs, parseEvpnVnis, type EvpnMac, type EvpnNeighbor, type EvpnVni } from './parse-evpn.ts';
import type { ObservedLink } from './parse-kernel.ts';

export interface Observation {
  at: string;
  links: ObservedLink[];
  linkError?: string;
  frrReachable: boolean;
  frrError?: string;
  daemons: string[];
  bgp: BgpSummary;
  vnis: EvpnVni[];
  macs: EvpnMac[];
  neighbors: EvpnNeighbor[];
  runningConfigHash?: string;
}

export const OBSERVE_COMMANDS = [
  'show bgp l2vpn evpn summary json',
  'show evpn vni json',
  'show evpn mac vni all json',
  'show evpn arp-cache vni all json',
] as const;

export async function collectObservation(kernel: Kernel, frr: Frr, hashRunning: (text: string) => string): Promise<Observation> {
  const obs: Observation = { at: new Date().toISOString(), links: [], frrReachable: false, daemons: [], bgp: { sessions: [] }, vnis: [], macs: [], neighbors: [] };
  try {
    obs.links = await kernel.readLinks();
  } catch (err) {
    obs.linkError = (err as Error).message;
  }
  try {
    const [bgp, vnis, macs, arp] = await frr.showJson(OBSERVE_COMMANDS);
    obs.bgp = parseBgpEvpnSummary(bgp);
    obs.vnis = parseEvpnVnis(vnis);
    obs.macs = parseEvpnMacs(macs);
    obs.neighbors = parseEvpnArpCache(arp);
    obs.daemons = await frr.daemons();
    obs.runningConfigHash = hashRunning(await frr.runningConfig());
    obs.frrReachable = true;
  } catch (err) {
    obs.frrReachable = false;
    obs.frrError = err instanceof FrrUnreachableError ? err.message : `FRR query failed: ${(err as Error).message}`;
  }
  return obs;
}
