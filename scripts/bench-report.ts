// The bench's output: the figure table, the per-step process list, one JSON
// line with every figure, and one markdown row per run (`bench-row:`) that
// scripts/bench-matrix.sh collects to put runs side by side.
import { cpus, release } from 'node:os';
import type { Args } from './bench-world.ts';
import { onVm } from './bench-world.ts';

export interface Row {
  figure: string;
  ms: number | string;
  spawns?: number;
  notes?: string;
}

// Everything the steps report into; printed as a table and one JSON line.
export interface Report {
  rows: Row[];
  figures: Record<string, unknown>;
  spawns: Record<string, unknown>;
  problems: string[]; // make the exit code non-zero
  warnings: string[]; // reported only
}

// Where the bench ran: `host` or `vm` (the lab VM, LAB_SUBSTRATE=vm) and the kernel.
export function substrate(): string {
  return `${onVm() ? 'vm' : 'host'} ${release().replace(/-amd64$|-fc-.*$/, '')}`;
}

export function report(args: Args, r: Report): number {
  printReport(args, r.rows, r.spawns);
  console.log(JSON.stringify({ ...r.figures, spawns: r.spawns }));
  console.log(`bench-header: ${TABLE_HEADER}`);
  console.log(`bench-row: ${tableRow(r.figures)}`);
  for (const w of r.warnings) console.error(`bench: warning: ${w}`);
  for (const p of r.problems) console.error(`bench: ${p}`);
  return r.problems.length > 0 ? 1 : 0;
}

// One markdown table row per run, for scripts/bench-matrix.sh to collect.
export const TABLE_COLUMNS = [
  'substrate',
  'FRR',
  'device',
  'VNIs',
  'reps',
  'first reconcile ms',
  'kernel apply ms',
  'zebra all VNIs ms',
  'bgpd all VNIs ms',
  'no-op ms',
  'no-op FRR cmds',
  'no-op kernel writes',
] as const;
const TABLE_HEADER = `| ${TABLE_COLUMNS.join(' | ')} |`;

function tableRow(f: Record<string, unknown>): string {
  const v = (key: string) => (f[key] === undefined ? '-' : String(f[key]));
  const all = (key: string, count: string) =>
    f[key] === null ? `never (${v(count)}/${v('vnis')})` : f[key] === undefined ? '-' : String(f[key]);
  const cells = [
    v('substrate'),
    v('frr_version'),
    v('vxlan_device'),
    v('vnis'),
    v('reps'),
    f.refused ? `refused (${f.refused})` : v('first_reconcile_ms'),
    v('kernel_apply_ms'),
    all('zebra_all_vnis_ms', 'frr_zebra_l2vnis'),
    all('bgpd_all_vnis_ms', 'frr_bgpd_l2vnis'),
    v('noop_reconcile_ms'),
    v('noop_reconcile_frr_commands'),
    v('noop_reconcile_kernel_writes'),
  ];
  return `| ${cells.join(' | ')} |`;
}

function printReport(args: Args, rows: Row[], spawns: Record<string, unknown>): void {
  const w = Math.max(...rows.map((r) => r.figure.length));
  console.log(
    `routerd-evpn bench: ${args.vnis} L2VNIs on one node, FRR ${args.frr}, vxlanDevice ${args.device}, ${substrate()}, ${cpus().length} cores, median of ${args.reps} (validate/render: ${Math.max(args.reps, 5)})`,
  );
  console.log(`${'figure'.padEnd(w)}  ${'ms'.padStart(9)}  ${'spawns'.padStart(6)}  notes`);
  for (const r of rows)
    console.log(
      `${r.figure.padEnd(w)}  ${String(r.ms).padStart(9)}  ${(r.spawns === undefined ? '' : String(r.spawns)).padStart(6)}  ${r.notes ?? ''}`.trimEnd(),
    );
  console.log('processes spawned (last repetition): count, total ms');
  for (const [step, b] of Object.entries(spawns)) {
    const parts = Object.entries(b as Record<string, { count: number; ms: number }>).map(
      ([k, v]) => `${k} x${v.count} ${v.ms}ms`,
    );
    console.log(`  ${step.padEnd(16)} ${parts.join(', ')}`);
  }
}
