// What the kernel had of ours before a change, as a device plan, and putting
// it back after a failed batch: a refused change must leave the kernel as it
// found it (devices, flags, addresses, ports), never with less.

import type { DevicePlan, PlannedDevice, PlannedPort, PlannedVlan } from '../render/devices.ts';
import { canonicalCidr } from '../resources/cidr.ts';
import type { Kernel } from '../system/kernel.ts';
import { type BridgeVlans, emptyBridgeVlans } from '../system/parse-bridge-vlan.ts';
import type { ObservedLink } from '../system/parse-ip-link.ts';
import { isOwned } from './kernel-changes.ts';
import { diffKernel } from './kernel-diff.ts';

const KIND_RANK = { vrf: 0, bridge: 1, vxlan: 2, vlan: 3, veth: 4 } as const;

// The single VXLAN device's pieces: its flags, SVIs on its bridge.
function singleDeviceOf(link: ObservedLink): PlannedDevice | undefined {
  const owner = link.alias ?? '';
  if (link.kind === 'vlan' && link.vlan?.link) {
    return {
      kind: 'vlan',
      name: link.name,
      owner,
      mtu: link.mtu,
      link: link.vlan.link,
      vid: link.vlan.id,
      ...(link.master ? { master: link.master } : {}),
      ...(link.address ? { mac: link.address } : {}),
      addresses: link.addresses ?? [],
    };
  }
  const v = link.vxlan;
  if (link.kind !== 'vxlan' || !v?.vnifilter || !v.local || !link.master) return undefined;
  const bp = link.bridgePort;
  return {
    kind: 'vxlan',
    name: link.name,
    owner,
    mtu: link.mtu,
    vni: 0,
    local: v.local,
    dstport: v.dstport,
    master: link.master,
    learning: bp?.learning ?? false,
    neighSuppress: bp?.neighSuppress ?? false,
    vnifilter: true,
    ...(bp?.vlanTunnel ? { vlanTunnel: true } : {}),
    ...(bp?.neighVlanSuppress ? { neighVlanSuppress: true } : {}),
  };
}

// The VLANs of a single VXLAN device as the kernel has them.
function vlansOf(devices: PlannedDevice[], bridge: BridgeVlans): PlannedVlan[] | undefined {
  const vx = devices.find((d) => d.kind === 'vxlan' && d.vnifilter);
  if (vx?.kind !== 'vxlan') return undefined;
  const self = new Set((bridge.vlans[vx.master] ?? []).map((v) => v.vid));
  const flags = new Map((bridge.vlans[vx.name] ?? []).map((v) => [v.vid, v.neighSuppress]));
  return (bridge.tunnels[vx.name] ?? []).map((t) => ({
    vid: t.vid,
    vni: t.vni,
    owner: vx.owner,
    self: self.has(t.vid),
    neighSuppress: flags.get(t.vid) ?? vx.neighSuppress,
  }));
}

function deviceOf(link: ObservedLink): PlannedDevice | undefined {
  const owner = link.alias ?? '';
  if (link.kind === 'vrf' && link.vrfTable !== undefined)
    return { kind: 'vrf', name: link.name, owner, table: link.vrfTable };
  if (link.kind === 'bridge') {
    return {
      kind: 'bridge',
      name: link.name,
      owner,
      mtu: link.mtu,
      ...(link.master ? { master: link.master } : {}),
      ...(link.address ? { mac: link.address } : {}),
      addresses: link.addresses ?? [],
      ...(link.vlanFiltering ? { vlanFiltering: true } : {}),
    };
  }
  if (link.kind === 'vlan' || link.vxlan?.vnifilter) return singleDeviceOf(link);
  const v = link.vxlan;
  if (link.kind === 'vxlan' && v?.local && link.master) {
    return {
      kind: 'vxlan',
      name: link.name,
      owner,
      mtu: link.mtu,
      vni: v.vni,
      local: v.local,
      dstport: v.dstport,
      master: link.master,
      learning: link.bridgePort?.learning ?? false,
      neighSuppress: link.bridgePort?.neighSuppress ?? false,
    };
  }
  // a veth pair is made again by the end whose name sorts first
  if (link.kind === 'veth' && link.peer)
    return {
      kind: 'veth',
      name: link.name,
      owner,
      mtu: link.mtu,
      peer: link.peer,
      createsPair: link.name < link.peer,
      ...(link.master ? { master: link.master } : {}),
      addresses: (link.addresses ?? []).filter((a) => !a.startsWith('fe80:')),
    };
  return undefined;
}

// Every device of ours, every other interface enslaved to one of them
// (access ports and uplinks we attached, and VM taps someone else attached),
// and the loopback with the addresses we put there.
export function planFromObserved(
  links: ObservedLink[],
  previousPorts: PlannedPort[],
  bridge: BridgeVlans = emptyBridgeVlans(),
): DevicePlan {
  const owned = new Map(links.filter(isOwned).map((l) => [l.name, l]));
  const devices = [...owned.values()].map(deviceOf).filter((d): d is PlannedDevice => d !== undefined);
  devices.sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || (a.name < b.name ? -1 : 1));
  const ours = new Map(previousPorts.map((p) => [p.name, p]));
  const ports: PlannedPort[] = links.flatMap((l) => {
    const master = l.master === undefined ? undefined : owned.get(l.master);
    if (owned.has(l.name) || !master?.alias) return [];
    const addresses = ours.get(l.name)?.addresses;
    const pvid = master.vlanFiltering ? bridge.vlans[l.name]?.find((v) => v.pvid)?.vid : undefined;
    return [
      {
        name: l.name,
        master: master.name,
        owner: master.alias,
        ...(addresses ? { addresses } : {}),
        ...(pvid !== undefined ? { vlan: pvid } : {}),
      },
    ];
  });
  const vlans = vlansOf(devices, bridge);
  return { devices, ports: [...ports, ...addressOnlyPorts(links, previousPorts)], ...(vlans ? { vlans } : {}) };
}

// Ports we only put addresses on (the routed underlay's loopback), with those
// of our addresses they still carry: a restore must keep them, not take them off.
function addressOnlyPorts(links: ObservedLink[], previousPorts: PlannedPort[]): PlannedPort[] {
  return previousPorts.flatMap((p) => {
    const link = p.master === undefined ? links.find((l) => l.name === p.name) : undefined;
    if (!link) return [];
    const present = new Set((link.addresses ?? []).map(canonicalCidr));
    return [{ ...p, addresses: (p.addresses ?? []).filter((a) => present.has(canonicalCidr(a))) }];
  });
}

// The VLAN views matter only with a single VXLAN device, planned or present.
export function needsBridgeVlans(plan: DevicePlan, links: ObservedLink[]): boolean {
  return plan.vlans !== undefined || links.some((l) => isOwned(l) && l.vxlan?.vnifilter === true);
}

// Puts `before` back: removes what the failed run created, recreates what it
// removed, re-enslaves released ports and resets changed attributes. `-force`
// goes on past a failing line. Returns the problems, empty when all went back.
export async function restoreKernel(
  kernel: Kernel,
  before: DevicePlan,
  attemptedPorts: PlannedPort[],
): Promise<string[]> {
  const links = await kernel.readLinks();
  const bridge = needsBridgeVlans(before, links) ? await kernel.readBridgeVlans() : emptyBridgeVlans();
  const back = diffKernel(before, links, attemptedPorts, bridge);
  const problems: string[] = [];
  const ip = await kernel.ipBatch(back.ipBatch, true);
  if (ip && ip.exitCode !== 0) problems.push(ip.stderr.trim().split('\n')[0] ?? `ip exited with ${ip.exitCode}`);
  const br = await kernel.bridgeBatch(back.bridgeBatch);
  if (br && br.exitCode !== 0) problems.push(br.stderr.trim().split('\n')[0] ?? `bridge exited with ${br.exitCode}`);
  return problems;
}
