// Pure parser of `ip -j -4|-6 route show table all`. iproute2 leaves out
// `table` for the main table, prints "local" by name and other tables (a VRF
// device's) by number as a string - or by name when rt_tables names them.
// Without -4/-6, `table all` dumps every family at once (so the adapter asks
// per family and says which).
import { own } from '../resources/own.ts';

export type RouteFamily = 'ipv4' | 'ipv6';

export interface RouteNextHop {
  gateway?: string;
  dev?: string;
  weight?: number;
}

export interface KernelRoute {
  family: RouteFamily;
  /** "main", "local", "1001", or a name from rt_tables. */
  table: string;
  /** The table's number when iproute2 printed one (main 254, local 255, default 253). */
  tableId?: number;
  /** "default" turned into 0.0.0.0/0 or ::/0; host routes keep no /32 or /128. */
  dst: string;
  /** unicast (iproute2 leaves it out), local, broadcast, multicast, unreachable, blackhole, ... */
  type: string;
  dev?: string;
  gateway?: string;
  /** The source address the kernel picks for the route, when it was given one. */
  prefsrc?: string;
  /** Multipath routes only. */
  nexthops?: RouteNextHop[];
  protocol: string;
  metric?: number;
  scope?: string;
  flags: string[];
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const s = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const n = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const NAMED_TABLES: Record<string, number> = { main: 254, local: 255, default: 253 };
export const MAIN_TABLE = NAMED_TABLES.main as number;
// What "default" becomes per family.
export const DEFAULT_DST = { ipv4: '0.0.0.0/0', ipv6: '::/0' } as const;

function tableOf(raw: unknown): { table: string; tableId?: number } {
  const t = typeof raw === 'number' ? String(raw) : (s(raw) ?? 'main');
  const id = /^\d+$/.test(t) ? Number(t) : own(NAMED_TABLES, t);
  return id === undefined ? { table: t } : { table: t, tableId: id };
}

function nextHops(raw: unknown): RouteNextHop[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.filter(isRec).map((h) => {
    const hop: RouteNextHop = {};
    const gateway = s(h.gateway);
    const dev = s(h.dev);
    const weight = n(h.weight);
    if (gateway !== undefined) hop.gateway = gateway;
    if (dev !== undefined) hop.dev = dev;
    if (weight !== undefined) hop.weight = weight;
    return hop;
  });
}

function parseRoute(raw: Rec, family: RouteFamily): KernelRoute | undefined {
  const dst = s(raw.dst);
  if (dst === undefined) return undefined;
  const route: KernelRoute = {
    family,
    ...tableOf(raw.table),
    dst: dst === 'default' ? DEFAULT_DST[family] : dst,
    type: s(raw.type) ?? 'unicast',
    protocol: s(raw.protocol) ?? (typeof raw.protocol === 'number' ? String(raw.protocol) : 'boot'),
    flags: Array.isArray(raw.flags) ? raw.flags.filter((f): f is string => typeof f === 'string') : [],
  };
  const dev = s(raw.dev);
  const gateway = s(raw.gateway);
  const prefsrc = s(raw.prefsrc);
  const hops = nextHops(raw.nexthops);
  const metric = n(raw.metric);
  const scope = s(raw.scope);
  if (dev !== undefined) route.dev = dev;
  if (gateway !== undefined) route.gateway = gateway;
  if (prefsrc !== undefined) route.prefsrc = prefsrc;
  if (hops) route.nexthops = hops;
  if (metric !== undefined) route.metric = metric;
  if (scope !== undefined) route.scope = scope;
  return route;
}

/** `ip -j -4|-6 route show table all`; "" or a non-array gives []. Order as the kernel dumps it. */
export function parseIpRoutes(json: string, family: RouteFamily): KernelRoute[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.trim() || '[]');
  } catch {
    throw new Error(`ip -j route (${family}): not JSON`);
  }
  if (!Array.isArray(parsed)) return [];
  return parsed
    .filter(isRec)
    .map((r) => parseRoute(r, family))
    .filter((r): r is KernelRoute => r !== undefined);
}
