// Step 3 for tenant VRFs and routed networks: L3VNIs and the IRB mode, routing
// tables, router MACs, exits, anycast gateways and the subnets of each VRF.
// checkRules calls it after the L2 rules, with the names those handed out.
import { addressProblem, cidrProblem } from './address-rules.ts';
import {
  type Cidr,
  cidrContains,
  cidrsOverlap,
  type Family,
  formatIp,
  isLinkLocal,
  parseIp,
  subnetText,
} from './cidr.ts';
import { type Push, pusher, type ValidationIssue } from './error-codes.ts';
import {
  defaultGatewayMac,
  defaultRouterMac,
  ifnameProblem,
  l3vniBridgeName,
  macProblem,
  networkNodes,
  normalizeMac,
  portProblem,
  RD_RT_PATTERN,
  RESERVED_TABLES,
  RT_WILDCARD_PATTERN,
  TABLE_MAX,
  VNI_MAX,
  VNI_MIN,
  vrfDeviceName,
  vrfNodes,
  vrfTable,
  vxlanName,
} from './names.ts';
import { own } from './own.ts';
import {
  type ExitUplinkSpec,
  type FabricResource,
  type NetworkResource,
  resourceId,
  type VrfResource,
  type VrfSpec,
} from './schema.ts';

// What the L2 rules already handed out; the VRF rules add theirs.
export interface Claimed {
  vnis: Map<number, string>; // VNI -> owner, e.g. EVPNNetwork/blue
  devices: Map<string, string>; // interface name -> owner, e.g. EVPNNetwork/blue (bridge)
  ports: Map<string, string>; // node/interface -> EVPNNetwork/blue
}

export interface RoutingInput {
  fabric?: FabricResource;
  nodes: Set<string>; // EVPNFabric spec.nodes
  rrs: Set<string>;
  vrfs: VrfResource[];
  networks: NetworkResource[];
  failedKinds: ReadonlySet<string>;
}

interface Subnet {
  owner: string;
  label: string;
  path: string;
  cidr: Cidr;
  push: Push;
}
interface RouterMac {
  node: string;
  mac: string;
  path?: string;
} // path: where the MAC was given
interface VrfFacts {
  vrf: VrfResource;
  push: Push;
  nodes: string[];
  macs: RouterMac[];
  subnets: Subnet[];
}

const ASYMMETRIC =
  'the fabric has irb: asymmetric, which routes at the ingress VTEP between L2VNIs and uses no L3VNI and no type-5 routes; remove it or set EVPNFabric spec.irb: symmetric';
const MAC_ROLES = 'a router MAC identifies one VTEP, while the anycast gateway MAC is the same on every node';
const list = (xs: readonly string[]) => xs.join(', ') || 'none';
const keyPath = (base: string, key: string) =>
  /^[A-Za-z0-9_-]+$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;

function claim(devices: Map<string, string>, name: string, owner: string, path: string, push: Push): void {
  const prev = devices.get(name);
  if (prev) push(path, 'DEVICE_NAME_DUPLICATE', `interface name "${name}" of ${owner} is already used by ${prev}`);
  else devices.set(name, owner);
}

// A CIDR of one family whose address is a host of its own subnet. Returns the
// parsed CIDR (also after a host-address problem, for the overlap checks).
function checkCidr(push: Push, path: string, text: string | undefined, family: Family, what: string): Cidr | undefined {
  if (text === undefined) return undefined;
  const { cidr, problem } = cidrProblem(text, family, what);
  if (problem) push(path, problem.code, problem.message);
  return cidr;
}

function checkL3vni(vrf: VrfResource, claimed: Claimed, push: Push): void {
  const l3 = vrf.spec.l3vni;
  const id = resourceId(vrf);
  if (l3 === undefined) {
    push(
      'spec.l3vni',
      'L3VNI_REQUIRED',
      'symmetric IRB (EVPNFabric spec.irb, the default) routes between VTEPs over a per-VRF L3VNI and this VRF has none; set spec.l3vni to a VNI no EVPNNetwork uses',
    );
    return;
  }
  if (l3 < VNI_MIN || l3 > VNI_MAX) {
    push('spec.l3vni', 'VNI_RANGE', `L3VNI ${l3} is outside ${VNI_MIN}..${VNI_MAX}`);
    return;
  }
  const other = claimed.vnis.get(l3);
  if (other) {
    push(
      'spec.l3vni',
      'VNI_DUPLICATE',
      `L3VNI ${l3} is already used by ${other}; L2VNIs and L3VNIs share one VNI space`,
    );
    return;
  }
  claimed.vnis.set(l3, id);
  claim(claimed.devices, l3vniBridgeName(l3), `${id} (L3VNI bridge)`, 'spec.l3vni', push);
  claim(claimed.devices, vxlanName(l3), `${id} (L3VNI VXLAN device)`, 'spec.l3vni', push);
}

function checkAsymmetric(s: VrfSpec, push: Push): void {
  if (s.l3vni !== undefined) push('spec.l3vni', 'IRB_MODE_CONFLICT', `l3vni ${s.l3vni} is set, but ${ASYMMETRIC}`);
  const on = Object.entries(s.advertise ?? {})
    .filter(([, v]) => v)
    .map(([k]) => k);
  if (on.length > 0)
    push('spec.advertise', 'IRB_MODE_CONFLICT', `advertise ${on.join(', ')} asks for type-5 routes, but ${ASYMMETRIC}`);
  if (s.exit)
    push(
      'spec.exit',
      'IRB_MODE_CONFLICT',
      `an exit announces its default route as a type-5 route over the L3VNI, but ${ASYMMETRIC}`,
    );
  if (s.rd !== undefined)
    push('spec.rd', 'IRB_MODE_CONFLICT', `rd "${s.rd}" is the L3VNI's route distinguisher, but ${ASYMMETRIC}`);
  if (s.routeTargets)
    push('spec.routeTargets', 'IRB_MODE_CONFLICT', `routeTargets are the L3VNI's route targets, but ${ASYMMETRIC}`);
}

function checkRdRt(s: VrfSpec, push: Push): void {
  if (s.rd !== undefined && !RD_RT_PATTERN.test(s.rd))
    push('spec.rd', 'FIELD_VALUE', `rd "${s.rd}" must be ASN:NN or A.B.C.D:NN`);
  s.routeTargets?.import?.forEach((rt, i) => {
    if (!RD_RT_PATTERN.test(rt) && !RT_WILDCARD_PATTERN.test(rt))
      push(
        `spec.routeTargets.import[${i}]`,
        'FIELD_VALUE',
        `route target "${rt}" must be ASN:NN, A.B.C.D:NN or the wildcard *:NN`,
      );
  });
  s.routeTargets?.export?.forEach((rt, i) => {
    if (!RD_RT_PATTERN.test(rt))
      push(
        `spec.routeTargets.export[${i}]`,
        'FIELD_VALUE',
        `route target "${rt}" must be ASN:NN or A.B.C.D:NN (the wildcard *:NN is for import only)`,
      );
  });
}

function checkTable(vrf: VrfResource, tables: Map<number, string>, push: Push): void {
  const t = vrf.spec.table;
  if (typeof t === 'number' && (t < 1 || t > TABLE_MAX)) {
    push('spec.table', 'TABLE_RANGE', `table ${t} is outside 1..${TABLE_MAX}`);
    return;
  }
  if (typeof t === 'number' && RESERVED_TABLES.has(t)) {
    push('spec.table', 'TABLE_RANGE', `table ${t} is reserved by the kernel (253 default, 254 main, 255 local)`);
    return;
  }
  const table = vrfTable(vrf);
  const derived = typeof t !== 'number';
  const other = tables.get(table);
  if (!other) {
    tables.set(table, `${resourceId(vrf)}${derived ? ' (derived)' : ''}`);
    return;
  }
  const from = table === vrf.spec.l3vni ? 'its l3vni' : 'a hash of its name';
  const what = derived
    ? `the derived routing table ${table} (spec.table is ${t ?? 'unset'}, so the table comes from ${from})`
    : `routing table ${table}`;
  push(
    'spec.table',
    'TABLE_DUPLICATE',
    `${what} is already used by ${other}; set spec.table to a table no other VRF uses`,
  );
}

// Router MACs must differ per node; a single string fits a one-node VRF only.
function checkRouterMac(
  vrf: VrfResource,
  nodes: string[],
  fabric: FabricResource | undefined,
  push: Push,
): RouterMac[] {
  const given = vrf.spec.routerMAC;
  if (typeof given === 'string') return checkSharedRouterMac(given, nodes, push);
  const byMac = new Map<string, string>(); // normalized MAC -> the node it was given for
  const macs = checkRouterMacMap(given ?? {}, nodes, fabric !== undefined, byMac, push);
  if (!fabric) return macs;
  // Nodes the map leaves out get their derived MAC, which must not be one given for another node.
  for (const node of nodes.filter((n) => own(given, n) === undefined)) {
    const mac = defaultRouterMac(fabric.metadata.name, node);
    const other = byMac.get(mac);
    if (other)
      push(
        keyPath('spec.routerMAC', other),
        'ROUTER_MAC_DUPLICATE',
        `router MAC ${mac} of node "${other}" is the derived router MAC of node "${node}"; choose another MAC`,
      );
    macs.push({ node, mac });
  }
  return macs;
}

// `routerMAC: <MAC>`: valid, and the VRF has at most one node.
function checkSharedRouterMac(given: string, nodes: string[], push: Push): RouterMac[] {
  const bad = macProblem(given);
  if (bad) push('spec.routerMAC', bad.code, `routerMAC: ${bad.message}`);
  else if (nodes.length > 1)
    push(
      'spec.routerMAC',
      'ROUTER_MAC_SHARED',
      `routerMAC ${given} would be shared by nodes ${list(nodes)}, but router MACs must be distinct per node; give a map {node: MAC} or leave routerMAC out for the derived per-node default`,
    );
  return bad || nodes.length > 1
    ? []
    : nodes.map((node) => ({ node, mac: normalizeMac(given), path: 'spec.routerMAC' }));
}

// `routerMAC: {node: MAC}`: known nodes, valid and distinct MACs. Fills byMac;
// returns the MACs of this VRF's nodes. Node names are checked only when a
// fabric lists the nodes.
function checkRouterMacMap(
  given: Record<string, string>,
  nodes: string[],
  checkNodes: boolean,
  byMac: Map<string, string>,
  push: Push,
): RouterMac[] {
  const macs: RouterMac[] = [];
  for (const [node, mac] of Object.entries(given)) {
    const path = keyPath('spec.routerMAC', node);
    if (checkNodes && !nodes.includes(node))
      push(
        path,
        'NODE_UNKNOWN',
        `routerMAC names node "${node}", which is not a node of this VRF (nodes: ${list(nodes)})`,
      );
    const bad = macProblem(mac);
    if (bad) {
      push(path, bad.code, `routerMAC of node "${node}": ${bad.message}`);
      continue;
    }
    const other = byMac.get(normalizeMac(mac));
    if (other)
      push(
        path,
        'ROUTER_MAC_DUPLICATE',
        `router MAC ${mac} of node "${node}" is already the router MAC of node "${other}"; router MACs must be distinct per node`,
      );
    else byMac.set(normalizeMac(mac), node);
    if (nodes.includes(node)) macs.push({ node, mac: normalizeMac(mac), path });
  }
  return macs;
}

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

type ExitSpec = NonNullable<VrfSpec['exit']>;

function checkExit(f: VrfFacts, exit: ExitSpec, input: RoutingInput, claimed: Claimed): void {
  const { push } = f;
  const good = checkExitNodes(f, exit, input);
  if (exit.primary !== undefined && !exit.nodes.includes(exit.primary))
    push(
      'spec.exit.primary',
      'NODE_UNKNOWN',
      `primary "${exit.primary}" is not one of spec.exit.nodes (${list(exit.nodes)})`,
    );
  if (exit.snat !== undefined)
    push(
      'spec.exit.snat',
      'FIELD_UNSUPPORTED',
      'snat is not implemented yet; remove it (the outside router must route the tenant subnets back to the exits)',
    );
  const uplinkOf = checkExitUplinks(f, exit, claimed);
  for (const n of good)
    if (!uplinkOf.has(n))
      push(
        'spec.exit.uplinks',
        'EXIT_UPLINK_MISSING',
        `exit node "${n}" has no uplink; give exactly one {node, interface, address, nextHop} per exit node`,
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
    else if (input.rrs.has(n))
      push(p, 'FIELD_VALUE', `exit node "${n}" is a route reflector; route reflectors carry no VNIs and no VRFs`);
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

// A network's spec.vrf names a VRF that is on all of its nodes; its gateway.
function checkRoutedNetwork(net: NetworkResource, input: RoutingInput, facts: Map<string, VrfFacts>, push: Push): void {
  const s = net.spec;
  const f = s.vrf === undefined ? undefined : facts.get(s.vrf);
  if (s.vrf !== undefined && !f && !input.failedKinds.has('EVPNVRF'))
    push('spec.vrf', 'VRF_UNKNOWN', `EVPNVRF "${s.vrf}" is not in the desired set (known: ${list([...facts.keys()])})`);
  if (f && input.fabric) checkVrfCoverage(net, f, input.fabric, input.nodes, push);
  if (s.gateway) checkGateway(net, s.gateway, f, push);
}

// The network's nodes (within the fabric's) against the VRF's: the VRF must be
// on each of them, and with asymmetric IRB the network on each of the VRF's.
function checkVrfCoverage(
  net: NetworkResource,
  f: VrfFacts,
  fabric: FabricResource,
  fabricNodes: Set<string>,
  push: Push,
): void {
  const s = net.spec;
  const mine = networkNodes(net, fabric.spec).filter((n) => fabricNodes.has(n));
  const where = s.nodes ? 'spec.nodes' : 'spec.vrf';
  const outside = mine.filter((n) => !f.nodes.includes(n));
  if (outside.length > 0)
    push(
      where,
      'VRF_NOT_ON_NODE',
      `the network is on node(s) ${list(outside)}, where EVPNVRF/${s.vrf} is not (its nodes: ${list(f.nodes)}); add them to the VRF's spec.nodes or limit this network's spec.nodes`,
    );
  const missing = f.nodes.filter((n) => !mine.includes(n));
  if (fabric.spec.irb === 'asymmetric' && missing.length > 0)
    push(
      where,
      'ASYMMETRIC_COVERAGE',
      `EVPNVRF/${s.vrf} is on node(s) ${list(missing)} where this network is not: asymmetric IRB routes at ingress, so every VTEP needs every routed L2VNI and its SVI; add them to spec.nodes or leave spec.nodes out`,
    );
}

type GatewaySpec = NonNullable<NetworkResource['spec']['gateway']>;

// The anycast gateway: needs a VRF, an address per family (a subnet of the
// VRF, `f` when it is known) and a valid MAC that is no router MAC.
function checkGateway(net: NetworkResource, g: GatewaySpec, f: VrfFacts | undefined, push: Push): void {
  const id = resourceId(net);
  if (net.spec.vrf === undefined)
    push(
      'spec.gateway',
      'GATEWAY_NEEDS_VRF',
      'an anycast gateway routes between subnets, so the network needs spec.vrf naming an EVPNVRF; leave gateway out for a pure L2VNI',
    );
  if (g.ipv4 === undefined && g.ipv6 === undefined)
    push(
      'spec.gateway',
      'FIELD_REQUIRED',
      'gateway needs ipv4 and/or ipv6 (CIDRs such as 10.1.0.1/24 and fd00:1::1/64)',
    );
  for (const family of [4, 6] as const) {
    const path = `spec.gateway.ipv${family}`;
    const cidr = checkCidr(push, path, family === 4 ? g.ipv4 : g.ipv6, family, `gateway.ipv${family}`);
    if (cidr && f) f.subnets.push({ owner: id, label: `gateway ${cidr.text}`, path, cidr, push });
  }
  const bad = g.mac === undefined ? undefined : macProblem(g.mac);
  if (bad) push('spec.gateway.mac', bad.code, `gateway.mac: ${bad.message}`);
  if (f && !bad) checkGatewayMac(net, g.mac, f, push);
}

// The anycast gateway MAC (given or derived) must be no router MAC of the
// VRF; a given router MAC is reported at the VRF, a derived one here.
function checkGatewayMac(net: NetworkResource, given: string | undefined, f: VrfFacts, push: Push): void {
  const id = resourceId(net);
  const mac = given !== undefined ? normalizeMac(given) : defaultGatewayMac(net.metadata.name);
  for (const rm of f.macs.filter((m) => m.mac === mac)) {
    if (rm.path)
      f.push(
        rm.path,
        'ROUTER_MAC_DUPLICATE',
        `router MAC ${mac} of node "${rm.node}" is the anycast gateway MAC of ${id}; ${MAC_ROLES}`,
      );
    else
      push(
        given !== undefined ? 'spec.gateway.mac' : 'spec.gateway',
        'ROUTER_MAC_DUPLICATE',
        `gateway MAC ${mac} is the derived router MAC of node "${rm.node}" in EVPNVRF/${net.spec.vrf}; ${MAC_ROLES}`,
      );
  }
}

// Inside one VRF every subnet is unique; different VRFs may reuse addresses.
function checkSubnets(f: VrfFacts): void {
  const name = f.vrf.metadata.name;
  f.subnets.forEach((b, i) => {
    for (const a of f.subnets.slice(0, i)) {
      if (a.cidr.family !== b.cidr.family || a.owner === b.owner) continue;
      if (a.cidr.value === b.cidr.value && !a.owner.startsWith('EVPNVRF/')) {
        b.push(
          b.path,
          'GATEWAY_DUPLICATE',
          `gateway address ${formatIp(b.cidr.family, b.cidr.value)} is already the ${a.label} of ${a.owner} in EVPNVRF/${name}; each network needs its own subnet and gateway`,
        );
      } else if (cidrsOverlap(a.cidr, b.cidr)) {
        const [mine, theirs] = a.owner.startsWith('EVPNVRF/') ? [a, b] : [b, a];
        mine.push(
          mine.path,
          'SUBNET_OVERLAP',
          `subnet ${subnetText(mine.cidr)} (${mine.label}) overlaps ${subnetText(theirs.cidr)} (${theirs.label}) of ${theirs.owner} in EVPNVRF/${name}; subnets in one VRF must not overlap (another VRF may reuse them)`,
        );
      }
    }
  });
}

export function checkRouting(input: RoutingInput, claimed: Claimed, issues: ValidationIssue[]): void {
  const facts = new Map<string, VrfFacts>();
  const all: VrfFacts[] = [];
  const tables = new Map<number, string>();
  const irb = input.fabric?.spec.irb ?? 'symmetric';
  for (const vrf of input.vrfs) {
    const push = pusher(issues, resourceId(vrf));
    const s = vrf.spec;
    const nodes = input.fabric ? vrfNodes(vrf, input.fabric.spec).filter((n) => input.nodes.has(n)) : [];
    s.nodes?.forEach((n, i) => {
      if (input.rrs.has(n))
        push(
          `spec.nodes[${i}]`,
          'FIELD_VALUE',
          `node "${n}" is a route reflector; route reflectors carry no VNIs and no VRFs`,
        );
      else if (input.fabric && !input.nodes.has(n))
        push(`spec.nodes[${i}]`, 'NODE_UNKNOWN', `node "${n}" is not in EVPNFabric spec.nodes`);
    });
    if (irb === 'asymmetric') checkAsymmetric(s, push);
    else checkL3vni(vrf, claimed, push);
    const bad = ifnameProblem(vrfDeviceName(vrf));
    if (bad) push('metadata.name', bad.code, `${bad.message} (the VRF device is named after the EVPNVRF)`);
    else claim(claimed.devices, vrfDeviceName(vrf), `${resourceId(vrf)} (VRF device)`, 'metadata.name', push);
    checkTable(vrf, tables, push);
    if (irb === 'symmetric') checkRdRt(s, push);
    const f: VrfFacts = { vrf, push, nodes, macs: checkRouterMac(vrf, nodes, input.fabric, push), subnets: [] };
    all.push(f);
    if (!facts.has(vrf.metadata.name)) facts.set(vrf.metadata.name, f);
  }
  // Exits after every VRF has claimed its devices, so an uplink sees them all.
  for (const f of all) {
    const exit = f.vrf.spec.exit;
    if (irb === 'symmetric' && exit) checkExit(f, exit, input, claimed);
  }
  for (const net of input.networks) checkRoutedNetwork(net, input, facts, pusher(issues, resourceId(net)));
  for (const f of all) checkSubnets(f);
}
