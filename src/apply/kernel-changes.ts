// What a kernel diff returns, and the helpers every diff step shares. A device
// is ours only when its ifalias carries our owner tag.
import type { PlannedPort } from '../render/devices.ts';
import { isOwnerTag } from '../resources/names.ts';
import type { ObservedLink } from '../system/parse-ip-link.ts';

export interface DeviceConflict {
  owner: string;
  device: string;
  message: string;
}

export interface KernelChanges {
  ipBatch: string[];
  bridgeBatch: string[];
  created: string[]; // devices this change creates, removed again if the batch fails
  conflicts: DeviceConflict[];
  missingPorts: PlannedPort[];
  attachedPorts: PlannedPort[]; // ports that are ours after the change
  summary: string[]; // one human-readable line per change
  byOwner: Record<string, string[]>; // the same lines, per owner tag (routerd-evpn:Kind/name)
  heldBack?: string[]; // new L3VNI VXLAN devices left for after the FRR reload
  keptForNow?: string[]; // devices of removed VRFs and L3VNIs, deleted after the FRR reload
}

export function emptyChanges(): KernelChanges {
  return {
    ipBatch: [],
    bridgeBatch: [],
    created: [],
    conflicts: [],
    missingPorts: [],
    attachedPorts: [],
    summary: [],
    byOwner: {},
  };
}

export function note(c: KernelChanges, owner: string, line: string): void {
  c.summary.push(line);
  const lines = c.byOwner[owner] ?? [];
  lines.push(line);
  c.byOwner[owner] = lines;
}

export function isOwned(link: ObservedLink | undefined): boolean {
  return isOwnerTag(link?.alias);
}

export function hasKernelWrites(c: KernelChanges): boolean {
  return c.ipBatch.length > 0 || c.bridgeBatch.length > 0;
}
