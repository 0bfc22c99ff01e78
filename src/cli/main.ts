// evpnctl entry: parse the command line, dispatch to a verb, map failures to
// exit codes (see usage.ts). Run directly or through bin/evpnctl.js.
import { parseArgs } from 'node:util';
import { DEFAULT_SOCKET } from '../api/paths.ts';
import { own } from '../resources/own.ts';
import { ApiError, ControlClient, DEFAULT_TIMEOUT_MS, TransportError } from './client.ts';
import type { Context, Verb } from './context.ts';
import { describeVerb } from './describe.ts';
import { doctorVerb } from './doctor.ts';
import { importVerb } from './import.ts';
import { type Io, OUTPUT_FORMATS, type OutputFormat, processIo } from './output.ts';
import {
  EXIT_FAILED,
  EXIT_OK,
  EXIT_TRANSPORT,
  EXIT_USAGE,
  FailedError,
  UsageError,
  usage,
  VERB_USAGE,
} from './usage.ts';
import { validateVerb } from './validate.ts';
import { getVerb, statusVerb } from './verbs-read.ts';
import { applyVerb, deleteVerb, planVerb, rollbackVerb } from './verbs-write.ts';

const OPTIONS = {
  socket: { type: 'string' },
  timeout: { type: 'string' },
  output: { type: 'string', short: 'o' },
  file: { type: 'string', short: 'f' },
  replace: { type: 'boolean' },
  'no-reconcile': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  to: { type: 'string' },
  'frr-reload': { type: 'string' },
  'running-config': { type: 'string' },
  members: { type: 'string' },
  interfaces: { type: 'string' },
  'frr-local': { type: 'string' },
  node: { type: 'string' },
  'node-map': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;
const GLOBAL: OptionName[] = ['socket', 'timeout', 'output', 'help'];

// Per verb: the implementation, the options it accepts beyond the global ones, and its positional count.
const VERBS: Record<string, { run: Verb; options: OptionName[]; min: number; max: number }> = {
  validate: { run: validateVerb, options: ['file'], min: 0, max: 0 },
  plan: { run: planVerb, options: ['file', 'replace'], min: 0, max: 0 },
  apply: { run: applyVerb, options: ['file', 'replace', 'no-reconcile'], min: 0, max: 0 },
  delete: { run: deleteVerb, options: ['dry-run'], min: 1, max: 1 },
  get: { run: getVerb, options: [], min: 0, max: 1 },
  describe: { run: describeVerb, options: [], min: 1, max: 1 },
  rollback: { run: rollbackVerb, options: ['to', 'dry-run'], min: 0, max: 0 },
  status: { run: statusVerb, options: [], min: 0, max: 0 },
  doctor: { run: doctorVerb, options: ['frr-reload'], min: 0, max: 0 },
  import: {
    run: importVerb,
    options: ['running-config', 'members', 'interfaces', 'frr-local', 'node', 'node-map'],
    min: 1,
    max: 1,
  },
};

function parse(argv: string[]): {
  verb?: string;
  args: string[];
  values: Partial<Record<OptionName, string | boolean>>;
} {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    const [verb, ...args] = positionals;
    return { verb, args, values: values as Partial<Record<OptionName, string | boolean>> };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function buildContext(
  verb: string,
  args: string[],
  values: Partial<Record<OptionName, string | boolean>>,
  io: Io,
): Context {
  const spec = own(VERBS, verb);
  if (!spec) throw new UsageError(`unknown verb "${verb}" (verbs: ${Object.keys(VERBS).join(', ')})`);
  for (const name of Object.keys(values) as OptionName[]) {
    if (!GLOBAL.includes(name) && !spec.options.includes(name)) throw new UsageError(`${verb} does not take --${name}`);
  }
  if (args.length < spec.min || args.length > spec.max) {
    throw new UsageError(
      `${verb} takes ${spec.min === spec.max ? spec.min : `${spec.min} to ${spec.max}`} argument(s), got ${args.length}: ${args.join(' ') || '(none)'}`,
    );
  }
  const output = (values.output ?? 'table') as OutputFormat;
  if (!OUTPUT_FORMATS.includes(output))
    throw new UsageError(`-o must be one of ${OUTPUT_FORMATS.join(', ')}, got "${output}"`);
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (values.timeout !== undefined) {
    const seconds = Number(values.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new UsageError(`--timeout must be a positive number of seconds, got "${values.timeout}"`);
    timeoutMs = seconds * 1000;
  }
  const socket = (values.socket as string | undefined) ?? (process.env.EVPNCTL_SOCKET || DEFAULT_SOCKET);
  return {
    io,
    output,
    args,
    client: new ControlClient(socket, timeoutMs),
    flags: {
      file: values.file as string | undefined,
      replace: values.replace === true,
      noReconcile: values['no-reconcile'] === true,
      dryRun: values['dry-run'] === true,
      to: values.to as string | undefined,
      frrReload: values['frr-reload'] as string | undefined,
      pve: {
        runningConfig: values['running-config'] as string | undefined,
        members: values.members as string | undefined,
        interfaces: values.interfaces as string | undefined,
        frrLocal: values['frr-local'] as string | undefined,
        node: values.node as string | undefined,
        nodeMap: values['node-map'] as string | undefined,
      },
    },
  };
}

// Runs one command line and returns its exit code; never throws.
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    const { verb, args, values } = parse(argv);
    if (verb === 'help' || (values.help && (verb === undefined || own(VERB_USAGE, verb) !== undefined))) {
      io.out(usage(verb === 'help' ? args[0] : verb));
      return EXIT_OK;
    }
    if (verb === undefined) throw new UsageError('no verb given');
    const ctx = buildContext(verb, args, values, io);
    const handler = own(VERBS, verb);
    if (!handler) throw new UsageError(`unknown verb "${verb}"`);
    return await handler.run(ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      const verb = argv.find((a) => own(VERB_USAGE, a) !== undefined);
      io.err(`evpnctl: ${err.message}\n${verb ? usage(verb) : ''}run "evpnctl help" for every verb`);
      return EXIT_USAGE;
    }
    if (err instanceof TransportError) {
      io.err(`evpnctl: ${err.message}`);
      return EXIT_TRANSPORT;
    }
    if (err instanceof FailedError) {
      io.err(`evpnctl: ${err.message}`);
      return EXIT_FAILED;
    }
    if (err instanceof ApiError) {
      io.err(`evpnctl: ${err.method} ${err.path.split('?')[0]} failed with HTTP ${err.statusCode}:\n${err.message}`);
      return EXIT_FAILED;
    }
    // A bug, not a user error: one line, the stack only on request.
    const detail = process.env.EVPNCTL_DEBUG
      ? `\n${(err as Error).stack ?? ''}`
      : ' (set EVPNCTL_DEBUG=1 for the stack trace)';
    io.err(`evpnctl: internal error: ${(err as Error).message ?? String(err)}${detail}`);
    return EXIT_FAILED;
  }
}

process.exitCode = await main(process.argv.slice(2));
