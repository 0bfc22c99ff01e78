// Checks before a run touches anything: a node with the single VXLAN device
// needs FRR >= 9.0 (zebra learns VNI <-> VLAN from the bridge only since 9.0)
// and a kernel that can do VLAN-aware bridges and `external vnifilter` VXLAN
// devices; per-VLAN neigh_suppress only when its networks differ in it. A
// fabric with IPv6 VTEP addresses needs FRR >= 10.6, the first release whose
// EVPN carries IPv6 VTEPs (FRR PR 20116; before it, EVPN routes name the IPv4
// router ID as their next hop). Pure.
import type { FrrVersion } from '../system/frr-version.ts';
import { atLeast } from '../system/frr-version.ts';
import type { SingleVxlanSupport } from '../system/kernel-probe.ts';
import type { NodeIntent } from '../translate/intent.ts';

export const SINGLE_MIN_FRR = { major: 9, minor: 0 } as const;
export const IPV6_VTEP_MIN_FRR = { major: 10, minor: 6 } as const;

export type RefusalReason = 'FRRTooOld' | 'FRRVersionUnknown' | 'KernelUnsupported' | 'PerVlanNeighSuppressUnsupported';

export interface Refusal {
  reason: RefusalReason;
  message: string;
}

export interface PreflightInput {
  node: string;
  version: FrrVersion | undefined;
  support: SingleVxlanSupport;
  perVlanNeighSuppress: boolean; // the plan needs neigh_vlan_suppress
}

const FIX = 'set vxlanDevice: perVni for this node (EVPNFabric spec.nodes[].vxlanDevice) or for the fabric';

// FRR first: an FRR too old is refused without probing the kernel.
export function frrRefusal(node: string, version: FrrVersion | undefined): Refusal | undefined {
  return singleVxlanRefusal({
    node,
    version,
    support: { supported: true, perVlanNeighSuppress: true, problems: [] },
    perVlanNeighSuppress: false,
  });
}

export function singleVxlanRefusal(input: PreflightInput): Refusal | undefined {
  const { node, version, support } = input;
  const min = `${SINGLE_MIN_FRR.major}.${SINGLE_MIN_FRR.minor}`;
  if (!version)
    return {
      reason: 'FRRVersionUnknown',
      message: `node ${node} uses the single VXLAN device, which needs FRR >= ${min}, but "show version" names no FRRouting version; nothing was changed`,
    };
  if (!atLeast(version, SINGLE_MIN_FRR.major, SINGLE_MIN_FRR.minor))
    return {
      reason: 'FRRTooOld',
      message: `node ${node} uses the single VXLAN device (vxlanDevice: single), which needs FRR >= ${min}; this node runs FRR ${version.text}; nothing was changed: upgrade FRR or ${FIX}`,
    };
  if (!support.supported)
    return {
      reason: 'KernelUnsupported',
      message: `node ${node} uses the single VXLAN device, which this kernel cannot run: ${support.problems.join('; ')}; nothing was changed: ${FIX}`,
    };
  if (input.perVlanNeighSuppress && !support.perVlanNeighSuppress)
    return {
      reason: 'PerVlanNeighSuppressUnsupported',
      message: `node ${node} has networks that differ in arpNdSuppression, which on the single VXLAN device needs per-VLAN neigh_suppress (neigh_vlan_suppress: Linux and iproute2 >= 6.6), and this kernel or iproute2 has none; nothing was changed: give its networks the same arpNdSuppression or ${FIX}`,
    };
  return undefined;
}

// IPv6 VTEP addresses (this node's or a peer VTEP's) on an FRR without EVPN
// IPv6 VTEP support: refused before anything is touched.
export function ipv6VtepRefusal(node: string, version: FrrVersion | undefined, vteps: string[]): Refusal | undefined {
  if (vteps.length === 0) return undefined;
  const min = `${IPV6_VTEP_MIN_FRR.major}.${IPV6_VTEP_MIN_FRR.minor}`;
  const which = `IPv6 VTEP addresses (${vteps.join(', ')})`;
  if (!version)
    return {
      reason: 'FRRVersionUnknown',
      message: `node ${node}'s fabric uses ${which}, which need FRR >= ${min}, but "show version" names no FRRouting version; nothing was changed`,
    };
  if (!atLeast(version, IPV6_VTEP_MIN_FRR.major, IPV6_VTEP_MIN_FRR.minor))
    return {
      reason: 'FRRTooOld',
      message: `node ${node}'s fabric uses ${which}; EVPN carries IPv6 VTEPs only from FRR ${min} on, and this node runs FRR ${version.text} (its EVPN routes would name the IPv4 router ID as next hop); nothing was changed: use IPv4 vtepAddresses, or FRR >= ${min}`,
    };
  return undefined;
}

// The IPv6 VTEP addresses this node deals with: its own and its fabric
// sessions' (flat neighbors, or the remote VTEPs of a routed underlay).
export function ipv6Vteps(intent: NodeIntent | undefined): string[] {
  if (!intent) return [];
  const all = [
    intent.vtepAddress,
    ...intent.neighbors.filter((n) => n.description !== 'external-rr').map((n) => n.address),
    ...(intent.underlay?.remoteVteps.map((v) => v.address) ?? []),
  ];
  return [...new Set(all.filter((a) => a.includes(':')))];
}
