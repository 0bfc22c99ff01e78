// Step 3, routed networks: the VRF a network routes in covers its nodes, the
// anycast gateway's addresses and MAC, and no two subnets of one VRF overlap.
import { type Cidr, cidrList, cidrsOverlap, formatIp, parseCidr, subnetText } from './cidr.ts';
import type { Push } from './error-codes.ts';
import { defaultGatewayMac, macProblem, networkNodes, normalizeMac } from './names.ts';
import { checkCidr, list, MAC_ROLES, type RoutingInput, type VrfFacts } from './rules-routing.ts';
import { type FabricResource, type NetworkResource, resourceId } from './schema.ts';

// A network's spec.vrf names a VRF that is on all of its nodes; its gateway.
export function checkRoutedNetwork(
  net: NetworkResource,
  input: RoutingInput,
  facts: Map<string, VrfFacts>,
  push: Push,
): void {
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
  if (cidrList(g.ipv4).length === 0 && cidrList(g.ipv6).length === 0)
    push(
      'spec.gateway',
      'FIELD_REQUIRED',
      'gateway needs ipv4 and/or ipv6 (CIDRs such as 10.1.0.1/24 and fd00:1::1/64, or lists of them)',
    );
  // one CIDR, or a list (several subnets): each its own subnet of the VRF
  for (const family of [4, 6] as const) {
    const value = family === 4 ? g.ipv4 : g.ipv6;
    cidrList(value).forEach((text, i) => {
      const path = `spec.gateway.ipv${family}${Array.isArray(value) ? `[${i}]` : ''}`;
      const cidr = checkCidr(push, path, text, family, `gateway.ipv${family}`);
      if (cidr && f) f.subnets.push({ owner: id, label: `gateway ${cidr.text}`, path, cidr, push });
    });
  }
  const bad = g.mac === undefined ? undefined : macProblem(g.mac);
  if (bad) push('spec.gateway.mac', bad.code, `gateway.mac: ${bad.message}`);
  if (f && !bad) checkGatewayMac(net, g.mac, f, push);
  if (g.snat && f) checkSnat(g, f, push);
}

// SNAT happens at the VRF's exits: it needs some, and with uplinks an
// address of each family the gateway routes (the translated source).
function checkSnat(g: GatewaySpec, f: VrfFacts, push: Push): void {
  const exit = f.vrf.spec.exit;
  const vrf = resourceId(f.vrf);
  const subnets = (family: 4 | 6) =>
    cidrList(family === 4 ? g.ipv4 : g.ipv6)
      .map((t) => parseCidr(t))
      .filter((c): c is Cidr => c !== undefined)
      .map(subnetText);
  const all = [...subnets(4), ...subnets(6)];
  if (!exit || exit.nodes.length === 0) {
    push(
      'spec.gateway.snat',
      'SNAT_NO_EXIT',
      `${vrf} has no exit nodes to source-NAT ${list(all)} at; give it spec.exit or leave snat out`,
    );
    return;
  }
  for (const u of exit.uplinks ?? [])
    for (const family of [4, 6] as const) {
      const k = family === 4 ? 'ipv4' : 'ipv6';
      if (subnets(family).length > 0 && u.address[k] === undefined)
        push(
          'spec.gateway.snat',
          'SNAT_NO_SOURCE',
          `the uplink ${u.interface} of exit node "${u.node}" in ${vrf} has no IPv${family} address to translate ${list(subnets(family))} to`,
        );
    }
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
export function checkSubnets(f: VrfFacts): void {
  const name = f.vrf.metadata.name;
  f.subnets.forEach((b, i) => {
    for (const a of f.subnets.slice(0, i)) {
      // two uplinks of the VRF may share a subnet; a network's own subnets may not overlap
      if (a.cidr.family !== b.cidr.family || (a.owner === b.owner && a.owner.startsWith('EVPNVRF/'))) continue;
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
