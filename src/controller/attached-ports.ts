// The ports and uplinks the daemon enslaved itself, kept across restarts in
// <state-dir>/attached-ports.json: only these are ever detached again.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlannedPort } from '../render/devices.ts';
import { atomicWrite } from '../store/atomic-write.ts';

export class AttachedPortsFile {
  private readonly file: string;

  constructor(stateDir: string) {
    this.file = join(stateDir, 'attached-ports.json');
  }

  // A missing or unreadable file means no port is ours.
  async read(): Promise<PlannedPort[]> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as PlannedPort[];
    } catch {
      return [];
    }
  }

  async write(ports: PlannedPort[]): Promise<void> {
    await atomicWrite(this.file, `${JSON.stringify(ports)}\n`);
  }
}
