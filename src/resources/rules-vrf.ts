// Step 3 for tenant VRFs and routed networks: L3VNIs and the IRB mode, routing
// tables, router MACs (here), exits (rules-exit.ts), anycast gateways and the
// subnets of each VRF (rules-gateway.ts). checkRules calls it after the L2
// rules, with the names those handed out.
import { type Push, pusher, type ValidationIssue } from './error-codes.ts';
import {
  defaultRouterMac,
  ifnameProblem,
  l3vniBridgeName,
  macProblem,
  normalizeMac,
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
import { checkExit } from './rules-exit.ts';
import { checkRoutedNetwork, checkSubnets } from './rules-gateway.ts';
import {
  ASYMMETRIC,
  type Claimed,
  claim,
  keyPath,
  list,
  type RouterMac,
  type RoutingInput,
  type VrfFacts,
} from './rules-routing.ts';
import { checkRouteTargetsMatch } from './rules-rt.ts';
import { type FabricResource, resourceId, type VrfResource, type VrfSpec } from './schema.ts';

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
  if (s.vlan !== undefined)
    push('spec.vlan', 'IRB_MODE_CONFLICT', `vlan ${s.vlan} is the VLAN of the L3VNI's SVI, but ${ASYMMETRIC}`);
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
      const role = input.transit.get(n);
      if (role) push(`spec.nodes[${i}]`, 'FIELD_VALUE', `node "${n}" is a ${role}; ${role}s carry no VNIs and no VRFs`);
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
    if (irb === 'symmetric' && input.fabric && s.l3vni !== undefined)
      checkRouteTargetsMatch(s.routeTargets, s.l3vni, input.fabric.spec, nodes, push);
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
