// `validate`: local, no daemon. Also home of readInput, which plan and apply share.
import { readFile } from 'node:fs/promises';
import { formatIssue } from '../resources/error-codes.ts';
import { validateYaml } from '../resources/validate.ts';
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
    throw new FailedError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
}

export async function validateVerb(ctx: Context): Promise<number> {
  const text = await readInput(ctx.flags.file, 'validate');
  const result = validateYaml(text);
  if (ctx.output !== 'table') {
    ctx.io.out(renderData({ valid: result.ok, issues: result.issues }, ctx.output));
    return result.ok ? EXIT_OK : EXIT_FAILED;
  }
  if (result.ok) {
    ctx.io.out(`valid: ${result.resources.length} resource${result.resources.length === 1 ? '' : 's'}`);
    return EXIT_OK;
  }
  ctx.io.out(result.issues.map(formatIssue).join('\n'));
  ctx.io.err(`invalid: ${result.issues.length} problem${result.issues.length === 1 ? '' : 's'}`);
  return EXIT_FAILED;
}
