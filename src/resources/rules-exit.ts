// Step 3, exits: a VRF's uplinks on its exit nodes, their addresses and next
// hops, and the interfaces they claim.
import { addressProblem } from './address-rules.ts';
import { type Cidr, cidrContains, type Family, isLinkLocal, parseIp, subnetText } from './cidr.ts';
import type { Push } from './error-codes.ts';
import { portProblem } from './names.ts';
import { checkLocalRouting } from './rules-local-routing.ts';
import { type Claimed, checkCidr, list, type RoutingInput, type VrfFacts } from './rules-routing.ts';
import { hasIgp, isRouted } from './rules-underlay.ts';
import { type ExitUplinkSpec, resourceId, type VrfSpec } from './schema.ts';

// One exit uplink: its interface is free, its addresses and next hops fit.
// Returns the uplink's CIDRs (for the VRF's subnet overlap checks).
function checkUplink(
  u: ExitUplinkSpec,
  p: string,
  owner: string,
  defaultRoute: boolean,
  claimed: Claimed,
  push: Push,
): Cidr[] {
  claimUplinkPort(u, p, owner, claimed, push);
  if (u.address.ipv4 === undefined && u.address.ipv6 === undefined)
    push(
      `${p}.address`,
      'FIELD_REQUIRED',
      `the uplink of node "${u.node}" needs address.ipv4 and/or address.ipv6 (CIDRs)`,
    );
  const cidrs: Cidr[] = [];
  for (const family of [4, 6] as const) {
    const k = family === 4 ? 'ipv4' : 'ipv6';
    const cidr = checkCidr(push, `${p}.address.${k}`, u.address[k], family, `uplink address.${k}`);
    if (cidr) cidrs.push(cidr);
    checkNextHop(u, p, family, cidr, push);
  }
  if (defaultRoute && u.nextHop.ipv4 === undefined && u.nextHop.ipv6 === undefined)
    push(
      `${p}.nextHop`,
      'FIELD_REQUIRED',
      `spec.exit.defaultRoute is true (the default), so the uplink of node "${u.node}" needs nextHop.ipv4 and/or nextHop.ipv6; or set defaultRoute: false`,
    );
  return cidrs;
}

// The uplink interface is a usable name, not a daemon device and not a port
// of a bridge or another VRF's uplink; claims it when it is free.
function claimUplinkPort(u: ExitUplinkSpec, p: string, owner: string, claimed: Claimed, push: Push): void {
  const bad = portProblem(u.interface, claimed.devices, 'uplink interface');
  const key = `${u.node}/${u.interface}`;
  const port = claimed.ports.get(key);
  if (bad) push(`${p}.interface`, bad.code, bad.message);
  else if (port)
    push(
      `${p}.interface`,
      'PORT_DUPLICATE',
      `interface ${u.interface} on node ${u.node} is already ${port.startsWith('EVPNNetwork/') ? `a port of ${port}` : port}; an interface belongs to one bridge or one VRF`,
    );
  else claimed.ports.set(key, `the exit uplink of ${owner}`);
}

// The next hop of one family must be directly reachable: inside the uplink's
// subnet (`cidr`, the parsed address of that family) and not the uplink itself.
function checkNextHop(u: ExitUplinkSpec, p: string, family: Family, cidr: Cidr | undefined, push: Push): void {
  const k = family === 4 ? 'ipv4' : 'ipv6';
  const fam = family === 4 ? 'IPv4' : 'IPv6';
  const hop = u.nextHop[k];
  if (hop === undefined) return;
  // A link-local IPv6 next hop is reached over the uplink itself.
  const badHop = addressProblem(hop, `nextHop.${k}`, { family, allow: family === 6 ? ['link-local'] : [] });
  const ip = badHop ? undefined : parseIp(hop);
  if (ip && isLinkLocal(ip)) return;
  if (badHop || !ip)
    push(
      `${p}.nextHop.${k}`,
      badHop?.code ?? 'IP_INVALID',
      badHop?.message ?? `nextHop.${k} "${hop}" is not an ${fam} address`,
    );
  else if (u.address[k] === undefined)
    push(
      `${p}.address.${k}`,
      'FIELD_REQUIRED',
      `nextHop.${k} ${hop} is given, so the uplink needs an ${fam} address.${k} (a CIDR whose subnet holds ${hop})`,
    );
  else if (cidr && !cidrContains(cidr, ip))
    push(
      `${p}.nextHop.${k}`,
      'NEXTHOP_OUTSIDE_SUBNET',
      `nextHop.${k} ${hop} is outside the uplink subnet ${subnetText(cidr)} (address.${k} ${cidr.text}), so it is not directly reachable`,
    );
  else if (cidr && cidr.value === ip.value)
    push(
      `${p}.nextHop.${k}`,
      'FIELD_VALUE',
      `nextHop.${k} ${hop} is the uplink's own address; name the outside router`,
    );
}

export type ExitSpec = NonNullable<VrfSpec['exit']>;

export function checkExit(f: VrfFacts, exit: ExitSpec, input: RoutingInput, claimed: Claimed): void {
  const { push } = f;
  const good = checkExitNodes(f, exit, input);
  // A primary need not be an exit (Proxmox VE allows it): then every exit
  // defers to it alike.
  if (exit.primary !== undefined && !f.nodes.includes(exit.primary))
    push('spec.exit.primary', 'NODE_UNKNOWN', `primary "${exit.primary}" is no node of this VRF (${list(f.nodes)})`);
  if (exit.snat !== undefined)
    push(
      'spec.exit.snat',
      'FIELD_UNSUPPORTED',
      'SNAT is per network: set spec.gateway.snat on the EVPNNetworks whose subnets the exits should source-NAT',
    );
  const uplinkOf = checkExitUplinks(f, exit, claimed);
  checkLocalRouting(f, exit, good, claimed);
  // Uplinks on every exit node, or on none: then each exit routes through its
  // own routing table (host routing, as Proxmox VE's exit nodes do).
  if (uplinkOf.size > 0) {
    for (const n of good)
      if (!uplinkOf.has(n))
        push(
          'spec.exit.uplinks',
          'EXIT_UPLINK_MISSING',
          `exit node "${n}" has no uplink; give exactly one {node, interface, address, nextHop} per exit node, or none to every exit node (host routing)`,
        );
  } else if (input.fabric && isRouted(input.fabric.spec) && !hasIgp(input.fabric.spec))
    push(
      'spec.exit',
      'FIELD_UNSUPPORTED',
      'exits without uplinks (host routing) are not supported on an eBGP underlay, whose unicast sessions would carry the leaked tenant routes into the underlay; give every exit node an uplink',
    );
}

// spec.exit.nodes: listed once, not route reflectors, nodes of this VRF.
// Returns the nodes that passed, which each need an uplink.
function checkExitNodes(f: VrfFacts, exit: ExitSpec, input: RoutingInput): string[] {
  const { push, nodes } = f;
  const fabric = input.fabric;
  const good: string[] = [];
  if (exit.nodes.length === 0)
    push('spec.exit.nodes', 'FIELD_REQUIRED', 'an exit needs at least one node in spec.exit.nodes');
  exit.nodes.forEach((n, i) => {
    const p = `spec.exit.nodes[${i}]`;
    if (exit.nodes.indexOf(n) < i) push(p, 'FIELD_VALUE', `exit node "${n}" is listed more than once`);
    else if (input.transit.has(n))
      push(
        p,
        'FIELD_VALUE',
        `exit node "${n}" is a ${input.transit.get(n)}; ${input.transit.get(n)}s carry no VNIs and no VRFs`,
      );
    else if (fabric && !input.nodes.has(n)) push(p, 'NODE_UNKNOWN', `exit node "${n}" is not in EVPNFabric spec.nodes`);
    else if (fabric && !nodes.includes(n))
      push(p, 'NODE_UNKNOWN', `exit node "${n}" is not a node of this VRF (nodes: ${list(nodes)})`);
    else good.push(n);
  });
  return good;
}

// spec.exit.uplinks: one per exit node, each checked; their subnets join the
// VRF's. Returns node -> index of its (first) uplink.
function checkExitUplinks(f: VrfFacts, exit: ExitSpec, claimed: Claimed): Map<string, number> {
  const { push } = f;
  const uplinkOf = new Map<string, number>();
  (exit.uplinks ?? []).forEach((u, i) => {
    const p = `spec.exit.uplinks[${i}]`;
    if (uplinkOf.has(u.node))
      push(
        `${p}.node`,
        'FIELD_VALUE',
        `node "${u.node}" already has an uplink at spec.exit.uplinks[${uplinkOf.get(u.node)}]; give each exit node exactly one`,
      );
    else if (!exit.nodes.includes(u.node))
      push(`${p}.node`, 'NODE_UNKNOWN', `uplink node "${u.node}" is not one of spec.exit.nodes (${list(exit.nodes)})`);
    if (!uplinkOf.has(u.node)) uplinkOf.set(u.node, i);
    for (const cidr of checkUplink(u, p, resourceId(f.vrf), exit.defaultRoute ?? true, claimed, push)) {
      f.subnets.push({
        owner: resourceId(f.vrf),
        label: `exit uplink ${cidr.text} of node ${u.node}`,
        path: `${p}.address.ipv${cidr.family}`,
        cidr,
        push,
      });
    }
  });
  return uplinkOf;
}
