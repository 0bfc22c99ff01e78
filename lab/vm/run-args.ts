// Arguments of `lab run [OPTIONS] [--] SCRIPT [ARGS...]`. Options come before
// SCRIPT; everything from SCRIPT on belongs to the job. Pure.

export interface RunArgs {
  command: string[];
  memoryMiB?: number;
  timeoutMs?: number;
  forceVm: boolean;
  env: Record<string, string>;
  resultsDir?: string;
}

export type RunArgsResult = { ok: true; args: RunArgs } | { ok: false; error: string };

function positiveInt(option: string, value: string | undefined): number | string {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) <= 0)
    return `${option} needs a positive whole number (got ${value ?? 'nothing'})`;
  return Number(value);
}

// `--env NAME` copies NAME from `hostEnv`; `--env NAME=VALUE` sets it.
export function parseRunArgs(argv: string[], hostEnv: Record<string, string | undefined>): RunArgsResult {
  const args: RunArgs = { command: [], forceVm: false, env: {} };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (arg === '--') {
      i++;
      break;
    } else if (flag === '--vm' && inline === undefined) args.forceVm = true;
    else if (flag === '--memory' || flag === '--timeout') {
      const n = positiveInt(flag, value());
      if (typeof n === 'string') return { ok: false, error: n };
      if (flag === '--memory') args.memoryMiB = n;
      else args.timeoutMs = n * 1000;
    } else if (flag === '--results') {
      const dir = value();
      if (!dir) return { ok: false, error: '--results needs a directory' };
      args.resultsDir = dir;
    } else if (flag === '--env') {
      const spec = value();
      if (!spec) return { ok: false, error: '--env needs NAME or NAME=VALUE' };
      const eq = spec.indexOf('=');
      const name = eq < 0 ? spec : spec.slice(0, eq);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        return { ok: false, error: `--env ${spec}: ${JSON.stringify(name)} is not a variable name` };
      const hostValue = eq < 0 ? hostEnv[name] : spec.slice(eq + 1);
      if (hostValue === undefined) return { ok: false, error: `--env ${name}: not set in this environment` };
      args.env[name] = hostValue;
    } else if (arg.startsWith('-') && arg !== '-') return { ok: false, error: `unknown option ${arg}` };
    else break;
  }
  args.command = argv.slice(i);
  if (args.command.length === 0) return { ok: false, error: 'run needs SCRIPT (a command and its arguments)' };
  return { ok: true, args };
}
