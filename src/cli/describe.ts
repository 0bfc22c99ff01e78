// `describe Kind/name`: the DescribeResult as-is for -o json|yaml, else a
// multi-section view (kind-specific sections live in describe-format.ts).
import { stringify } from 'yaml';
import type { Context } from './context.ts';
import { fabricSections, networkSections } from './describe-format.ts';
import { vrfSections } from './describe-vrf.ts';
import { arr, cell, indentBlock, type Obj, obj, renderData, renderFields, renderTable } from './output.ts';
import { checkTarget, EXIT_OK } from './usage.ts';

function header(resource: Obj, status: Obj): string {
  const fields: Array<[string, string]> = [
    ['Name', cell(resource.name)],
    ['Kind', `${cell(resource.kind)} (${cell(resource.apiVersion)})`],
  ];
  if (status.node !== undefined) fields.push(['Node', cell(status.node)]);
  fields.push(
    ['Phase', cell(status.phase)],
    ['Observed generation', cell(status.observedGeneration)],
    ['Observed at', cell(status.observedAt)],
  );
  return renderFields(fields);
}

function conditions(status: Obj): string {
  const rows = arr(status.conditions)
    .map(obj)
    .map((c) => [cell(c.type), cell(c.status), cell(c.reason), cell(c.message), cell(c.lastTransitionTime)]);
  if (rows.length === 0) return 'Conditions: (none)\n';
  return `Conditions:\n${renderTable(['TYPE', 'STATUS', 'REASON', 'MESSAGE', 'SINCE'], rows, '  ')}`;
}

function events(resource: Obj): string {
  const rows = arr(resource.events)
    .map(obj)
    .map((e) => [cell(e.createdAt), cell(e.type), cell(e.reason), cell(e.message)]);
  return rows.length === 0 ? '' : `Events:\n${renderTable(['TIME', 'TYPE', 'REASON', 'MESSAGE'], rows, '  ')}`;
}

// Kinds without their own view: the status (minus what the header shows) as YAML.
function genericSections(status: Obj): string[] {
  const { phase: _p, conditions: _c, observedGeneration: _g, observedAt: _a, ...rest } = status;
  if (Object.keys(rest).length === 0) return [];
  return [`Status:\n${indentBlock(stringify(rest, { lineWidth: 0 }), '  ')}`];
}

export function formatDescribe(resource: Obj): string {
  const status = obj(resource.status);
  const kindSections =
    resource.kind === 'EVPNFabric'
      ? fabricSections(status)
      : resource.kind === 'EVPNNetwork'
        ? networkSections(status)
        : resource.kind === 'EVPNVRF'
          ? vrfSections(status)
          : genericSections(status);
  return [header(resource, status), conditions(status), ...kindSections, events(resource)]
    .filter((s) => s !== '')
    .map((s) => s.trimEnd())
    .join('\n\n');
}

export async function describeVerb(ctx: Context): Promise<number> {
  const target = checkTarget(ctx.args[0] ?? '', 'describe');
  const body = await ctx.client.describe(target);
  ctx.io.out(ctx.output === 'table' ? formatDescribe(obj(body.resource)) : renderData(body, ctx.output));
  return EXIT_OK;
}
