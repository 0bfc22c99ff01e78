// What every verb receives: parsed flags, positionals, output format, client.
import type { ControlClient } from './client.ts';
import type { Io, OutputFormat } from './output.ts';

export interface Flags {
  file?: string;
  replace: boolean;
  noReconcile: boolean;
  dryRun: boolean;
  to?: string;
  frrReload?: string;
}

export interface Context {
  io: Io;
  output: OutputFormat;
  args: string[];
  flags: Flags;
  client: ControlClient;
}

export type Verb = (ctx: Context) => Promise<number>;
