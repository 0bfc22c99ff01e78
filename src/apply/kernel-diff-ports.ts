// Pure helpers of the kernel diff: addresses on our devices and the ports we
// enslave (access ports to bridges, exit uplinks to VRFs) or only address
// (the loopback of a routed underlay). A port is never ours: we only attach
// and detach it, and only the addresses we put on it.

import type { DevicePlan, PlannedDevice, PlannedPort } from '../render/devices.ts';
import { canonicalCidr, isIpv6Cidr } from '../resources/cidr.ts';
import type { ObservedLink } from '../system/parse-ip-link.ts';
import { isOwned, type KernelChanges, note } from './kernel-changes.ts';

// IPv6 anycast gateways use nodad: every node holds the same address. `replace`
// is idempotent, so an address the kernel kept is no error.
function addLine(dev: string, cidr: string): string {
  return `address replace ${cidr} dev ${dev}${isIpv6Cidr(cidr) ? ' nodad' : ''}`;
}

// Enslaving a device to a VRF cycles it, and the kernel drops IPv6 addresses
// on the way down (keep_addr_on_down is off by default): count them as gone.
export function addressesAfterEnslave(have: string[], remastered: boolean): string[] {
  return remastered ? have.filter((a) => !isIpv6Cidr(a)) : have;
}

// Our own device: exactly the wanted addresses (our devices generate no
// link-local address themselves: addrgenmode none).
export function diffAddresses(dev: string, wanted: string[], have: string[], say: (line: string) => void): string[] {
  const haveSet = new Set(have.map(canonicalCidr));
  const wantSet = new Set(wanted.map(canonicalCidr));
  const lines: string[] = [];
  for (const a of have.filter((x) => !wantSet.has(canonicalCidr(x)))) {
    lines.push(`address del ${a} dev ${dev}`);
    say(`- address ${a} on ${dev}`);
  }
  for (const a of wanted.filter((x) => !haveSet.has(canonicalCidr(x)))) {
    lines.push(addLine(dev, a));
    say(`+ address ${a} on ${dev}`);
  }
  return lines;
}

interface PortContext {
  plan: DevicePlan;
  links: Map<string, ObservedLink>;
  fresh: Set<string>; // masters created or recreated by this change
  c: KernelChanges;
  lines: string[];
}

function emit(x: PortContext, owner: string, line: string, summary: string): void {
  x.lines.push(line);
  note(x.c, owner, summary);
}

// Detach only ports we attached ourselves and that still hang on our master;
// remove only the addresses we put on them and no longer want.
function releasePort(x: PortContext, old: PlannedPort, now: PlannedPort | undefined): void {
  const link = x.links.get(old.name);
  if (!link) return;
  const wanted = new Set((now?.addresses ?? []).map(canonicalCidr));
  const present = new Set((link.addresses ?? []).map(canonicalCidr));
  const stale = (old.addresses ?? []).filter((a) => !wanted.has(canonicalCidr(a)) && present.has(canonicalCidr(a)));
  for (const a of stale) emit(x, old.owner, `address del ${a} dev ${old.name}`, `- address ${a} on port ${old.name}`);
  if (now || old.master === undefined || link.master !== old.master || !isOwned(x.links.get(old.master))) return;
  if (!x.plan.devices.some((d) => d.name === old.master)) return; // the master goes away with its ports
  emit(x, old.owner, `link set dev ${old.name} nomaster`, `- port ${old.name} from ${old.master}`);
}

// Enslave a wanted port and add only what is missing, remove nothing else
// (the port is not ours).
function attachPort(x: PortContext, p: PlannedPort, link: ObservedLink): void {
  const remastered = p.master !== undefined && (link.master !== p.master || x.fresh.has(p.master));
  if (remastered && p.master)
    emit(x, p.owner, `link set dev ${p.name} master ${p.master}`, `+ port ${p.name} to ${p.master}`);
  const have = new Set(addressesAfterEnslave(link.addresses ?? [], remastered).map(canonicalCidr));
  for (const a of (p.addresses ?? []).filter((y) => !have.has(canonicalCidr(y)))) {
    emit(x, p.owner, addLine(p.name, a), `+ address ${a} on port ${p.name}`);
  }
  if (!link.up) emit(x, p.owner, `link set dev ${p.name} up`, `~ port ${p.name}: up`);
}

export function diffPorts(
  plan: DevicePlan,
  devices: PlannedDevice[],
  links: Map<string, ObservedLink>,
  previous: PlannedPort[],
  fresh: Set<string>,
  blocked: Set<string>,
  c: KernelChanges,
): string[] {
  const x: PortContext = { plan, links, fresh, c, lines: [] };
  const masters = new Set(devices.filter((d) => d.kind === 'bridge' || d.kind === 'vrf').map((d) => d.name));
  const wanted = new Map(plan.ports.map((p) => [p.name, p]));
  for (const old of previous) releasePort(x, old, wanted.get(old.name));
  for (const p of plan.ports) {
    if (blocked.has(p.owner) || (p.master !== undefined && !masters.has(p.master))) continue;
    const link = links.get(p.name);
    if (!link) c.missingPorts.push(p);
    else {
      c.attachedPorts.push(p);
      attachPort(x, p, link);
    }
  }
  return x.lines;
}
