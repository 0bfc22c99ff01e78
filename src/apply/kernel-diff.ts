// Pure: compares the device plan with the links the kernel has and returns
// only the commands needed (one ip batch, one bridge batch). Devices are ours
// only when their ifalias carries our owner tag; anything else is never touched.
import type { DevicePlan, PlannedDevice, PlannedPort, VxlanDevice } from '../render/devices.ts';
import type { ObservedLink } from '../system/parse-ip-link.ts';
import { emptyChanges, isOwned, type KernelChanges, note } from './kernel-changes.ts';
import { addressesAfterEnslave, diffAddresses, diffPorts } from './kernel-diff-ports.ts';

function createLines(d: PlannedDevice): string[] {
  if (d.kind === 'vrf')
    return [`link add name ${d.name} type vrf table ${d.table}`, `link set dev ${d.name} alias ${d.owner}`];
  // addrgenmode none: no IPv6 link-local address, so the host itself never
  // speaks inside a tenant network (gateways carry only their anycast IPs).
  if (d.kind === 'bridge') {
    const extra = `${d.mac ? ` address ${d.mac}` : ''}${d.master ? ` master ${d.master}` : ''}`;
    return [
      `link add name ${d.name} mtu ${d.mtu} type bridge`,
      `link set dev ${d.name} alias ${d.owner} addrgenmode none${extra}`,
    ];
  }
  return [
    `link add name ${d.name} mtu ${d.mtu} type vxlan id ${d.vni} local ${d.local} dstport ${d.dstport} nolearning`,
    `link set dev ${d.name} alias ${d.owner} addrgenmode none master ${d.master}`,
  ];
}

function createNote(d: PlannedDevice): string {
  if (d.kind === 'vrf') return `+ vrf ${d.name} table ${d.table}`;
  if (d.kind === 'bridge')
    return `+ bridge ${d.name} mtu ${d.mtu}${d.mac ? ` mac ${d.mac}` : ''}${d.master ? ` vrf ${d.master}` : ''}`;
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
  const set = (attribute: string, line: string) => {
    sets.push(attribute);
    say(line);
  };
  if (link.alias !== d.owner) set(`alias ${d.owner}`, `~ ${d.name}: owner ${link.alias} -> ${d.owner}`);
  if (d.kind === 'vrf') return sets.length > 0 ? [`link set dev ${d.name} ${sets.join(' ')}`] : [];
  if (link.mtu !== d.mtu) set(`mtu ${d.mtu}`, `~ ${d.name}: mtu ${link.mtu} -> ${d.mtu}`);
  if (link.addrGenMode !== undefined && link.addrGenMode !== 'none') {
    set('addrgenmode none', `~ ${d.name}: addrgenmode ${link.addrGenMode} -> none`);
  }
  if (d.kind === 'bridge' && d.mac && link.address?.toLowerCase() !== d.mac) {
    set(`address ${d.mac}`, `~ ${d.name}: mac ${link.address ?? 'none'} -> ${d.mac}`);
  }
  if (link.master !== d.master) {
    set(
      d.master ? `master ${d.master}` : 'nomaster',
      `~ ${d.name}: master ${link.master ?? 'none'} -> ${d.master ?? 'none'}`,
    );
  }
  return sets.length > 0 ? [`link set dev ${d.name} ${sets.join(' ')}`] : [];
}

// The ip batch in the order the kernel needs it, gathered step by step.
interface Batch {
  deletes: string[];
  creates: string[];
  updates: string[];
  addresses: string[];
  ups: string[];
  fresh: Set<string>; // created or recreated: slaves must be re-attached
}

// A planned device whose name a foreign device holds blocks its whole owner.
function findConflicts(plan: DevicePlan, links: Map<string, ObservedLink>, c: KernelChanges): Set<string> {
  for (const d of plan.devices) {
    const link = links.get(d.name);
    if (link && !isOwned(link)) {
      const message = `device ${d.name} (${link.kind || 'plain'}) exists and was not created by routerd-evpn; it is left untouched`;
      c.conflicts.push({ owner: d.owner, device: d.name, message });
    }
  }
  return new Set(c.conflicts.map((x) => x.owner));
}

function deleteUnplanned(plan: DevicePlan, observed: ObservedLink[], b: Batch, c: KernelChanges): void {
  const planned = new Set(plan.devices.map((d) => d.name));
  for (const link of observed) {
    const owner = link.alias;
    if (!owner || !isOwned(link) || planned.has(link.name)) continue;
    b.deletes.push(`link del dev ${link.name}`);
    note(c, owner, `- ${link.kind} ${link.name} (${owner})`);
  }
}

function createDevice(d: PlannedDevice, b: Batch, c: KernelChanges): void {
  b.creates.push(...createLines(d));
  c.created.push(d.name);
  b.fresh.add(d.name);
  b.ups.push(`link set dev ${d.name} up`);
  if (d.kind === 'vxlan') c.bridgeBatch.push(portFlags(d));
  if (d.kind === 'bridge' && d.addresses)
    b.addresses.push(...diffAddresses(d.name, d.addresses, [], (line) => note(c, d.owner, line)));
  note(c, d.owner, createNote(d));
}

// An existing device: only the attributes that differ are sent.
function updateDevice(d: PlannedDevice, link: ObservedLink, b: Batch, c: KernelChanges): void {
  const say = (line: string) => note(c, d.owner, line);
  // A recreated master released its slaves: enslave them again, flags included.
  const master = d.kind === 'vrf' ? undefined : d.master;
  const masterFresh = master !== undefined && b.fresh.has(master);
  b.updates.push(...updateLines(d, masterFresh ? { ...link, master: undefined } : link, say));
  const remastered = d.kind === 'bridge' && (masterFresh || link.master !== d.master);
  if (d.kind === 'bridge' && d.addresses) {
    b.addresses.push(
      ...diffAddresses(d.name, d.addresses, addressesAfterEnslave(link.addresses ?? [], remastered), say),
    );
  }
  if (!link.up) {
    b.ups.push(`link set dev ${d.name} up`);
    say(`~ ${d.name}: up`);
  }
  if (d.kind !== 'vxlan') return;
  const bp = link.bridgePort;
  if (
    masterFresh ||
    !bp ||
    bp.learning !== d.learning ||
    bp.neighSuppress !== d.neighSuppress ||
    link.master !== d.master
  ) {
    c.bridgeBatch.push(portFlags(d));
    say(`~ ${d.name}: learning ${d.learning ? 'on' : 'off'} neigh_suppress ${d.neighSuppress ? 'on' : 'off'}`);
  }
}

export function diffKernel(plan: DevicePlan, observed: ObservedLink[], previousPorts: PlannedPort[]): KernelChanges {
  const links = new Map(observed.map((l) => [l.name, l]));
  const c = emptyChanges();
  const blocked = findConflicts(plan, links, c);
  const devices = plan.devices.filter((d) => !blocked.has(d.owner));
  const b: Batch = { deletes: [], creates: [], updates: [], addresses: [], ups: [], fresh: new Set() };
  deleteUnplanned(plan, observed, b, c);
  for (const d of devices) {
    const link = links.get(d.name);
    const reason = link ? needsRecreate(d, link) : undefined;
    if (link && !reason) {
      updateDevice(d, link, b, c);
      continue;
    }
    if (link) {
      b.deletes.push(`link del dev ${d.name}`);
      note(c, d.owner, `- ${d.kind} ${d.name} (recreate: ${reason})`);
    }
    createDevice(d, b, c);
  }
  const portLines = diffPorts(plan, devices, links, previousPorts, b.fresh, blocked, c);
  // Addresses go on after the bridges joined their VRF: enslaving flushes them.
  c.ipBatch = [...b.deletes, ...b.creates, ...b.updates, ...portLines, ...b.addresses, ...b.ups];
  return c;
}
