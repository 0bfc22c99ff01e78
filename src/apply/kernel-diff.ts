// Pure: compares the device plan with the links the kernel has and returns
// only the commands needed (one ip batch, one bridge batch). Devices are ours
// only when their ifalias carries our owner tag; anything else is never touched.
import type { ObservedLink } from '../observe/parse-kernel.ts';
import type { DevicePlan, PlannedDevice, VxlanDevice } from '../render/devices.ts';
import type { PlannedPort } from '../render/devices.ts';
import { addressesAfterEnslave, diffAddresses, diffPorts } from './kernel-diff-ports.ts';

export const OWNER_PREFIX = 'routerd-evpn:';

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
}

export function note(c: KernelChanges, owner: string, line: string): void {
  c.summary.push(line);
  (c.byOwner[owner] ??= []).push(line);
}

export function isOwned(link: ObservedLink | undefined): boolean {
  return link?.alias?.startsWith(OWNER_PREFIX) ?? false;
}

function createLines(d: PlannedDevice): string[] {
  if (d.kind === 'vrf') return [`link add name ${d.name} type vrf table ${d.table}`, `link set dev ${d.name} alias ${d.owner}`];
  // addrgenmode none: no IPv6 link-local address, so the host itself never
  // speaks inside a tenant network (gateways carry only their anycast IPs).
  if (d.kind === 'bridge') {
    const extra = `${d.mac ? ` address ${d.mac}` : ''}${d.master ? ` master ${d.master}` : ''}`;
    return [`link add name ${d.name} mtu ${d.mtu} type bridge`, `link set dev ${d.name} alias ${d.owner} addrgenmode none${extra}`];
  }
  return [
    `link add name ${d.name} mtu ${d.mtu} type vxlan id ${d.vni} local ${d.local} dstport ${d.dstport} nolearning`,
    `link set dev ${d.name} alias ${d.owner} addrgenmode none master ${d.master}`,
  ];
}

function createNote(d: PlannedDevice): string {
  if (d.kind === 'vrf') return `+ vrf ${d.name} table ${d.table}`;
  if (d.kind === 'bridge') return `+ bridge ${d.name} mtu ${d.mtu}${d.mac ? ` mac ${d.mac}` : ''}${d.master ? ` vrf ${d.master}` : ''}`;
  return `+ vxlan ${d.name} vni ${d.vni} local ${d.local} dstport ${d.dstport} mtu ${d.mtu} master ${d.master} learning ${d.learning ? 'on' : 'off'} neigh_suppress ${d.neighSuppress ? 'on' : 'off'}`;
}

function portFlags(d: VxlanDevice): string {
  return `link set dev ${d.name} learning ${d.learning ? 'on' : 'off'} neigh_suppress ${d.neighSuppress ? 'on' : 'off'}`;
}

// Attributes that need the device recreated rather than changed in place.
function needsRecreate(d: PlannedDevice, link: ObservedLink): string | undefined {
  if (link.kind !== d.kind) return `kind ${link.kind || 'none'} -> ${d.kind}`;
  if (d.kind === 'vrf' && link.vrfTable !== d.table) return `table ${link.vrfTable ?? 'none'} -> ${d.table}`;
  if (d.kind === 'vxlan') {
    const v = link.vxlan;
    if (!v) return 'no VXLAN data';
    if (v.vni !== d.vni) return `vni ${v.vni} -> ${d.vni}`;
    if (v.local !== d.local) return `local ${v.local ?? 'none'} -> ${d.local}`;
    if (v.dstport !== d.dstport) return `dstport ${v.dstport} -> ${d.dstport}`;
    if (v.learning) return 'VXLAN learning on -> off';
  }
  return undefined;
}

function updateLines(d: PlannedDevice, link: ObservedLink, say: (line: string) => void): string[] {
  const sets: string[] = [];
  if (link.alias !== d.owner) sets.push(`alias ${d.owner}`), say(`~ ${d.name}: owner ${link.alias} -> ${d.owner}`);
  if (d.kind === 'vrf') return sets.length > 0 ? [`link set dev ${d.name} ${sets.join(' ')}`] : [];
  if (link.mtu !== d.mtu) sets.push(`mtu ${d.mtu}`), say(`~ ${d.name}: mtu ${link.mtu} -> ${d.mtu}`);
  if (link.addrGenMode !== undefined && link.addrGenMode !== 'none') sets.push('addrgenmode none'), say(`~ ${d.name}: addrgenmode ${link.addrGenMode} -> none`);
  if (d.kind === 'bridge' && d.mac && link.address?.toLowerCase() !== d.mac) sets.push(`address ${d.mac}`), say(`~ ${d.name}: mac ${link.address ?? 'none'} -> ${d.mac}`);
  if (link.master !== d.master) {
    sets.push(d.master ? `master ${d.master}` : 'nomaster');
    say(`~ ${d.name}: master ${link.master ?? 'none'} -> ${d.master ?? 'none'}`);
  }
  return sets.length > 0 ? [`link set dev ${d.name} ${sets.join(' ')}`] : [];
}

export function diffKernel(plan: DevicePlan, observed: ObservedLink[], previousPorts: PlannedPort[]): KernelChanges {
  const links = new Map(observed.map((l) => [l.name, l]));
  const c: KernelChanges = { ipBatch: [], bridgeBatch: [], created: [], conflicts: [], missingPorts: [], attachedPorts: [], summary: [], byOwner: {} };
  for (const d of plan.devices) {
    const link = links.get(d.name);
    if (link && !isOwned(link)) c.conflicts.push({ owner: d.owner, device: d.name, message: `device ${d.name} (${link.kind || 'plain'}) exists and was not created by routerd-evpn; it is left untouched` });
  }
  const blocked = new Set(c.conflicts.map((x) => x.owner));
  const devices = plan.devices.filter((d) => !blocked.has(d.owner));
  const planned = new Set(plan.devices.map((d) => d.name));
  const deletes: string[] = [];
  const creates: string[] = [];
  const updates: string[] = [];
  const addresses: string[] = [];
  const ups: string[] = [];
  const fresh = new Set<string>(); // created or recreated: slaves must be re-attached
  for (const link of observed) {
    if (isOwned(link) && !planned.has(link.name)) deletes.push(`link del dev ${link.name}`), note(c, link.alias!, `- ${link.kind} ${link.name} (${link.alias})`);
  }
  for (const d of devices) {
    const link = links.get(d.name);
    const reason = link ? needsRecreate(d, link) : undefined;
    if (link && reason) deletes.push(`link del dev ${d.name}`), note(c, d.owner, `- ${d.kind} ${d.name} (recreate: ${reason})`);
    if (!link || reason) {
      creates.push(...createLines(d));
      c.created.push(d.name);
      fresh.add(d.name);
      ups.push(`link set dev ${d.name} up`);
      if (d.kind === 'vxlan') c.bridgeBatch.push(portFlags(d));
      if (d.kind === 'bridge' && d.addresses) addresses.push(...diffAddresses(d.name, d.addresses, [], (line) => note(c, d.owner, line)));
      note(c, d.owner, createNote(d));
      continue;
    }
    // A recreated master released its slaves: enslave them again, flags included.
    const master = d.kind === 'vrf' ? undefined : d.master;
    const masterFresh = master !== undefined && fresh.has(master);
    updates.push(...updateLines(d, masterFresh ? { ...link, master: undefined } : link, (line) => note(c, d.owner, line)));
    const remastered = d.kind === 'bridge' && (masterFresh || link.master !== d.master);
    if (d.kind === 'bridge' && d.addresses) addresses.push(...diffAddresses(d.name, d.addresses, addressesAfterEnslave(link.addresses ?? [], remastered), (line) => note(c, d.owner, line)));
    if (!link.up) ups.push(`link set dev ${d.name} up`), note(c, d.owner, `~ ${d.name}: up`);
    if (d.kind === 'vxlan') {
      const bp = link.bridgePort;
      if (masterFresh || !bp || bp.learning !== d.learning || bp.neighSuppress !== d.neighSuppress || link.master !== d.master) {
        c.bridgeBatch.push(portFlags(d));
        note(c, d.owner, `~ ${d.name}: learning ${d.learning ? 'on' : 'off'} neigh_suppress ${d.neighSuppress ? 'on' : 'off'}`);
      }
    }
  }
  const portLines = diffPorts(plan, devices, links, previousPorts, fresh, blocked, c);
  // Addresses go on after the bridges joined their VRF: enslaving flushes them.
  c.ipBatch = [...deletes, ...creates, ...updates, ...portLines, ...addresses, ...ups];
  return c;
}

export function hasKernelWrites(c: KernelChanges): boolean {
  return c.ipBatch.length > 0 || c.bridgeBatch.length > 0;
}
