// Pure: compares the device plan with the links the kernel has and returns
// only the commands needed (one ip batch, one bridge batch). Devices are ours
// only when their ifalias carries our owner tag; anything else is never touched.
import type { ObservedLink } from '../observe/parse-kernel.ts';
import type { BridgeDevice, DevicePlan, PlannedDevice, PlannedPort, VxlanDevice } from '../render/devices.ts';

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
}

function note(c: KernelChanges, owner: string, line: string): void {
  c.summary.push(line);
  (c.byOwner[owner] ??= []).push(line);
}

export function isOwned(link: ObservedLink | undefined): boolean {
  return link?.alias?.startsWith(OWNER_PREFIX) ?? false;
}

function createLines(d: PlannedDevice): string[] {
  // addrgenmode none: an L2 bridge or VXLAN port gets no IPv6 link-local
  // address, so the host itself never speaks inside a tenant network.
  if (d.kind === 'bridge') return [`link add name ${d.name} mtu ${d.mtu} type bridge`, `link set dev ${d.name} alias ${d.owner} addrgenmode none`];
  return [
    `link add name ${d.name} mtu ${d.mtu} type vxlan id ${d.vni} local ${d.local} dstport ${d.dstport} nolearning`,
    `link set dev ${d.name} alias ${d.owner} addrgenmode none master ${d.master}`,
  ];
}

function portFlags(d: VxlanDevice): string {
  return `link set dev ${d.name} learning ${d.learning ? 'on' : 'off'} neigh_suppress ${d.neighSuppress ? 'on' : 'off'}`;
}

// Attributes that need the device recreated rather than changed in place.
function needsRecreate(d: PlannedDevice, link: ObservedLink): string | undefined {
  if (link.kind !== d.kind) return `kind ${link.kind || 'none'} -> ${d.kind}`;
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
  if (link.mtu !== d.mtu) sets.push(`mtu ${d.mtu}`), say(`~ ${d.name}: mtu ${link.mtu} -> ${d.mtu}`);
  if (link.alias !== d.owner) sets.push(`alias ${d.owner}`), say(`~ ${d.name}: owner ${link.alias} -> ${d.owner}`);
  if (link.addrGenMode !== undefined && link.addrGenMode !== 'none') sets.push('addrgenmode none'), say(`~ ${d.name}: addrgenmode ${link.addrGenMode} -> none`);
  if (d.kind === 'vxlan' && link.master !== d.master) sets.push(`master ${d.master}`), say(`~ ${d.name}: master ${link.master ?? 'none'} -> ${d.master}`);
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
  const ups: string[] = [];
  const fresh = new Set<string>(); // created or recreated: ports must be re-attached
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
      note(c, d.owner, d.kind === 'bridge' ? `+ bridge ${d.name} mtu ${d.mtu}` : `+ vxlan ${d.name} vni ${d.vni} local ${d.local} dstport ${d.dstport} mtu ${d.mtu} master ${d.master} learning ${d.learning ? 'on' : 'off'} neigh_suppress ${d.neighSuppress ? 'on' : 'off'}`);
      continue;
    }
    // A recreated bridge released its VXLAN port: enslave it again, flags included.
    const masterFresh = d.kind === 'vxlan' && fresh.has(d.master);
    updates.push(...updateLines(d, masterFresh ? { ...link, master: undefined } : link, (line) => note(c, d.owner, line)));
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
  c.ipBatch = [...deletes, ...creates, ...updates, ...portLines, ...ups];
  return c;
}

function diffPorts(plan: DevicePlan, devices: PlannedDevice[], links: Map<string, ObservedLink>, previous: PlannedPort[], fresh: Set<string>, blocked: Set<string>, c: KernelChanges): string[] {
  const lines: string[] = [];
  const bridges = new Set(devices.filter((d): d is BridgeDevice => d.kind === 'bridge').map((d) => d.name));
  const wanted = new Set(plan.ports.map((p) => p.name));
  // Detach only ports we attached ourselves and that still hang on our bridge.
  for (const old of previous) {
    const link = links.get(old.name);
    if (wanted.has(old.name) || !link || link.master !== old.master || !isOwned(links.get(old.master))) continue;
    if (!plan.devices.some((d) => d.name === old.master)) continue; // the bridge goes away with its ports
    lines.push(`link set dev ${old.name} nomaster`);
    note(c, old.owner, `- port ${old.name} from ${old.master}`);
  }
  for (const p of plan.ports) {
    if (blocked.has(p.owner) || !bridges.has(p.master)) continue;
    const link = links.get(p.name);
    if (!link) {
      c.missingPorts.push(p);
      continue;
    }
    c.attachedPorts.push(p);
    if (link.master !== p.master || fresh.has(p.master)) lines.push(`link set dev ${p.name} master ${p.master}`), note(c, p.owner, `+ port ${p.name} to ${p.master}`);
    if (!link.up) lines.push(`link set dev ${p.name} up`), note(c, p.owner, `~ port ${p.name}: up`);
  }
  return lines;
}

export function hasKernelWrites(c: KernelChanges): boolean {
  return c.ipBatch.length > 0 || c.bridgeBatch.length > 0;
}
