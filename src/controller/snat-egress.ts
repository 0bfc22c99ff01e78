// Where a host-routing exit's tenant traffic leaves the node, per family: its
// main table's default route (the lowest metric) and the source address the
// kernel would give it there (the route's prefsrc, else the first global
// address of that family on its device). Pure.
import type { HostEgress } from '../render/nft-snat.ts';
import type { ObservedLink } from '../system/parse-ip-link.ts';
import { DEFAULT_DST, type KernelRoute, MAIN_TABLE } from '../system/parse-ip-route.ts';

export function hostEgress(routes: KernelRoute[], links: ObservedLink[]): HostEgress {
  const out: HostEgress = {};
  for (const family of ['ipv4', 'ipv6'] as const) {
    const best = routes
      .filter((r) => r.family === family && r.tableId === MAIN_TABLE && r.type === 'unicast')
      .filter((r) => r.dst === DEFAULT_DST[family])
      .sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0))[0];
    const dev = best?.dev ?? best?.nexthops?.[0]?.dev;
    if (!best || !dev) continue;
    const address = best.prefsrc ?? firstGlobal(links.find((l) => l.name === dev)?.addresses ?? [], family);
    if (address) out[family] = { interface: dev, address };
  }
  return out;
}

function firstGlobal(cidrs: string[], family: 'ipv4' | 'ipv6'): string | undefined {
  return cidrs
    .map((c) => c.split('/')[0] as string)
    .find((a) => (family === 'ipv4' ? !a.includes(':') : a.includes(':') && !a.toLowerCase().startsWith('fe80:')));
}
