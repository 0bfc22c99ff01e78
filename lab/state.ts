// Where a lab keeps its runtime state, and the pids.json record that lets
// `down` stop exactly the processes `up` started.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { RecordedProcess } from './processes.ts';
import type { Topology } from './topology.ts';

export const LAB_BASE_DIR = '/run/routerd-evpn-lab';
const MAX_SOCKET_PATH_BYTES = 107;

export interface LabPaths {
  dir: string;
  pidsFile: string;
  socket(node: string): string;
  stateDir(node: string): string;
  log(node: string): string;
}

export function labPaths(topology: Pick<Topology, 'name'>, baseDir = LAB_BASE_DIR): LabPaths {
  const dir = `${baseDir}/${topology.name}`;
  return {
    dir,
    pidsFile: `${dir}/pids.json`,
    socket: (node) => `${dir}/${node}.sock`,
    stateDir: (node) => `${dir}/${node}-state`,
    log: (node) => `${dir}/${node}.log`,
  };
}

// Why: a Unix socket path longer than sun_path (108 bytes with NUL) cannot be bound.
export function socketPathProblems(paths: LabPaths, nodes: string[]): string[] {
  return nodes
    .map((node) => paths.socket(node))
    .filter((p) => Buffer.byteLength(p) > MAX_SOCKET_PATH_BYTES)
    .map((p) => `socket path ${p} is longer than ${MAX_SOCKET_PATH_BYTES} bytes; use shorter lab or node names`);
}

export interface LabState {
  lab: string;
  topologyFile: string;
  startedAt: string;
  processes: RecordedProcess[];
}

export function readState(paths: LabPaths): LabState | undefined {
  if (!existsSync(paths.pidsFile)) return undefined;
  try {
    return JSON.parse(readFileSync(paths.pidsFile, 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

// Written after every process start (atomic rename), so a crash mid-`up` still leaves a usable record.
export function writeState(paths: LabPaths, state: LabState): void {
  const tmp = `${paths.pidsFile}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, paths.pidsFile);
}
