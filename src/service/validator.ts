// Parsing and validating an apply runs in a worker thread: a large or hostile
// file costs the worker time and memory, never the API's event loop (status
// keeps answering). The worker's heap and each check's time are capped; a
// check over either is refused as LIMIT_EXCEEDED and the worker replaced.
import { Worker } from 'node:worker_threads';
import { CodedError } from '../resources/error-codes.ts';
import { LIMITS } from '../resources/limits.ts';
import type { Resource } from '../resources/schema.ts';
import type { CandidateCheck, SetCheck } from '../store/candidate.ts';
import type { ValidationAnswer, ValidationRequest } from './validator-protocol.ts';

// Built (dist/*.js): the worker's own .js. From sources under tsx: a bootstrap
// that registers tsx in the worker first (workers do not inherit loaders).
const ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./validator-worker.mjs', import.meta.url)
  : new URL('./validator-worker.js', import.meta.url);

interface Pending {
  resolve: (value: CandidateCheck | SetCheck) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class Validator {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly limits = { heapMiB: LIMITS.validatorHeapMiB, timeoutMs: LIMITS.validatorTimeoutMs }) {}

  candidate(text: string, current: Resource[], replace: boolean): Promise<CandidateCheck> {
    return this.request({ op: 'candidate', text, current, replace }) as Promise<CandidateCheck>;
  }

  set(next: Resource[]): Promise<SetCheck> {
    return this.request({ op: 'set', next });
  }

  stored(text: string): Promise<SetCheck> {
    return this.request({ op: 'stored', text });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  // One check at a time: a second waits for the first.
  private request(req: ValidationRequest): Promise<CandidateCheck | SetCheck> {
    const next = this.chain.then(() => this.send(req));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private send(req: ValidationRequest): Promise<CandidateCheck | SetCheck> {
    const worker = this.spawn();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(
          new CodedError(
            'LIMIT_EXCEEDED',
            `validating the input took longer than ${this.limits.timeoutMs / 1000} s; it was stopped and nothing was changed`,
          ),
        );
      }, this.limits.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, req });
    });
  }

  private spawn(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(ENTRY, { resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMiB } });
    worker.on('message', (answer: ValidationAnswer) => {
      const p = this.pending.get(answer.id);
      if (!p) return;
      this.pending.delete(answer.id);
      clearTimeout(p.timer);
      if ('error' in answer) p.reject(new Error(`validation failed unexpectedly: ${answer.error}`));
      else p.resolve(answer.result);
    });
    worker.on('error', (err: Error & { code?: string }) => {
      this.fail(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new CodedError(
              'LIMIT_EXCEEDED',
              `validating the input needed more than the validator's ${this.limits.heapMiB} MiB of memory; nothing was changed (see the input limits in docs/operations.md)`,
            )
          : new Error(`the validation worker failed: ${err.message}`),
      );
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.fail(new Error(`the validation worker exited with code ${code}`));
    });
    worker.unref(); // after the listeners (a 'message' listener refs it): an idle validator never keeps the process alive
    this.worker = worker;
    return worker;
  }

  // Rejects what is in flight and drops the worker; the next check starts a new one.
  private fail(err: Error): void {
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(err);
    }
  }
}
