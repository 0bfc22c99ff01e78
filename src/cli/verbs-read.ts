// Read-only verbs over GET get / status: get (resources, generation ledger,
// one stored generation) and status.
import type { Context } from './context.ts';
import { arr, cell, firstFalseMessage, obj, renderData, renderFields, renderTable } from './output.ts';
import { EXIT_OK } from './usage.ts';

function resourceRows(items: unknown[]): string[][] {
  return items.map(obj).map((item) => {
    const status = obj(item.status);
    return [
      cell(item.kind),
      cell(item.name),
      cell(status.phase),
      cell(status.observedGeneration),
      firstFalseMessage(status) || '-',
    ];
  });
}

function generationRows(generations: unknown[]): string[][] {
  return generations.map(obj).map((g) => {
    const hash = typeof g.configHash === 'string' ? g.configHash.slice(0, 12) : g.configHash;
    return [cell(g.generation), cell(g.startedAt), cell(g.phase), cell(hash), cell(g.hasYaml)];
  });
}

export async function getVerb(ctx: Context): Promise<number> {
  const subject = ctx.args[0] ?? 'resources';
  const body = await ctx.client.get(subject);
  if (subject === 'generations') {
    const generations = arr(obj(body.ledger).generations);
    if (ctx.output !== 'table') ctx.io.out(renderData(body.ledger ?? {}, ctx.output));
    else if (generations.length === 0) ctx.io.err('no generations stored');
    else
      ctx.io.out(renderTable(['GENERATION', 'STARTED', 'PHASE', 'CONFIG-HASH', 'YAML'], generationRows(generations)));
    return EXIT_OK;
  }
  if (subject.startsWith('generation/')) {
    const raw = obj(body.raw);
    if (ctx.output !== 'table') ctx.io.out(renderData(body.raw ?? {}, ctx.output));
    else ctx.io.out(typeof raw.yaml === 'string' ? raw.yaml : '# (no YAML stored)');
    return EXIT_OK;
  }
  const items = arr(body.items);
  if (ctx.output !== 'table') ctx.io.out(renderData(items, ctx.output));
  else if (items.length === 0) ctx.io.err('no resources found');
  else ctx.io.out(renderTable(['KIND', 'NAME', 'PHASE', 'GENERATION', 'MESSAGE'], resourceRows(items)));
  return EXIT_OK;
}

// Controllers' errors: the current one first, else the last cleared one.
function controllerRows(controllers: unknown[]): string[][] {
  return controllers.map(obj).map((c) => {
    const last =
      typeof c.lastError === 'string' && c.lastError !== ''
        ? `${c.lastError}${c.lastErrorTime ? ` (at ${cell(c.lastErrorTime)})` : ''}`
        : '-';
    return [cell(c.name), cell(c.mode), c.currentError === true ? 'failing' : 'ok', cell(c.reconcileCount), last];
  });
}

export async function statusVerb(ctx: Context): Promise<number> {
  const body = await ctx.client.status();
  if (ctx.output !== 'table') {
    ctx.io.out(renderData(body, ctx.output));
    return EXIT_OK;
  }
  const status = obj(body.status);
  const parts = [
    renderFields([
      ['Daemon', cell(obj(body.metadata).name)],
      ['Phase', cell(status.phase)],
      ['Generation', cell(status.generation)],
      ['Resources', cell(status.resourceCount)],
      ['Last apply', cell(status.lastApplyTime)],
    ]),
  ];
  const controllers = arr(status.controllers);
  if (controllers.length > 0)
    parts.push(
      `Controllers:\n${renderTable(['NAME', 'MODE', 'STATE', 'RECONCILES', 'LAST ERROR'], controllerRows(controllers), '  ')}`,
    );
  const issues = arr(status.resourcePhaseIssues).map(obj);
  if (issues.length > 0) {
    const rows = issues.map((i) => [`${cell(i.kind)}/${cell(i.name)}`, cell(i.phase), cell(i.reason), cell(i.message)]);
    parts.push(`Resource issues:\n${renderTable(['RESOURCE', 'PHASE', 'REASON', 'MESSAGE'], rows, '  ')}`);
  }
  ctx.io.out(parts.join('\n'));
  return EXIT_OK;
}
