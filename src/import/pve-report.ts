// What the Proxmox importer could not map exactly: one entry per Proxmox key,
// with a code (docs/proxmox.md lists them), the key as Proxmox spells it, and
// what was done instead. `approximate`: imported with a difference;
// `skipped`: not imported.
// The codes and what each means; docs/proxmox.md lists the same (a test
// compares them).
export const IMPORT_CODES = {
  PVE_NO_EVPN: 'no EVPN controller or zone: nothing for this daemon',
  PVE_CONTROLLER_EXTRA: 'a second EVPN controller (one fabric per file)',
  PVE_ZONE_TYPE: 'a zone that is not an EVPN zone',
  PVE_ZONE_CONTROLLER: 'an EVPN zone of a controller that was not imported',
  PVE_VNET_ZONE: 'a vnet of a zone that was not imported',
  PVE_NODE_UNNAMED: 'a VTEP address no file names: named after its address',
  PVE_ROUTER_ID: 'an IPv6 VTEP: router ID derived from the address',
  PVE_SUBNET_GATEWAY: 'a subnet whose gateway lies outside it',
  PVE_SUBNET_INVALID: 'a subnet id that is not ZONE-NETWORK-MASK',
  PVE_SNAT: 'snat on some subnets of a vnet but not on others',
  PVE_EXIT_LOCAL_ROUTING: 'exitnodes-local-routing on several zones: transfer subnets of their own',
  PVE_EXIT_PRIMARY: 'exitnodes-primary naming a node that is no node of the EVPN fabric',
  PVE_RT_IMPORT: "rt-import: the zone's own route target kept beside it",
  PVE_EXIT_UNKNOWN: 'an exit node that is no node of the EVPN fabric',
  PVE_VXLAN_PORT: 'zones with different vxlan-port values',
  PVE_BGP_CONTROLLER: 'parts of a BGP controller the model does not express',
  PVE_IGP_PARTIAL: 'an IS-IS controller on some nodes only',
  PVE_IGP_OPTION: 'an IGP option the daemon renders its own way',
  PVE_FRR_LOCAL: 'frr.conf.local blocks: not merged into a daemon-owned FRR',
} as const;

export type ImportCode = keyof typeof IMPORT_CODES;

export interface ImportNote {
  code: ImportCode;
  key: string; // e.g. zones.myzone.exitnodes-local-routing
  action: 'approximate' | 'skipped';
  message: string;
}

export function formatNote(n: ImportNote): string {
  return `${n.action === 'skipped' ? 'skipped' : 'approximate'}: ${n.key}: ${n.code}: ${n.message}`;
}
