// The verbs that change (or dry-run a change of) the desired state:
// plan, apply, delete, rollback. All go through POST apply / delete.
import type { Body } from './client.ts';
import type { Context } from './context.ts';
import { arr, cell, firstFalseMessage, type Obj, obj, renderData, renderTable } from './output.ts';
import { checkTarget, EXIT_FAILED, EXIT_OK, FailedError, UsageError } from './usage.ts';
import { readCandidate } from './validate.ts';

const FAILED_PHASES = new Set(['Failed', 'Error']);

function strings(value: unknown): string[] {
  return arr(value).filter((v): v is string => typeof v === 'string');
}

function warningLines(result: Obj): string[] {
  const own = strings(result.warnings).map((w) => `warning: ${w}`);
  const perResource = arr(result.resources)
    .map(obj)
    .flatMap((r) => strings(r.warnings).map((w) => `warning: ${cell(r.id)}: ${w}`));
  return [...perResource, ...own];
}

// Per resource its plan lines; "no changes" when every plan is empty.
export function renderPlan(result: Obj): string {
  const resources = arr(result.resources).map(obj);
  const changed = resources.filter((r) => strings(r.plan).length > 0);
  const lines: string[] = [];
  for (const r of changed) lines.push(`${cell(r.id)}:`, ...strings(r.plan).map((l) => `  ${l}`), '');
  lines.push(...warningLines(result));
  if (changed.length === 0) lines.push('no changes');
  else
    lines.push(
      `${changed.length} of ${resources.length} resource${resources.length === 1 ? '' : 's'} would change (dry run: nothing stored or applied)`,
    );
  return lines.join('\n');
}

// Generation, overall phase, and one row per resource.
export function renderApply(result: Obj): string {
  const rows = arr(result.resources)
    .map(obj)
    .map((r) => [cell(r.id), cell(r.phase), firstFalseMessage(r) || '-']);
  const head = `generation ${cell(result.generation)}: ${cell(result.phase)}`;
  const table = rows.length > 0 ? renderTable(['RESOURCE', 'PHASE', 'MESSAGE'], rows) : '(no resources)\n';
  return [head, table.trimEnd(), ...warningLines(result)].join('\n');
}

function finish(ctx: Context, body: Body, dryRun: boolean): number {
  const result = obj(body.result);
  if (ctx.output !== 'table') ctx.io.out(renderData(body, ctx.output));
  else ctx.io.out(dryRun ? renderPlan(result) : renderApply(result));
  return FAILED_PHASES.has(String(result.phase)) ? EXIT_FAILED : EXIT_OK;
}

export async function planVerb(ctx: Context): Promise<number> {
  const yaml = await readCandidate(ctx.flags.file, 'plan');
  const body = await ctx.client.apply(yaml, { replace: ctx.flags.replace, dryRun: true });
  return finish(ctx, body, true);
}

export async function applyVerb(ctx: Context): Promise<number> {
  const yaml = await readCandidate(ctx.flags.file, 'apply');
  const body = await ctx.client.apply(yaml, { replace: ctx.flags.replace, noReconcile: ctx.flags.noReconcile });
  return finish(ctx, body, false);
}

export async function deleteVerb(ctx: Context): Promise<number> {
  const target = checkTarget(ctx.args[0] ?? '', 'delete');
  const body = await ctx.client.delete(target, ctx.flags.dryRun);
  if (ctx.output !== 'table') {
    ctx.io.out(renderData(body, ctx.output));
  } else {
    const deleted = strings(body.deleted);
    const names = (deleted.length > 0 ? deleted : [target]).join(', ');
    const result = obj(body.result);
    const lines = [ctx.flags.dryRun ? `would delete ${names} (dry run)` : `deleted ${names}`];
    if (!ctx.flags.dryRun && result.generation !== undefined)
      lines.push(`generation ${cell(result.generation)}: ${cell(result.phase)}`);
    if (ctx.flags.dryRun && body.result !== undefined) lines.push(renderPlan(result));
    ctx.io.out(lines.join('\n'));
  }
  return FAILED_PHASES.has(String(obj(body.result).phase)) ? EXIT_FAILED : EXIT_OK;
}

// Default target: newest minus 1. Refuses a generation the ledger does not list.
export function pickGeneration(ledger: Obj[], to: string | undefined): number {
  const known = ledger
    .map((g) => g.generation)
    .filter((n): n is number => typeof n === 'number')
    .sort((a, b) => a - b);
  if (known.length === 0) throw new FailedError('no generations are stored yet: nothing to roll back to');
  const newest = known[known.length - 1] as number;
  let wanted: number;
  if (to === undefined) {
    wanted = newest - 1;
    if (wanted < 1) throw new FailedError(`only generation ${newest} exists: nothing to roll back to`);
  } else {
    if (!/^\d+$/.test(to) || Number(to) < 1) throw new UsageError(`--to needs a generation number, got "${to}"`);
    wanted = Number(to);
  }
  const entry = ledger.find((g) => g.generation === wanted);
  const list =
    known.length > 12 ? `${known.slice(0, 5).join(', ')}, ..., ${known.slice(-5).join(', ')}` : known.join(', ');
  if (!entry) throw new FailedError(`generation ${wanted} does not exist (stored generations: ${list})`);
  if (entry.hasYaml === false)
    throw new FailedError(`generation ${wanted} has no stored YAML and cannot be re-applied`);
  return wanted;
}

export async function rollbackVerb(ctx: Context): Promise<number> {
  const ledger = arr(obj((await ctx.client.get('generations')).ledger).generations).map(obj);
  const wanted = pickGeneration(ledger, ctx.flags.to);
  const raw = obj((await ctx.client.get(`generation/${wanted}`)).raw);
  if (typeof raw.yaml !== 'string' || raw.yaml === '')
    throw new FailedError(`the daemon returned no YAML for generation ${wanted}`);
  const body = await ctx.client.apply(raw.yaml, { replace: true, dryRun: ctx.flags.dryRun });
  if (ctx.output === 'table')
    ctx.io.out(
      ctx.flags.dryRun
        ? `rollback to generation ${wanted} (dry run):`
        : `rolled back to generation ${wanted}: new generation ${cell(obj(body.result).generation)}`,
    );
  return finish(ctx, body, ctx.flags.dryRun);
}
