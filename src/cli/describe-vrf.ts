// `describe EVPNVRF/x` sections: the VRF device and table, the L3VNI as zebra
// reports it (state, router MAC), remote router MACs, next hops, type-5
// prefixes imported and originated, the VRF's kernel routes, the exit and
// its SNAT.
import { deviceLine, list } from './describe-format.ts';
import { arr, cell, type Obj, obj, renderFields, renderTable } from './output.ts';

function table(title: string, headers: string[], rows: string[][]): string {
  if (rows.length === 0) return `${title} (0):\n  (none)`;
  return `${title} (${rows.length}):\n${renderTable(headers, rows, '  ')}`;
}

function l3vniSection(l3: Obj): string {
  const devices = obj(l3.devices);
  const rmac = `${cell(l3.routerMac)}${l3.desiredRouterMac !== undefined && l3.routerMac !== l3.desiredRouterMac ? ` (want ${cell(l3.desiredRouterMac)})` : ''}`;
  return `L3VNI:\n${renderFields(
    [
      ['VNI', cell(l3.vni)],
      ['State', cell(l3.state)],
      ['Router MAC', rmac],
      ['VXLAN interface', cell(l3.vxlanIntf)],
      ['SVI', cell(l3.sviIntf)],
    ],
    '  ',
  )}${deviceLine('bridge', obj(devices.bridge))}\n${deviceLine('vxlan', obj(devices.vxlan))}`;
}

function routeVia(r: Obj): string {
  const hops = arr(r.nexthops).map(obj);
  if (hops.length > 0)
    return hops.map((h) => `${cell(h.gateway)}${h.dev !== undefined ? ` dev ${cell(h.dev)}` : ''}`).join(', ');
  return cell(r.via);
}

function exitSection(exit: Obj): string {
  const lr = exit.localRouting === undefined ? undefined : obj(exit.localRouting);
  const veth = (e: Obj) => `${cell(e.name)}${e.present === false ? ' (MISSING)' : e.up === false ? ' (DOWN)' : ''}`;
  const routing = lr
    ? `host (no uplink), local: veth ${veth(obj(lr.hostEnd))} <-> ${veth(obj(lr.vrfEnd))}, routes ${list(
        arr(lr.routes)
          .map(obj)
          .map((r) => `${cell(r.dst)}${r.present === false ? ' (MISSING)' : ''}`),
      )}`
    : `host (no uplink): leaked into the main table (${list(exit.leakedFamilies)})`;
  if (exit.hostRouting === true)
    return `Exit:\n${renderFields(
      [
        ['Primary', cell(exit.primary)],
        ['Routing', routing],
        ['Leaked routes', list(arr(exit.leakedRoutes).map(cell))],
        ['Originates default', list(exit.originateDefault)],
      ],
      '  ',
    )}`;
  const uplink = obj(exit.uplink);
  const up =
    uplink.present === false
      ? 'MISSING'
      : `${uplink.inVrf ? 'in the VRF' : 'NOT in the VRF'}, ${uplink.up ? 'up' : 'DOWN'}`;
  const addresses = arr(exit.addresses)
    .map(obj)
    .map((a) => `${cell(a.address)}${a.present === false ? ' (MISSING)' : ''}`);
  const defaults = arr(exit.defaultRoutes)
    .map(obj)
    .map((d) => `${cell(d.family)} via ${cell(d.nextHop)}${d.present === false ? ' (MISSING)' : ''}`);
  return `Exit:\n${renderFields(
    [
      ['Primary', cell(exit.primary)],
      [`Uplink ${cell(uplink.name)}`, up],
      ['Addresses', addresses.length ? addresses.join(', ') : '-'],
      ['Default routes', defaults.length ? defaults.join(', ') : '-'],
      ['Originates default', list(exit.originateDefault)],
    ],
    '  ',
  )}`;
}

export function vrfSections(status: Obj): string[] {
  const sections = [
    renderFields([
      ['On this node', cell(status.onThisNode)],
      ['IRB', cell(status.irb)],
      ['Networks', list(status.networks)],
    ]),
  ];
  if (status.onThisNode === false) return sections;
  const vrf = obj(status.vrf);
  sections.push(
    `VRF:\n${renderFields(
      [
        ['Name', cell(vrf.name)],
        ['Table', cell(vrf.table)],
      ],
      '  ',
    )}${deviceLine('vrf', obj(vrf.device))}`,
  );
  if (status.l3vni !== undefined) sections.push(...l3vniSections(status));
  sections.push(...type5Sections(obj(status.type5)), routesSection(status, vrf));
  if (status.routeError !== undefined) sections.push(`Routes could not be read: ${cell(status.routeError)}`);
  if (status.exit !== undefined) sections.push(exitSection(obj(status.exit)));
  if (status.snat !== undefined)
    sections.push(
      table(
        'SNAT',
        ['SOURCE', 'NETWORK', 'OUT', 'TO'],
        arr(status.snat)
          .map(obj)
          .map((x) => [cell(x.source), cell(x.network), cell(x.interface), x.present ? cell(x.to) : 'MISSING']),
      ),
    );
  return sections;
}

function l3vniSections(status: Obj): string[] {
  const rmacs = arr(status.remoteRouterMacs).map(obj);
  const hops = arr(status.nextHops).map(obj);
  return [
    l3vniSection(obj(status.l3vni)),
    table(
      'Remote router MACs',
      ['ROUTER MAC', 'VTEP'],
      rmacs.map((m) => [cell(m.routerMac), cell(m.vtep)]),
    ),
    table(
      'Next hops',
      ['IP', 'VTEP', 'ROUTER MAC'],
      hops.map((h) => [cell(h.ip), cell(h.vtep ?? h.ip), cell(h.routerMac)]),
    ),
  ];
}

function type5Sections(type5: Obj): string[] {
  const imported = arr(type5.imported).map(obj);
  const originated = arr(type5.originated).map(obj);
  return [
    table(
      'Type-5 prefixes imported',
      ['PREFIX', 'NEXT HOP', 'ROUTER MAC', 'RD', 'BEST'],
      imported.map((r) => [cell(r.prefix), cell(r.nextHop), cell(r.routerMac), cell(r.rd), cell(r.best)]),
    ),
    table(
      'Type-5 prefixes originated',
      ['PREFIX', 'RD'],
      originated.map((r) => [cell(r.prefix), cell(r.rd)]),
    ),
  ];
}

function routesSection(status: Obj, vrf: Obj): string {
  const rows = arr(status.routes)
    .map(obj)
    .map((r) => [
      `${cell(r.dst)}${r.type !== undefined ? ` (${cell(r.type)})` : ''}`,
      routeVia(r),
      cell(r.dev),
      cell(r.protocol),
      cell(r.metric),
    ]);
  return table(`Routes in table ${cell(vrf.table)}`, ['DESTINATION', 'VIA', 'DEV', 'PROTOCOL', 'METRIC'], rows);
}
