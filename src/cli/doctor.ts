// `doctor`: one ok/warn/FAIL line per check of the daemon, FRR, BGP sessions
// and the local tools the daemon runs. Exit 1 when any check FAILs.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { DEFAULT_FRR_RELOAD, SYSTEM_TOOLS } from '../system/tools.ts';
import { ApiError, type ControlClient, TransportError } from './client.ts';
import type { Context } from './context.ts';
import { arr, cell, type Obj, obj, renderData } from './output.ts';
import { EXIT_FAILED, EXIT_OK } from './usage.ts';

export type Level = 'ok' | 'warn' | 'FAIL';
export interface Check {
  check: string;
  level: Level;
  detail: string;
}

const REQUIRED_DAEMONS = ['zebra', 'bgpd'];

function failure(err: unknown): string {
  if (err instanceof TransportError) return err.message;
  if (err instanceof ApiError) return `HTTP ${err.statusCode}: ${err.message.split('\n')[0]}`;
  return (err as Error).message;
}

async function onPath(tool: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, tool);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

async function toolChecks(frrReload: string): Promise<Check[]> {
  const checks: Check[] = [];
  for (const tool of SYSTEM_TOOLS) {
    const found = await onPath(tool);
    checks.push({ check: `tool ${tool}`, level: found ? 'ok' : 'FAIL', detail: found ?? 'not found on PATH' });
  }
  try {
    await access(frrReload, constants.R_OK);
    checks.push({ check: 'tool frr-reload.py', level: 'ok', detail: frrReload });
  } catch {
    checks.push({
      check: 'tool frr-reload.py',
      level: 'FAIL',
      detail: `${frrReload} not found (install frr, or pass --frr-reload PATH)`,
    });
  }
  return checks;
}

// FRR, sessions and last results, all read from `describe EVPNFabric/<name>`.
export function fabricChecks(status: Obj): Check[] {
  const conditions = arr(status.conditions).map(obj);
  return [...frrChecks(status, conditions), sessionCheck(status, conditions), ...resultChecks(status)];
}

function frrChecks(status: Obj, conditions: Obj[]): Check[] {
  const frr = obj(status.frr);
  const daemons = arr(frr.daemons).map(String);
  const missing = REQUIRED_DAEMONS.filter((d) => !daemons.includes(d));
  const reachCond = conditions.find((c) => c.type === 'FRRReachable');
  const unreachable = cell(reachCond?.message ?? 'the daemon cannot reach FRR through vtysh');
  const running = `missing ${missing.join(', ')} (running: ${daemons.join(', ') || 'none'})`;
  return [
    {
      check: 'frr reachable',
      level: frr.reachable === true ? 'ok' : 'FAIL',
      detail: frr.reachable === true ? 'vtysh answers' : unreachable,
    },
    {
      check: 'frr daemons',
      level: missing.length === 0 ? 'ok' : 'FAIL',
      detail: missing.length === 0 ? daemons.join(', ') : running,
    },
  ];
}

// The daemon also counts sessions it expects but FRR does not list yet.
function sessionCheck(status: Obj, conditions: Obj[]): Check {
  const sessions = arr(obj(status.bgp).sessions).map(obj);
  const down = sessions.filter((s) => s.state !== 'Established');
  const sessionsCond = conditions.find((c) => c.type === 'SessionsEstablished');
  if (down.length === 0 && sessionsCond?.status === 'False')
    return { check: 'bgp sessions', level: 'FAIL', detail: cell(sessionsCond.message) };
  if (sessions.length === 0) return { check: 'bgp sessions', level: 'warn', detail: 'no BGP sessions' };
  if (down.length === 0)
    return { check: 'bgp sessions', level: 'ok', detail: `${sessions.length}/${sessions.length} Established` };
  const downList = down.map((s) => `${cell(s.peer)} ${cell(s.state)}`).join(', ');
  return {
    check: 'bgp sessions',
    level: 'FAIL',
    detail: `${sessions.length - down.length}/${sessions.length} Established; ${downList}`,
  };
}

function resultChecks(status: Obj): Check[] {
  const steps = [
    ['conversion', 'conversion'],
    ['frr reload', 'reload'],
    ['kernel apply', 'kernel'],
  ] as const;
  return steps.map(([name, key]) => {
    const result = obj(status[key]);
    const text = `${cell(result.result)}${typeof result.message === 'string' && result.message ? `: ${result.message}` : ''}`;
    const level: Level =
      result.result === 'Failed' ? 'FAIL' : result.result === undefined || result.result === 'Pending' ? 'warn' : 'ok';
    return { check: name, level, detail: text };
  });
}

async function daemonChecks(client: ControlClient): Promise<Check[]> {
  let body: Obj;
  try {
    body = await client.status();
  } catch (err) {
    return [{ check: 'socket', level: 'FAIL', detail: failure(err) }];
  }
  const phase = cell(obj(body.status).phase);
  const checks: Check[] = [
    { check: 'socket', level: 'ok', detail: `${client.socket} answers status` },
    {
      check: 'daemon phase',
      level:
        phase === 'Error' || phase === 'Failed'
          ? 'FAIL'
          : ['Healthy', 'Ready', 'Applied'].includes(phase)
            ? 'ok'
            : 'warn',
      detail: phase,
    },
  ];
  try {
    const name = arr((await client.get('EVPNFabric')).items).map(obj)[0]?.name;
    if (typeof name !== 'string')
      return [...checks, { check: 'fabric', level: 'warn', detail: 'no EVPNFabric applied yet' }];
    const resource = obj((await client.describe(`EVPNFabric/${name}`)).resource);
    return [
      ...checks,
      { check: 'fabric', level: 'ok', detail: `EVPNFabric/${name}` },
      ...fabricChecks(obj(resource.status)),
    ];
  } catch (err) {
    return [...checks, { check: 'fabric', level: 'FAIL', detail: failure(err) }];
  }
}

export function renderChecks(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.check.length));
  return checks.map((c) => `${c.level.padEnd(4)}  ${c.check.padEnd(width)}  ${c.detail}`).join('\n');
}

export async function doctorVerb(ctx: Context): Promise<number> {
  const checks = [
    ...(await daemonChecks(ctx.client)),
    ...(await toolChecks(ctx.flags.frrReload ?? DEFAULT_FRR_RELOAD)),
  ];
  const ok = !checks.some((c) => c.level === 'FAIL');
  ctx.io.out(ctx.output === 'table' ? renderChecks(checks) : renderData({ ok, checks }, ctx.output));
  return ok ? EXIT_OK : EXIT_FAILED;
}
