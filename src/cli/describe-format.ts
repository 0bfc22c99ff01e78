// Kind-specific sections of `describe`: EVPNFabric (FRR, results, counters,
// BGP sessions) and EVPNNetwork (devices, ports, VTEPs, MACs, ARP/ND, anycast
// gateway); EVPNVRF's live in describe-vrf.ts.
import { arr, cell, cells, formatDuration, type Obj, obj, renderFields, renderTable } from './output.ts';

export function list(value: unknown): string {
  const items = arr(value).map(cell);
  return items.length === 0 ? '-' : items.join(', ');
}

// "Reloaded (12 commands) at T: message" from a conversion/reload/kernel result.
function resultLine(result: Obj, countKey?: string, noun?: string): string {
  if (Object.keys(result).length === 0) return '-';
  let line = cell(result.result);
  if (countKey && typeof result[countKey] === 'number') line += ` (${result[countKey]} ${noun})`;
  if (result.at !== undefined) line += ` at ${cell(result.at)}`;
  if (typeof result.message === 'string' && result.message !== '') line += `: ${result.message}`;
  return line;
}

const FAMILY_NAMES: Record<string, string> = { ipv4Unicast: 'ipv4', ipv6Unicast: 'ipv6', l2vpnEvpn: 'evpn' };

// "ipv4 3/1, evpn 18/6": received/sent per address family.
function familyCell(families: unknown): string {
  const parts = Object.entries(obj(families)).map(([f, p]) => {
    const { received, sent } = obj(p);
    return `${FAMILY_NAMES[f] ?? f} ${cell(received)}/${cell(sent)}`;
  });
  return parts.length === 0 ? '-' : parts.join(', ');
}

function bgpSection(bgp: Obj): string {
  const title = `BGP sessions (router-id ${cell(bgp.routerId)}, AS ${cell(bgp.as)}):`;
  const sessions = arr(bgp.sessions).map(obj);
  // BFD and password columns only when some session has them; prefixes per
  // family when every family was read (an eBGP underlay, unicast peers)
  const bfd = sessions.some((s) => s.bfd !== undefined);
  const password = sessions.some((s) => s.password === true);
  const perFamily = sessions.some((s) => s.families !== undefined);
  const rows = sessions.map((s) => [
    cell(s.peer),
    cell(s.hostname),
    cell(s.remoteAs),
    cell(s.state),
    formatDuration(s.uptimeMs),
    ...(perFamily ? [familyCell(s.families)] : [cell(s.prefixesReceived), cell(s.prefixesSent)]),
    ...(bfd ? [cell(s.bfd)] : []),
    ...(password ? [s.password === true ? 'set' : '-'] : []),
  ]);
  if (rows.length === 0) return `${title}\n  (no sessions)`;
  const header = [
    ...['PEER', 'HOSTNAME', 'AS', 'STATE', 'UPTIME'],
    ...(perFamily ? ['PREFIXES (RCVD/SENT)'] : ['PFX-RCVD', 'PFX-SENT']),
    ...(bfd ? ['BFD'] : []),
    ...(password ? ['PASSWORD'] : []),
  ];
  return `${title}\n${renderTable(header, rows, '  ')}`;
}

export function fabricSections(status: Obj): string[] {
  const frr = obj(status.frr);
  const frrFields: Array<[string, string]> = [
    ['Reachable', cell(frr.reachable)],
    ['Daemons', list(frr.daemons)],
  ];
  if (frr.version !== undefined) frrFields.push(['Version', cell(frr.version)]);
  if (frr.pathspace !== undefined) frrFields.push(['Pathspace', cell(frr.pathspace)]);
  const kernel = obj(status.kernel);
  const results = renderFields(
    [
      ['Conversion', resultLine(obj(status.conversion))],
      ['Reload', resultLine(obj(status.reload), 'commands', 'commands')],
      ['Kernel', resultLine(kernel, 'writes', 'writes')],
      ['Rendered config', cell(status.renderedConfigHash)],
      ['Running config', cell(status.runningConfigHash)],
      ...(status.lastError ? ([['Last error', cell(status.lastError)]] as Array<[string, string]>) : []),
      ...(status.nextRetryAt ? ([['Next retry', cell(status.nextRetryAt)]] as Array<[string, string]>) : []),
    ],
    '  ',
  );
  const changes = arr(kernel.changes).map((c) => `    ${cell(c)}`);
  const counters = obj(status.counters);
  const counterLine = ['reconciles', 'reloads', 'frrCommands', 'kernelWrites']
    .map((k) => `${k} ${cell(counters[k])}`)
    .join(', ');
  return [
    `FRR:\n${renderFields(frrFields, '  ')}`,
    `Results:\n${results}${changes.length > 0 ? `  Kernel changes:\n${changes.join('\n')}\n` : ''}`,
    `Counters:\n  ${counterLine}`,
    bgpSection(obj(status.bgp)),
    ...(status.underlay ? [underlaySection(obj(status.underlay))] : []),
  ];
}

// A routed underlay: the loopback's VTEP address and a route per remote VTEP.
function underlaySection(u: Obj): string {
  const lo = arr(u.loopback)
    .map(obj)
    .map((a) => `${cell(a.address)}${a.present === true ? '' : ' (missing)'}`)
    .join(', ');
  const rows = arr(u.vteps)
    .map(obj)
    .map((v) => [cell(v.node), cell(v.address), cell(v.route), cell(v.paths), list(v.via)]);
  const table = rows.length
    ? renderTable(['NODE', 'VTEP', 'ROUTE', 'PATHS', 'VIA'], rows, '  ')
    : '  (no remote VTEPs)';
  return `Underlay (uplinks ${list(u.uplinks)}; lo ${lo || '-'}):\n${table}`;
}

// One line per device with the flags that matter for EVPN (learning off, neigh_suppress on).
export function deviceLine(role: string, device: Obj): string {
  if (Object.keys(device).length === 0) return `  ${role}: -`;
  const name = cell(device.name);
  if (device.present === false) return `  ${role} ${name}: MISSING`;
  const flags: string[] = ['present'];
  if (device.owned !== undefined) flags.push(device.owned ? 'owned' : 'not owned');
  if (device.up !== undefined) flags.push(device.up ? 'up' : 'DOWN');
  if (device.mtu !== undefined) flags.push(`mtu ${cell(device.mtu)}`);
  for (const key of ['vni', 'local', 'dstport', 'master', 'table', 'mac'])
    if (device[key] !== undefined) flags.push(`${key} ${cell(device[key])}`);
  if (typeof device.learning === 'boolean') flags.push(`learning ${device.learning ? 'on' : 'off'}`);
  if (typeof device.neighSuppress === 'boolean') flags.push(`neigh_suppress ${device.neighSuppress ? 'on' : 'off'}`);
  return `  ${role} ${name}: ${flags.join(', ')}`;
}

function macSection(macs: Obj): string {
  const entries = arr(macs.entries).map(obj);
  const title = `MAC table (${cell(macs.local)} local, ${cell(macs.remote)} remote):`;
  if (entries.length === 0) return `${title}\n  (no entries)`;
  const rows = entries.map((m) => [
    cell(m.mac),
    cell(m.type),
    cell(m.type === 'remote' ? (m.remoteVtep ?? m.interface) : (m.interface ?? m.remoteVtep)),
  ]);
  return `${title}\n${renderTable(['MAC', 'TYPE', 'INTERFACE/REMOTE VTEP'], rows, '  ')}`;
}

function arpNdSection(entries: Obj[]): string {
  if (entries.length === 0) return 'ARP/ND entries:\n  (no entries)';
  const rows = entries.map((e) => [cell(e.ip), cell(e.mac), cell(e.type), cell(e.remoteVtep)]);
  return `ARP/ND entries (${entries.length}):\n${renderTable(['IP', 'MAC', 'TYPE', 'REMOTE VTEP'], rows, '  ')}`;
}

export function networkSections(status: Obj): string[] {
  const devices = obj(status.devices);
  const frr = obj(status.frr);
  const ports = arr(status.ports)
    .map(obj)
    .map((p) => [cell(p.name), cell(p.present), cell(p.attached)]);
  return [
    renderFields([
      ['VNI', cell(status.vni)],
      ['On this node', cell(status.onThisNode)],
    ]),
    `Devices:\n${deviceLine('bridge', obj(devices.bridge))}\n${deviceLine('vxlan', obj(devices.vxlan))}`,
    ports.length === 0 ? 'Ports: (none)' : `Ports:\n${renderTable(['NAME', 'PRESENT', 'ATTACHED'], ports, '  ')}`,
    `FRR:\n${renderFields(
      [
        ['Known VNI', cell(frr.known)],
        ['VXLAN interface', cell(frr.vxlanIf)],
        ['Remote VTEPs', list(frr.remoteVteps)],
        ['MACs', cell(frr.numMacs)],
        ['ARP/ND', cell(frr.numArpNd)],
      ],
      '  ',
    )}`,
    macSection(obj(status.macs)),
    arpNdSection(arr(status.arpNd).map(obj)),
    ...(status.gateway !== undefined ? [gatewaySection(obj(status.gateway), status.vrf)] : []),
  ];
}

function gatewaySection(gw: Obj, vrf: unknown): string {
  const svi = obj(gw.svi);
  const addresses = arr(svi.addresses)
    .map(obj)
    .map((a) => `${cell(a.address)}${a.present === false ? ' (MISSING)' : ''}`);
  const flags =
    svi.present === false
      ? 'MISSING'
      : [
          svi.inVrf ? `in VRF ${cell(vrf)}` : `NOT in VRF ${cell(vrf)}`,
          `mac ${cell(svi.mac)}${svi.macAsDesired === false ? ` (want ${cell(gw.mac)})` : ''}`,
        ].join(', ');
  return `Anycast gateway:
${renderFields(
  [
    ['IPv4', cells(gw.ipv4)],
    ['IPv6', cells(gw.ipv6)],
    ['MAC', cell(gw.mac)],
    [`SVI ${cell(svi.name)}`, flags],
    ['Addresses', addresses.length ? addresses.join(', ') : '-'],
  ],
  '  ',
)}`;
}
