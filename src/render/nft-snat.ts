// Source NAT as an nftables ruleset: one table the daemon owns, replaced in
// one `nft -f` transaction (an empty `table` line first, so `delete` never
// fails on a table that is not there yet). Pure: the host-routing egress (the
// node's own default route and source address per family) comes from the
// caller, read at apply time.
import type { SnatIntent } from '../translate/intent.ts';

export const SNAT_TABLE = 'routerd_evpn'; // `table inet routerd_evpn`

export interface Egress {
  interface: string;
  address: string;
}

export type HostEgress = Partial<Record<'ipv4' | 'ipv6', Egress>>;

export interface SnatRule {
  network: string;
  vrf: string;
  family: 'ipv4' | 'ipv6';
  source: string;
  interface: string;
  to: string;
}

// Each wanted translation with its egress: the uplink's, or the node's own
// default route's for a host-routing exit; those with no way out (no default
// route of that family) are returned apart.
export function snatRules(wanted: SnatIntent[], host: HostEgress): { rules: SnatRule[]; unrouted: SnatIntent[] } {
  const rules: SnatRule[] = [];
  const unrouted: SnatIntent[] = [];
  for (const w of wanted) {
    const egress = w.egress ?? host[w.family];
    if (!egress) unrouted.push(w);
    else
      rules.push({
        network: w.network,
        vrf: w.vrf,
        family: w.family,
        source: w.source,
        interface: egress.interface,
        to: egress.address,
      });
  }
  return { rules, unrouted };
}

// The rule as `nft list` prints it back.
export function nftRule(r: SnatRule): string {
  const [ip, saddr] = r.family === 'ipv4' ? ['ip', 'ip'] : ['ip6', 'ip6'];
  return `${saddr} saddr ${r.source} oifname "${r.interface}" snat ${ip} to ${r.to}`;
}

// The whole replacement: the table with its NAT chain, or, with no rules,
// the table's removal.
export function nftScript(rules: SnatRule[]): string {
  const reset = [`table inet ${SNAT_TABLE}`, `delete table inet ${SNAT_TABLE}`];
  if (rules.length === 0) return `${reset.join('\n')}\n`;
  return `${[
    ...reset,
    `table inet ${SNAT_TABLE} {`,
    '\tchain postrouting {',
    '\t\ttype nat hook postrouting priority srcnat; policy accept;',
    ...rules.map((r) => `\t\t${nftRule(r)}`),
    '\t}',
    '}',
  ].join('\n')}\n`;
}
