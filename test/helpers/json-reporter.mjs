// A node:test reporter that writes one JSON line per finished test to
// $LAB_RESULTS_DIR/test-results.jsonl, so a run inside the lab VM can hand its
// results to the host's test run (test/integration/vrf-suite.test.ts).
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

export default async function* jsonReporter(source) {
  const dir = process.env.LAB_RESULTS_DIR;
  const file = dir ? join(dir, 'test-results.jsonl') : undefined;
  for await (const event of source) {
    if (!file || (event.type !== 'test:pass' && event.type !== 'test:fail')) continue;
    const { name, nesting, file: testFile, details } = event.data;
    const err = details?.error;
    const cause = err?.cause ?? err;
    const line = {
      name,
      nesting,
      file: testFile,
      ok: event.type === 'test:pass',
      skip: event.data.skip !== undefined && event.data.skip !== false,
      todo: typeof event.data.todo === 'string' ? event.data.todo : event.data.todo === true ? 'todo' : undefined,
      durationMs: details?.duration_ms,
      error: event.type === 'test:fail' ? String(cause?.stack ?? cause?.message ?? err?.message ?? err) : undefined,
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }
  yield '';
}
