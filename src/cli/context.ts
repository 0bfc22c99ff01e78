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
  pve: PveFlags; // import pve-sdn
}

// Where `import pve-sdn` reads a Proxmox node's files (undefined: the real paths).
export interface PveFlags {
  runningConfig?: string;
  members?: string;
  interfaces?: string;
  frrLocal?: string;
  node?: string;
  nodeMap?: string;
}

export interface Context {
  io: Io;
  output: OutputFormat;
  args: string[];
  flags: Flags;
  client: ControlClient;
}

export type Verb = (ctx: Context) => Promise<number>;
