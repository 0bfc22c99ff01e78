// Rendering shared by every verb: -o table|json|yaml, aligned tables, and
// tolerant readers for API bodies (the daemon may add or omit fields).
import { stringify } from 'yaml';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

// The machine formats; table output is each verb's own business.
export function renderData(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value, { lineWidth: 0 });
}

// Columns padded to the widest cell, three spaces apart, like kubectl.
export function renderTable(headers: string[], rows: string[][], indent = ''): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    indent +
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}

// "Key:   value" lines with the values aligned.
export function renderFields(fields: Array<[string, string]>, indent = ''): string {
  const width = Math.max(0, ...fields.map(([k]) => k.length + 1));
  return `${fields.map(([k, v]) => `${indent}${`${k}:`.padEnd(width)}  ${v}`.trimEnd()).join('\n')}\n`;
}

export type Obj = Record<string, unknown>;

export function obj(value: unknown): Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : {};
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

// A cell for a scalar: '-' when absent, yes/no for booleans.
export function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// A cell for a scalar or a list of them: the items joined by ", ".
export function cells(value: unknown): string {
  return Array.isArray(value) ? value.map(cell).join(', ') || '-' : cell(value);
}

// FRR-like uptime: 45s, 12m05s, 3h04m, 2d03h.
export function formatDuration(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return '-';
  const s = Math.floor(ms / 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d${two(Math.floor((s % 86_400) / 3600))}h`;
}

// The first condition with status "False": the one that explains a bad phase.
export function firstFalseMessage(status: Obj): string {
  const bad = arr(status.conditions)
    .map(obj)
    .find((c) => c.status === 'False');
  if (!bad) return '';
  return typeof bad.message === 'string' && bad.message !== '' ? bad.message : cell(bad.reason);
}

export function indentBlock(text: string, indent: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : indent + l))
    .join('\n');
}
