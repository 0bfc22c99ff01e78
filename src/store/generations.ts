// The generation ledger: every accepted apply is stored as generation N with
// its full YAML (gen-<N>.yaml) plus an index, both written atomically.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite, removeTornWrites } from './atomic-write.ts';

export interface GenerationRecord {
  generation: number;
  startedAt: string;
  finishedAt?: string;
  configHash: string;
  phase: string;
  reason: string; // apply | delete | rollback
  hasYaml: boolean;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export class GenerationStore {
  private records: GenerationRecord[] = [];
  constructor(private readonly dir: string) {}

  private indexPath(): string {
    return join(this.dir, 'generations.json');
  }

  private yamlPath(n: number): string {
    return join(this.dir, `gen-${String(n).padStart(6, '0')}.yaml`);
  }

  // Returns the temp files of writes a kill interrupted, which it removes.
  async load(): Promise<string[]> {
    const torn = await removeTornWrites(this.dir);
    try {
      const parsed: unknown = JSON.parse(await readFile(this.indexPath(), 'utf8'));
      this.records = Array.isArray(parsed) ? (parsed as GenerationRecord[]) : [];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.records = [];
    }
    return torn;
  }

  list(): GenerationRecord[] {
    return [...this.records];
  }

  latest(): GenerationRecord | undefined {
    return this.records[this.records.length - 1];
  }

  get(n: number): GenerationRecord | undefined {
    return this.records.find((r) => r.generation === n);
  }

  async readYaml(n: number): Promise<string> {
    return readFile(this.yamlPath(n), 'utf8');
  }

  // The YAML is made durable before the index names it.
  async append(yaml: string, reason: string): Promise<GenerationRecord> {
    const generation = (this.latest()?.generation ?? 0) + 1;
    await atomicWrite(this.yamlPath(generation), yaml);
    const record: GenerationRecord = {
      generation,
      startedAt: new Date().toISOString(),
      configHash: sha256(yaml),
      phase: 'Pending',
      reason,
      hasYaml: true,
    };
    this.records.push(record);
    await this.saveIndex();
    return record;
  }

  async finish(n: number, phase: string): Promise<void> {
    const record = this.get(n);
    if (!record || (record.phase === phase && record.finishedAt)) return;
    record.phase = phase;
    record.finishedAt = new Date().toISOString();
    await this.saveIndex();
  }

  private async saveIndex(): Promise<void> {
    await atomicWrite(this.indexPath(), `${JSON.stringify(this.records, null, 2)}\n`);
  }
}
