// Can this kernel (and iproute2) run the single VXLAN device? Asked by doing
// it once: a throwaway VLAN-aware bridge and an `external vnifilter` VXLAN
// device with reserved names (rdx-probe-br, rdx-probe-vx, on a UDP port no
// fabric uses, so an existing vxlan-evpn never collides), read back, a VNI
// added with `bridge vni`, per-VLAN neigh_suppress tried, then both removed.
// Reading kernel versions would miss distribution kernels built without
// CONFIG_BRIDGE_VLAN_FILTERING; a real attempt cannot.
import type { CommandResult } from './exec.ts';
import type { Kernel } from './kernel.ts';
import type { ObservedLink } from './parse-ip-link.ts';

export const PROBE_BRIDGE = 'rdx-probe-br';
export const PROBE_VXLAN = 'rdx-probe-vx';
export const PROBE_UDP_PORT = 64789;

export interface SingleVxlanSupport {
  supported: boolean; // VLAN-aware bridge, vnifilter VXLAN device and `bridge vni` all work
  perVlanNeighSuppress: boolean; // neigh_vlan_suppress (Linux and iproute2 >= 6.6)
  problems: string[]; // why not, one line per missing piece
}

export const PROBE_ADD = [
  `link add name ${PROBE_BRIDGE} type bridge vlan_filtering 1 vlan_default_pvid 0`,
  `link add name ${PROBE_VXLAN} type vxlan dstport ${PROBE_UDP_PORT} external vnifilter nolearning`,
  `link set dev ${PROBE_VXLAN} master ${PROBE_BRIDGE}`,
] as const;
export const PROBE_DEL = [`link del dev ${PROBE_VXLAN}`, `link del dev ${PROBE_BRIDGE}`] as const;
export const PROBE_VNI = `vni add dev ${PROBE_VXLAN} vni 16777215`;
export const PROBE_NEIGH_VLAN = `link set dev ${PROBE_VXLAN} neigh_vlan_suppress on`;

// `-batch` reports a failing line as "<reason>\nCommand failed -:N": line N -> reason.
export function batchErrors(result: CommandResult | undefined): Map<number, string> {
  const out = new Map<number, string>();
  if (!result || result.exitCode === 0) return out;
  const lines = result.stderr.split('\n');
  lines.forEach((line, i) => {
    const m = /Command failed -:(\d+)/.exec(line);
    if (m) out.set(Number(m[1]), lines[i - 1]?.trim() || 'failed');
  });
  if (out.size === 0) out.set(1, result.stderr.trim().split('\n')[0] || `exit code ${result.exitCode}`);
  return out;
}

export interface ProbeAnswers {
  add: CommandResult | undefined; // ip -force -batch of PROBE_ADD
  links: ObservedLink[]; // ip -j -d link show afterwards
  vni: CommandResult | undefined; // bridge -batch PROBE_VNI
  neighVlan: CommandResult | undefined; // bridge -batch PROBE_NEIGH_VLAN
}

// Pure: what the answers say.
export function interpretProbe(a: ProbeAnswers): SingleVxlanSupport {
  const errors = batchErrors(a.add);
  const br = a.links.find((l) => l.name === PROBE_BRIDGE);
  const vx = a.links.find((l) => l.name === PROBE_VXLAN);
  const problems: string[] = [];
  if (!br?.vlanFiltering)
    problems.push(
      `a VLAN-aware bridge cannot be created ("${PROBE_ADD[0]}": ${errors.get(1) ?? 'vlan_filtering reads back off'}); the kernel needs CONFIG_BRIDGE_VLAN_FILTERING`,
    );
  if (!vx?.vxlan?.vnifilter)
    problems.push(
      `a VXLAN device with external vnifilter cannot be created ("${PROBE_ADD[1]}": ${errors.get(2) ?? 'vnifilter reads back off'}); it needs Linux >= 5.18 and an iproute2 that knows vnifilter`,
    );
  else if (a.vni !== undefined && a.vni.exitCode !== 0)
    problems.push(
      `"bridge ${PROBE_VNI}" failed (${batchErrors(a.vni).get(1)}); it needs an iproute2 with the bridge vni command`,
    );
  const perVlan = a.neighVlan !== undefined && a.neighVlan.exitCode === 0;
  return { supported: problems.length === 0, perVlanNeighSuppress: perVlan, problems };
}

export async function probeSingleVxlan(kernel: Kernel): Promise<SingleVxlanSupport> {
  await kernel.ipBatch(PROBE_DEL, true); // leftovers of a probe a crash interrupted
  try {
    const add = await kernel.ipBatch(PROBE_ADD, true);
    const links = await kernel.readLinksOnly();
    const vxOk = links.some((l) => l.name === PROBE_VXLAN && l.master === PROBE_BRIDGE);
    const vni = vxOk ? await kernel.bridgeBatch([PROBE_VNI]) : undefined;
    const neighVlan = vxOk ? await kernel.bridgeBatch([PROBE_NEIGH_VLAN]) : undefined;
    return interpretProbe({ add, links, vni, neighVlan });
  } finally {
    await kernel.ipBatch(PROBE_DEL, true);
  }
}
