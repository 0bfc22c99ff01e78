// Step 3, an exit's local routing (Proxmox VE's exitnodes-local-routing): only
// for exits without uplinks; its transfer subnet is an IPv4 subnet with two
// host addresses, outside the VRF's subnets and apart from any other VRF's
// transfer subnet on a shared exit node; the veth pair's names are free.
import { type Cidr, cidrsOverlap, networkAddress, parseCidr, subnetText } from './cidr.ts';
import { LOCAL_ROUTING_SUBNET, localRoutingDevices } from './names.ts';
import { type Claimed, claim, list, type VrfFacts } from './rules-routing.ts';
import { resourceId, type VrfSpec } from './schema.ts';

type ExitSpec = NonNullable<VrfSpec['exit']>;

export function checkLocalRouting(f: VrfFacts, exit: ExitSpec, exitNodes: string[], claimed: Claimed): void {
  const { push } = f;
  const given = exit.localRouting;
  if (given === undefined || given === false) return;
  const path = typeof given === 'object' ? 'spec.exit.localRouting.subnet' : 'spec.exit.localRouting';
  if ((exit.uplinks?.length ?? 0) > 0) {
    push(
      'spec.exit.localRouting',
      'FIELD_VALUE',
      'local routing is for exits without uplinks (host routing); an uplink exit routes through its uplink',
    );
    return;
  }
  const text = typeof given === 'object' ? given.subnet : LOCAL_ROUTING_SUBNET;
  const cidr = parseCidr(text);
  if (cidr?.family !== 4 || cidr.prefix > 30 || cidr.value !== networkAddress(cidr)) {
    push(
      path,
      'CIDR_INVALID',
      `localRouting.subnet "${text}" is not an IPv4 subnet (its network address, /30 or shorter) with two host addresses for the veth pair`,
    );
    return;
  }
  const owner = resourceId(f.vrf);
  f.subnets.push({ owner, label: `local routing transfer subnet ${text}`, path, cidr, push });
  for (const node of exitNodes) claimTransfer(claimed, node, owner, cidr, path, f);
  const l3 = f.vrf.spec.l3vni;
  if (l3 === undefined) return;
  const names = localRoutingDevices(l3);
  claim(claimed.devices, names.host, `${owner} (local routing veth, host end)`, path, push);
  claim(claimed.devices, names.vrf, `${owner} (local routing veth, VRF end)`, path, push);
}

// Two VRFs with local routing on one exit node need transfer subnets apart:
// both host ends are in the node's default table.
function claimTransfer(claimed: Claimed, node: string, owner: string, cidr: Cidr, path: string, f: VrfFacts): void {
  const there = claimed.transfers.get(node) ?? [];
  const clash = there.find((t) => t.owner !== owner && cidrsOverlap(t.cidr, cidr));
  if (clash)
    f.push(
      path,
      'SUBNET_OVERLAP',
      `local routing transfer subnet ${subnetText(cidr)} overlaps ${subnetText(clash.cidr)} of ${clash.owner} on exit node "${node}", where both are in the default table; give one spec.exit.localRouting: {subnet: ...} (exit nodes: ${list([node])})`,
    );
  else if (!there.some((t) => t.owner === owner)) claimed.transfers.set(node, [...there, { owner, cidr }]);
}
