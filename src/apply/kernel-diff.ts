// Pure: compares the device plan with the links the kernel has and returns
// only the commands needed (one ip batch, one bridge batch). Devices are ours
// only when their ifalias carries our owner tag; anything else is never touched.
import type { DevicePlan, PlannedDevice, PlannedPort, VxlanDevice } from '../render/devices.ts';
import { type BridgeVlans, emptyBridgeVlans } from '../system/parse-bridge-vlan.ts';
import type { ObservedLink } from '../system/parse-ip-link.ts';
import { emptyChanges, isOwned, type KernelChanges, note } from './kernel-changes.ts';
import { addressesAfterEnslave, diffAddresses, diffPorts } from './kernel-diff-ports.ts';
import { diffVlans } from './kernel-diff-vlans.ts';

function createLines(d: PlannedDevice): string[] {
  if (d.kind === 'vrf')
    return [`link add name ${d.name} type vrf table ${d.table}`, `link set dev ${d.name} alias ${d.owner}`];
  if (d.kind === 'veth') {
    // one `link add` makes both ends; the other end is only set up
    const master = d.master ? ` master ${d.master}` : '';
    return [
      ...(d.createsPair ? [`link add name ${d.name} mtu ${d.mtu} type veth peer name ${d.peer} mtu ${d.mtu}`] : []),
      `link set dev ${d.name} alias ${d.owner} addrgenmode none${master}`,
    ];
  }
  // addrgenmode none: no IPv6 link-local address, so the host itself never
  // speaks inside a tenant network (gateways carry only their anycast IPs).
  const extra = d.kind === 'vxlan' ? '' : `${d.mac ? ` address ${d.mac}` : ''}${d.master ? ` master ${d.master}` : ''}`;
  if (d.kind === 'bridge') {
    // VLAN-aware without a default VLAN: a port is in no VLAN until we say.
    const type = d.vlanFiltering ? 'bridge vlan_filtering 1 vlan_default_pvid 0' : 'bridge';
    return [
      `link add name ${d.name} mtu ${d.mtu} type ${type}`,
      `link set dev ${d.name} alias ${d.owner} addrgenmode none${extra}`,
    ];
  }
  if (d.kind === 'vlan')
    return [
      `link add link ${d.link} name ${d.name} mtu ${d.mtu} type vlan id ${d.vid}`,
      `link set dev ${d.name} alias ${d.owner} addrgenmode none${extra}`,
    ];
  const vxlan = d.vnifilter
    ? `local ${d.local} dstport ${d.dstport} external vnifilter`
    : `id ${d.vni} local ${d.local} dstport ${d.dstport}`;
  return [
    `link add name ${d.name} mtu ${d.mtu} type vxlan ${vxlan} nolearning`,
    `link set dev ${d.name} alias ${d.owner} addrgenmode none master ${d.master}`,
  ];
}

function createNote(d: PlannedDevice): string {
  if (d.kind === 'vrf') return `+ vrf ${d.name} table ${d.table}`;
  if (d.kind === 'veth') return `+ veth ${d.name} peer ${d.peer} mtu ${d.mtu}${d.master ? ` vrf ${d.master}` : ''}`;
  const place = `${d.kind !== 'vxlan' && d.mac ? ` mac ${d.mac}` : ''}${d.kind !== 'vxlan' && d.master ? ` vrf ${d.master}` : ''}`;
  if (d.kind === 'bridge') return `+ bridge ${d.name} mtu ${d.mtu}${d.vlanFiltering ? ' vlan_filtering' : ''}${place}`;
  if (d.kind === 'vlan') return `+ vlan ${d.name} id ${d.vid} on ${d.link} mtu ${d.mtu}${place}`;
  const id = d.vnifilter ? 'external vnifilter' : `vni ${d.vni}`;
  return `+ vxlan ${d.name} ${id} local ${d.local} dstport ${d.dstport} mtu ${d.mtu} master ${d.master} learning ${d.learning ? 'on' : 'off'} neigh_suppress ${d.neighSuppress ? 'on' : 'off'}`;
}

const onOff = (b: boolean | undefined) => (b ? 'on' : 'off');

// The VXLAN port's flags. vlan_tunnel and neigh_vlan_suppress only for the
// single VXLAN device, and neigh_vlan_suppress off only where it is on
// (iproute2 before 6.6 does not know the word).
function portFlags(d: VxlanDevice, link?: ObservedLink): string {
  const tunnel = d.vlanTunnel || link?.bridgePort?.vlanTunnel ? ` vlan_tunnel ${onOff(d.vlanTunnel)}` : '';
  const perVlan =
    d.neighVlanSuppress || link?.bridgePort?.neighVlanSuppress
      ? ` neigh_vlan_suppress ${onOff(d.neighVlanSuppress)}`
      : '';
  return `link set dev ${d.name} learning ${onOff(d.learning)} neigh_suppress ${onOff(d.neighSuppress)}${tunnel}${perVlan}`;
}

// Attributes that need the device recreated rather than changed in place.
function needsRecreate(d: PlannedDevice, link: ObservedLink): string | undefined {
  if (link.kind !== d.kind) return `kind ${link.kind || 'none'} -> ${d.kind}`;
  if (d.kind === 'vrf' && link.vrfTable !== d.table) return `table ${link.vrfTable ?? 'none'} -> ${d.table}`;
  if (d.kind === 'bridge' && (d.vlanFiltering ?? false) !== (link.vlanFiltering ?? false))
    return `vlan_filtering ${onOff(link.vlanFiltering)} -> ${onOff(d.vlanFiltering)}`;
  if (d.kind === 'vlan') {
    if (link.vlan?.id !== d.vid) return `vlan id ${link.vlan?.id ?? 'none'} -> ${d.vid}`;
    if (link.vlan.link !== undefined && link.vlan.link !== d.link) return `link ${link.vlan.link} -> ${d.link}`;
  }
  if (d.kind === 'vxlan') {
    const v = link.vxlan;
    if (!v) return 'no VXLAN data';
    if ((d.vnifilter ?? false) !== (v.vnifilter ?? false))
      return `vnifilter ${onOff(v.vnifilter)} -> ${onOff(d.vnifilter)}`;
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
  if ((d.kind === 'bridge' || d.kind === 'vlan') && d.mac && link.address?.toLowerCase() !== d.mac) {
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

// VLAN devices go first: deleting their bridge takes them along, and a later
// `link del` of one would then fail the batch. Likewise a veth pair goes
// with one `link del`: the end whose peer is deleted too is left out.
function deleteUnplanned(plan: DevicePlan, observed: ObservedLink[], b: Batch, c: KernelChanges): void {
  const planned = new Set(plan.devices.map((d) => d.name));
  const vlansFirst = [...observed.filter((l) => l.kind === 'vlan'), ...observed.filter((l) => l.kind !== 'vlan')];
  const gone = new Set<string>();
  for (const link of vlansFirst) {
    const owner = link.alias;
    if (!owner || !isOwned(link) || planned.has(link.name)) continue;
    note(c, owner, `- ${link.kind} ${link.name} (${owner})`);
    if (link.kind === 'veth' && link.peer !== undefined && gone.has(link.peer)) continue;
    gone.add(link.name);
    b.deletes.push(`link del dev ${link.name}`);
  }
}

function createDevice(d: PlannedDevice, b: Batch, c: KernelChanges): void {
  b.creates.push(...createLines(d));
  c.created.push(d.name);
  b.fresh.add(d.name);
  b.ups.push(`link set dev ${d.name} up`);
  if (d.kind === 'vxlan') c.bridgeBatch.push(portFlags(d));
  if ((d.kind === 'bridge' || d.kind === 'vlan' || d.kind === 'veth') && d.addresses)
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
  const svi = d.kind === 'bridge' || d.kind === 'vlan' || d.kind === 'veth';
  const remastered = svi && (masterFresh || link.master !== d.master);
  if (svi && d.addresses) {
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
    (bp.vlanTunnel ?? false) !== (d.vlanTunnel ?? false) ||
    (bp.neighVlanSuppress ?? false) !== (d.neighVlanSuppress ?? false) ||
    link.master !== d.master
  ) {
    const line = portFlags(d, masterFresh ? undefined : link);
    c.bridgeBatch.push(line);
    say(`~ ${d.name}: ${line.slice(`link set dev ${d.name} `.length)}`);
  }
}

// `bridge`: the VLAN views, read when a single VXLAN device is planned or present.
export function diffKernel(
  plan: DevicePlan,
  observed: ObservedLink[],
  previousPorts: PlannedPort[],
  bridge: BridgeVlans = emptyBridgeVlans(),
): KernelChanges {
  const links = new Map(observed.map((l) => [l.name, l]));
  const c = emptyChanges();
  const blocked = findConflicts(plan, links, c);
  const devices = plan.devices.filter((d) => !blocked.has(d.owner));
  const b: Batch = { deletes: [], creates: [], updates: [], addresses: [], ups: [], fresh: new Set() };
  deleteUnplanned(plan, observed, b, c);
  for (const d of devices) {
    // A VLAN device whose bridge is (re)created went away with it, and so
    // did the other end of a veth pair (re)created.
    const gone = (d.kind === 'vlan' && b.fresh.has(d.link)) || (d.kind === 'veth' && b.fresh.has(d.peer));
    const link = gone ? undefined : links.get(d.name);
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
  c.bridgeBatch.push(...diffVlans({ plan, devices, links, bridge, fresh: b.fresh, blocked, c }));
  // Addresses go on after the bridges joined their VRF: enslaving flushes them.
  c.ipBatch = [...b.deletes, ...b.creates, ...b.updates, ...portLines, ...b.addresses, ...b.ups];
  return c;
}
