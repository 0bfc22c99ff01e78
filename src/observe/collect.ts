// Gathers one snapshot of what FRR and the kernel report: one `ip` call and
// one batched `vtysh` call; with VRFs desired, also the L3VNI views in that
// same vtysh call and one `ip route` call per family. Parsing is pure
// (parse-*.ts); only this runs commands.
import type { Frr } from '../system/frr.ts';
import { FrrUnreachableError } from '../system/frr.ts';
import type { Kernel } from '../system/kernel.ts';
import type { BridgeVlans } from '../system/parse-bridge-vlan.ts';
import type { ObservedLink } from '../system/parse-ip-link.ts';
import type { KernelRoute } from '../system/parse-ip-route.ts';
import { type BfdPeer, parseBfdPeers } from './parse-bfd.ts';
import { type BgpSummary, type FamilySession, parseBgpEvpnSummary, parseBgpFamilySummary } from './parse-bgp.ts';
import {
  type EvpnMac,
  type EvpnNeighbor,
  type EvpnVni,
  parseEvpnArpCache,
  parseEvpnMacs,
  parseEvpnVnis,
} from './parse-evpn.ts';
import { parseType5Routes, type Type5Route } from './parse-type5.ts';
import {
  type EvpnNextHop,
  parseEvpnNextHops,
  parseEvpnRmacs,
  parseVrfVnis,
  type RemoteRouterMac,
  type VrfVni,
} from './parse-vrf.ts';

export interface Observation {
  at: string;
  links: ObservedLink[];
  linkError?: string;
  frrReachable: boolean;
  frrError?: string;
  daemons: string[];
  frrVersion?: string; // "10.3", "8.4.4": from `show version`
  bgp: BgpSummary;
  vnis: EvpnVni[];
  macs: EvpnMac[];
  neighbors: EvpnNeighbor[];
  runningConfigHash?: string;
  /** Whether the VRF views below were read (only when VRFs are desired). */
  vrfsObserved: boolean;
  vrfVnis: VrfVni[];
  rmacs: RemoteRouterMac[];
  nextHops: EvpnNextHop[];
  type5: Type5Route[];
  routes: KernelRoute[];
  routeError?: string;
  /** Whether the kernel's routes were read (with VRFs, or in a routed underlay). */
  routesObserved: boolean;
  /** Whether BFD sessions were read (only when some session has BFD). */
  bfdObserved: boolean;
  bfd: BfdPeer[];
  bfdError?: string;
  /** Sessions of every address family, with prefixes per family: read only when some session carries unicast routes. */
  families?: FamilySession[];
  /** VLANs, VLAN -> VNI tunnels and vnifilter VNIs, read only when a single VXLAN device exists. */
  bridgeVlans?: BridgeVlans;
  bridgeVlanError?: string;
}

export interface ObserveOptions {
  /** Also read L3VNIs, router MACs, next hops, type-5 routes and kernel routes. */
  vrfs?: boolean;
  /** Also read bfdd's sessions. */
  bfd?: boolean;
  /** Also read the kernel's routes (a routed underlay: are the remote VTEPs routed?). */
  routes?: boolean;
  /** Also read every address family's sessions (an eBGP underlay, unicast peers). */
  families?: boolean;
}

export const OBSERVE_FAMILIES_COMMAND = 'show bgp summary json';

export const OBSERVE_COMMANDS = [
  'show bgp l2vpn evpn summary json',
  'show evpn vni json',
  'show evpn mac vni all json',
  'show evpn arp-cache vni all json',
] as const;

export const OBSERVE_VRF_COMMANDS = [
  'show vrf vni json',
  'show evpn rmac vni all json',
  'show evpn next-hops vni all json',
  'show bgp l2vpn evpn route type prefix json',
] as const;

export function emptyObservation(at: string): Observation {
  return {
    at,
    links: [],
    frrReachable: false,
    daemons: [],
    bgp: { sessions: [] },
    vnis: [],
    macs: [],
    neighbors: [],
    vrfsObserved: false,
    routesObserved: false,
    bfdObserved: false,
    bfd: [],
    vrfVnis: [],
    rmacs: [],
    nextHops: [],
    type5: [],
    routes: [],
  };
}

// bfdd's sessions; without bfdd running, why there are none.
async function observeBfd(frr: Frr, obs: Observation): Promise<void> {
  obs.bfdObserved = true;
  if (!obs.daemons.includes('bfdd')) {
    obs.bfdError = 'bfdd is not running: BFD is configured in bgpd but no daemon runs the sessions';
    return;
  }
  const [peers] = await frr.showJson(['show bfd peers json']);
  obs.bfd = parseBfdPeers(peers);
}

export async function collectObservation(
  kernel: Kernel,
  frr: Frr,
  hashRunning: (text: string) => string,
  options: ObserveOptions = {},
): Promise<Observation> {
  const obs = emptyObservation(new Date().toISOString());
  const vrfs = options.vrfs === true;
  obs.vrfsObserved = vrfs;
  obs.routesObserved = vrfs || options.routes === true;
  const [links, routes] = await Promise.allSettled([
    kernel.readLinks(),
    obs.routesObserved ? kernel.readRoutes() : Promise.resolve([]),
  ]);
  if (links.status === 'fulfilled') obs.links = links.value;
  else obs.linkError = (links.reason as Error).message;
  if (obs.links.some((l) => l.vxlan?.vnifilter === true))
    await kernel.readBridgeVlans().then(
      (b) => {
        obs.bridgeVlans = b;
      },
      (err: Error) => {
        obs.bridgeVlanError = err.message;
      },
    );
  if (routes.status === 'fulfilled') obs.routes = routes.value;
  else obs.routeError = (routes.reason as Error).message;
  await observeFrr(frr, obs, hashRunning, options);
  return obs;
}

// FRR's part of the observation: one batched vtysh call for every view, then
// its identity and running config; an FRR that does not answer is recorded.
async function observeFrr(
  frr: Frr,
  obs: Observation,
  hashRunning: (text: string) => string,
  options: ObserveOptions,
): Promise<void> {
  const vrfs = obs.vrfsObserved;
  try {
    const families = options.families === true;
    const docs = await frr.showJson([
      ...OBSERVE_COMMANDS,
      ...(vrfs ? OBSERVE_VRF_COMMANDS : []),
      ...(families ? [OBSERVE_FAMILIES_COMMAND] : []),
    ]);
    const [bgp, vnis, macs, arp, vrfVnis, rmacs, nextHops, type5] = docs;
    if (families) obs.families = parseBgpFamilySummary(docs.at(-1));
    obs.bgp = parseBgpEvpnSummary(bgp);
    obs.vnis = parseEvpnVnis(vnis);
    obs.macs = parseEvpnMacs(macs);
    obs.neighbors = parseEvpnArpCache(arp);
    if (vrfs) {
      obs.vrfVnis = parseVrfVnis(vrfVnis);
      obs.rmacs = parseEvpnRmacs(rmacs);
      obs.nextHops = parseEvpnNextHops(nextHops);
      obs.type5 = parseType5Routes(type5);
    }
    const identity = await frr.identity();
    obs.daemons = identity.daemons;
    if (identity.version) obs.frrVersion = identity.version.text;
    obs.runningConfigHash = hashRunning(await frr.runningConfig());
    obs.frrReachable = true;
    if (options.bfd === true) await observeBfd(frr, obs);
  } catch (err) {
    obs.frrReachable = false;
    obs.frrError = err instanceof FrrUnreachableError ? err.message : `FRR query failed: ${(err as Error).message}`;
  }
}
