// The validation worker's side: one request at a time, answered with the
// check's result or the error's message (the daemon maps it to INTERNAL).
import { parentPort } from 'node:worker_threads';
import { runRequest, type ValidationAnswer, type ValidationRequest } from './validator-protocol.ts';

parentPort?.on('message', ({ id, req }: { id: number; req: ValidationRequest }) => {
  let answer: ValidationAnswer;
  try {
    answer = { id, result: runRequest(req) };
  } catch (err) {
    answer = { id, error: (err as Error).stack ?? String(err) };
  }
  parentPort?.postMessage(answer);
});
