// What the kernel had of ours before a change, as a device plan, and putting
// it back after a failed batch: a refused change must leave the kernel as it
// found it (devices, flags, addresses, ports), never with less.

import type { DevicePlan, PlannedDevice, PlannedPort } from '../render/devices.ts';
import type { Kernel } from '../system/kernel.ts';
import type { ObservedLink } from '../system/parse-ip-link.ts';
import { isOwned } from './kernel-changes.ts';
import { diffKernel } from './kernel-diff.ts';

const KIND_RANK = { vrf: 0, bridge: 1, vxlan: 2 } as const;

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
    };
  }
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
  return undefined;
}

// Every device of ours, and every other interface enslaved to one of them
// (access ports and uplinks we attached, and VM taps someone else attached).
export function planFromObserved(links: ObservedLink[], previousPorts: PlannedPort[]): DevicePlan {
  const owned = new Map(links.filter(isOwned).map((l) => [l.name, l]));
  const devices = [...owned.values()].map(deviceOf).filter((d): d is PlannedDevice => d !== undefined);
  devices.sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || (a.name < b.name ? -1 : 1));
  const ours = new Map(previousPorts.map((p) => [p.name, p]));
  const ports: PlannedPort[] = links.flatMap((l) => {
    const master = l.master === undefined ? undefined : owned.get(l.master);
    if (owned.has(l.name) || !master?.alias) return [];
    const addresses = ours.get(l.name)?.addresses;
    return [{ name: l.name, master: master.name, owner: master.alias, ...(addresses ? { addresses } : {}) }];
  });
  return { devices, ports };
}

// Puts `before` back: removes what the failed run created, recreates what it
// removed, re-enslaves released ports and resets changed attributes. `-force`
// goes on past a failing line. Returns the problems, empty when all went back.
export async function restoreKernel(
  kernel: Kernel,
  before: DevicePlan,
  attemptedPorts: PlannedPort[],
): Promise<string[]> {
  const back = diffKernel(before, await kernel.readLinks(), attemptedPorts);
  const problems: string[] = [];
  const ip = await kernel.ipBatch(back.ipBatch, true);
  if (ip && ip.exitCode !== 0) problems.push(ip.stderr.trim().split('\n')[0] ?? `ip exited with ${ip.exitCode}`);
  const br = await kernel.bridgeBatch(back.bridgeBatch);
  if (br && br.exitCode !== 0) problems.push(br.stderr.trim().split('\n')[0] ?? `bridge exited with ${br.exitCode}`);
  return problems;
}
