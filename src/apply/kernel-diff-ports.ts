// Pure helpers of the kernel diff: addresses on our devices and the ports we
// enslave (access ports to bridges, exit uplinks to VRFs). A port is never
// ours: we only attach and detach it, and only the addresses we put on it.
import type { ObservedLink } from '../observe/parse-kernel.ts';
import { canonicalCidr, isIpv6Cidr } from '../render/address.ts';
import type { DevicePlan, PlannedDevice, PlannedPort } from '../render/devices.ts';
import { isOwned, note, type KernelChanges } from './kernel-diff.ts';

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
  for (const a of have) if (!wantSet.has(canonicalCidr(a))) lines.push(`address del ${a} dev ${dev}`), say(`- address ${a} on ${dev}`);
  for (const a of wanted) if (!haveSet.has(canonicalCidr(a))) lines.push(addLine(dev, a)), say(`+ address ${a} on ${dev}`);
  return lines;
}

export function diffPorts(plan: DevicePlan, devices: PlannedDevice[], links: Map<string, ObservedLink>, previous: PlannedPort[], fresh: Set<string>, blocked: Set<string>, c: KernelChanges): string[] {
  const lines: string[] = [];
  const masters = new Set(devices.filter((d) => d.kind === 'bridge' || d.kind === 'vrf').map((d) => d.name));
  const wanted = new Map(plan.ports.map((p) => [p.name, p]));
  // Detach only ports we attached ourselves and that still hang on our master.
  for (const old of previous) {
    const link = links.get(old.name);
    const now = wanted.get(old.name);
    if (!link) continue;
    const stale = (old.addresses ?? []).filter((a) => !(now?.addresses ?? []).map(canonicalCidr).includes(canonicalCidr(a)) && (link.addresses ?? []).map(canonicalCidr).includes(canonicalCidr(a)));
    for (const a of stale) lines.push(`address del ${a} dev ${old.name}`), note(c, old.owner, `- address ${a} on port ${old.name}`);
    if (now || link.master !== old.master || !isOwned(links.get(old.master))) continue;
    if (!plan.devices.some((d) => d.name === old.master)) continue; // the master goes away with its ports
    lines.push(`link set dev ${old.name} nomaster`);
    note(c, old.owner, `- port ${old.name} from ${old.master}`);
  }
  for (const p of plan.ports) {
    if (blocked.has(p.owner) || !masters.has(p.master)) continue;
    const link = links.get(p.name);
    if (!link) {
      c.missingPorts.push(p);
      continue;
    }
    c.attachedPorts.push(p);
    if (link.master !== p.master || fresh.has(p.master)) lines.push(`link set dev ${p.name} master ${p.master}`), note(c, p.owner, `+ port ${p.name} to ${p.master}`);
    // Add only what is missing, remove nothing else (the port is not ours).
    const remastered = link.master !== p.master || fresh.has(p.master);
    const have = new Set(addressesAfterEnslave(link.addresses ?? [], remastered).map(canonicalCidr));
    for (const a of p.addresses ?? []) if (!have.has(canonicalCidr(a))) lines.push(addLine(p.name, a)), note(c, p.owner, `+ address ${a} on port ${p.name}`);
    if (!link.up) lines.push(`link set dev ${p.name} up`), note(c, p.owner, `~ port ${p.name}: up`);
  }
  return lines;
}
