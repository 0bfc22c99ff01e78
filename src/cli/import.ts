// `import pve-sdn`: read a Proxmox VE node's SDN files, print one fabric file
// for the cluster (stdout) and what could not be mapped exactly (stderr).
// The mapping is pure (src/import/); this file only reads and prints.
import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { parseInterfaces, parseMembers, parseRunningConfig } from '../import/pve-input.ts';
import { formatNote } from '../import/pve-report.ts';
import { importPveSdn } from '../import/pve-sdn.ts';
import { formatIssue } from '../resources/error-codes.ts';
import { checkCandidate } from '../store/candidate.ts';
import type { Context } from './context.ts';
import { renderData } from './output.ts';
import { EXIT_FAILED, EXIT_OK, FailedError, UsageError } from './usage.ts';

export const PVE_PATHS = {
  runningConfig: '/etc/pve/sdn/.running-config',
  members: '/etc/pve/.members',
  interfaces: '/etc/network/interfaces',
  frrLocal: '/etc/frr/frr.conf.local',
};

// A file named on the command line must be there; a default path may be
// missing (a node without frr.conf.local), but the running config may not.
async function readOptional(
  path: string | undefined,
  fallback: string,
  required: boolean,
): Promise<string | undefined> {
  const file = path ?? fallback;
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' && path === undefined && !required) return undefined;
    throw new FailedError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
}

export function parseNodeMap(text: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of (text ?? '').split(',').filter(Boolean)) {
    const m = /^([^=\s]+)=([^=\s]+)$/.exec(pair.trim());
    if (!m) throw new UsageError(`--node-map takes NAME=IP,NAME=IP..., got "${pair}"`);
    map.set(m[2] as string, m[1] as string);
  }
  return map;
}

export async function importVerb(ctx: Context): Promise<number> {
  const [what] = ctx.args;
  if (what !== 'pve-sdn') throw new UsageError(`import knows pve-sdn only, got "${what}"`);
  if (ctx.output === 'table') ctx.output = 'yaml';
  const f = ctx.flags.pve;
  const nodeMap = parseNodeMap(f.nodeMap);
  const configText = await readOptional(f.runningConfig, PVE_PATHS.runningConfig, true);
  const membersText = await readOptional(f.members, PVE_PATHS.members, false);
  const interfacesText = await readOptional(f.interfaces, PVE_PATHS.interfaces, false);
  const frrLocal = await readOptional(f.frrLocal, PVE_PATHS.frrLocal, false);
  const result = importPveSdn({
    config: parseRunningConfig(configText ?? '', f.runningConfig ?? PVE_PATHS.runningConfig),
    ...(membersText ? { members: parseMembers(membersText, f.members ?? PVE_PATHS.members) } : {}),
    ...(interfacesText !== undefined ? { interfaces: parseInterfaces(interfacesText) } : {}),
    ...(frrLocal !== undefined ? { frrLocal } : {}),
    ...(f.node ? { node: f.node } : {}),
    nodeMap,
  });
  const yaml = result.resources.map((r) => stringify(r, { lineWidth: 0 })).join('---\n');
  const check = result.resources.length > 0 ? checkCandidate(yaml, [], true) : undefined;
  if (ctx.output === 'json') ctx.io.out(renderData({ resources: result.resources, notes: result.notes }, 'json'));
  else if (yaml) ctx.io.out(`# imported from Proxmox VE SDN by evpnctl import pve-sdn\n${yaml}`);
  for (const n of result.notes) ctx.io.err(formatNote(n));
  if (result.resources.length === 0) {
    ctx.io.err('nothing imported: no EVPN controller');
    return EXIT_FAILED;
  }
  if (check && !check.ok) {
    ctx.io.err(check.issues.map(formatIssue).join('\n'));
    ctx.io.err(
      `the imported file does not validate (${check.issueCount} problem${check.issueCount === 1 ? '' : 's'}): edit it before applying`,
    );
    return EXIT_FAILED;
  }
  return EXIT_OK;
}
