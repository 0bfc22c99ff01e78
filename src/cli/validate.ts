// `validate`: local, no daemon. Also home of readInput, which plan and apply share.
import { readFile } from 'node:fs/promises';
import { formatIssue } from '../resources/error-codes.ts';
import { LIMITS, mib } from '../resources/limits.ts';
import { checkCandidate } from '../store/candidate.ts';
import type { Context } from './context.ts';
import { renderData } from './output.ts';
import { EXIT_FAILED, EXIT_OK, FailedError, UsageError } from './usage.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// The text of -f FILE, or of stdin for "-f -".
export async function readInput(file: string | undefined, verb: string): Promise<string> {
  if (file === undefined || file === '') throw new UsageError(`${verb} needs -f FILE (or -f - for stdin)`);
  if (file === '-') return readStdin();
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new FailedError(
      `cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a directory' : e.message}`,
    );
  }
}

// What plan and apply send: refused here when the daemon would refuse its size.
export async function readCandidate(file: string | undefined, verb: string): Promise<string> {
  const text = await readInput(file, verb);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > LIMITS.yamlBytes)
    throw new FailedError(
      `${file === '-' ? 'stdin' : file} is ${mib(bytes)} (${bytes} bytes); the daemon accepts at most ${mib(LIMITS.yamlBytes)} of YAML in one apply (LIMIT_EXCEEDED; split the file, see docs/operations.md#input-limits)`,
    );
  return text;
}

export async function validateVerb(ctx: Context): Promise<number> {
  const text = await readInput(ctx.flags.file, 'validate');
  // The daemon's own check of an apply with --replace onto nothing.
  const result = checkCandidate(text, [], true);
  if (ctx.output !== 'table') {
    ctx.io.out(renderData({ valid: result.ok, issueCount: result.issueCount, issues: result.issues }, ctx.output));
    return result.ok ? EXIT_OK : EXIT_FAILED;
  }
  if (result.ok) {
    ctx.io.out(`valid: ${result.resources.length} resource${result.resources.length === 1 ? '' : 's'}`);
    return EXIT_OK;
  }
  ctx.io.out(result.issues.map(formatIssue).join('\n'));
  const listed = result.issueCount > result.issues.length ? ` (the first ${result.issues.length} are listed)` : '';
  ctx.io.err(`invalid: ${result.issueCount} problem${result.issueCount === 1 ? '' : 's'}${listed}`);
  return EXIT_FAILED;
}
