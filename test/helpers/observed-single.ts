// What a kernel shows after a device plan was applied completely, the single
// VXLAN device's VLAN views included: for diff tests that check a second run
// writes nothing.
import type { DevicePlan } from '../../src/render/devices.ts';
import { type BridgeVlans, emptyBridgeVlans } from '../../src/system/parse-bridge-vlan.ts';
import type { ObservedLink } from '../../src/system/parse-ip-link.ts';

const base = (name: string, kind: string, mtu: number): ObservedLink => ({
  name,
  kind,
  mtu,
  up: true,
  operUp: true,
  addrGenMode: 'none',
});

function linkOf(d: DevicePlan['devices'][number]): ObservedLink {
  if (d.kind === 'vrf') return { ...base(d.name, 'vrf', 65575), alias: d.owner, vrfTable: d.table };
  if (d.kind === 'bridge')
    return {
      ...base(d.name, 'bridge', d.mtu),
      alias: d.owner,
      ...(d.master ? { master: d.master } : {}),
      ...(d.mac ? { address: d.mac } : {}),
      ...(d.addresses ? { addresses: [...d.addresses] } : {}),
      ...(d.vlanFiltering ? { vlanFiltering: true } : {}),
    };
  if (d.kind === 'veth')
    return {
      ...base(d.name, 'veth', d.mtu),
      alias: d.owner,
      peer: d.peer,
      ...(d.master ? { master: d.master } : {}),
      addresses: [...d.addresses],
    };
  if (d.kind === 'vlan')
    return {
      ...base(d.name, 'vlan', d.mtu),
      alias: d.owner,
      vlan: { id: d.vid, link: d.link },
      ...(d.master ? { master: d.master } : {}),
      address: d.mac ?? '02:00:00:00:00:98',
      addresses: [...(d.addresses ?? [])],
    };
  return {
    ...base(d.name, 'vxlan', d.mtu),
    alias: d.owner,
    master: d.master,
    vxlan: {
      vni: d.vni,
      local: d.local,
      dstport: d.dstport,
      learning: false,
      ...(d.vnifilter ? { vnifilter: true } : {}),
    },
    bridgePort: {
      learning: d.learning,
      neighSuppress: d.neighSuppress,
      ...(d.vlanTunnel ? { vlanTunnel: true } : {}),
      ...(d.neighVlanSuppress ? { neighVlanSuppress: true } : {}),
    },
  };
}

export function observedFromPlan(plan: DevicePlan): { links: ObservedLink[]; bridge: BridgeVlans } {
  const links = plan.devices.map(linkOf);
  for (const p of plan.ports)
    links.push({
      ...base(p.name, 'veth', 1500),
      master: p.master,
      bridgePort: { learning: true, neighSuppress: false },
      ...(p.addresses ? { addresses: [...p.addresses] } : {}),
    });
  const bridge = emptyBridgeVlans();
  const vx = plan.devices.find((d) => d.kind === 'vxlan' && d.vnifilter);
  if (vx?.kind === 'vxlan') {
    const vlans = plan.vlans ?? [];
    bridge.vlans[vx.name] = vlans.map((v) => ({
      vid: v.vid,
      pvid: false,
      untagged: false,
      ...(vx.neighVlanSuppress ? { neighSuppress: v.neighSuppress } : {}),
    }));
    bridge.vlans[vx.master] = vlans.filter((v) => v.self).map((v) => ({ vid: v.vid, pvid: false, untagged: false }));
    bridge.tunnels[vx.name] = vlans.map((v) => ({ vid: v.vid, vni: v.vni }));
    bridge.vnis[vx.name] = vlans.map((v) => v.vni);
    for (const p of plan.ports.filter((x) => x.vlan !== undefined))
      bridge.vlans[p.name] = [{ vid: p.vlan as number, pvid: true, untagged: true }];
  }
  return { links, bridge };
}
