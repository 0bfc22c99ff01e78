// `npm run lab -- up|down|exec ...`: a containerlab-like runner on network namespaces.
import { labDown, labExec, labUp } from './lab.ts';
import { LabRunError, runScenario } from './vm/run.ts';
import { parseRunArgs } from './vm/run-args.ts';

const USAGE = `usage:
  npm run lab -- up TOPO.clab.yml [--fabric FILE] [--no-daemon] [--no-frr]
  npm run lab -- down TOPO.clab.yml
  npm run lab -- exec TOPO.clab.yml NODE -- COMMAND...
  npm run lab -- run [--vm] [--memory MiB] [--timeout SECONDS] [--env NAME[=VALUE]]... [--results DIR] [--] SCRIPT [ARGS...]

  --fabric FILE  fabric file to apply (default: label routerd-evpn/fabric, else <topo>.fabric.yaml)
  --no-daemon    build namespaces, links, exec lines and FRR, but start no routerd-evpn daemon
  --no-frr       build namespaces, links and exec lines only (implies --no-daemon)

  run: SCRIPT [ARGS] is exec'd (no shell) where VRF devices work: on this host if
  its kernel can create them, else in a qemu guest; exits with SCRIPT's exit code
  (124 timeout, 125 the lab failed). See docs/lab.md.
  --vm           use the VM even if this host could create VRF devices
  --memory MiB   guest memory (default 3072)
  --timeout S    whole run, boot included (default 1800); qemu is killed after it
  --env NAME     pass NAME from this environment into the guest (repeatable; NAME=VALUE sets it)
  --results DIR  the results dir (LAB_RESULTS_DIR; created if missing; default a fresh one in $TMPDIR)`;

class UsageError extends Error {}

interface UpArgs {
  topologyFile: string;
  fabricFile?: string;
  daemon: boolean;
  frr: boolean;
}

function parseUp(args: string[]): UpArgs {
  const out: UpArgs = { topologyFile: '', daemon: true, frr: true };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--fabric') {
      if (!args[i + 1]) throw new UsageError('--fabric needs a file');
      out.fabricFile = args[++i];
    } else if (arg.startsWith('--fabric=')) out.fabricFile = arg.slice('--fabric='.length);
    else if (arg === '--no-daemon') out.daemon = false;
    else if (arg === '--no-frr') out.frr = false;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (!out.topologyFile) out.topologyFile = arg;
    else throw new UsageError(`unexpected argument ${arg}`);
  }
  if (!out.topologyFile) throw new UsageError('missing TOPO.clab.yml');
  return out;
}

const log = (message: string) => process.stderr.write(`lab: ${message}\n`);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (command === 'up') {
    await labUp({ ...parseUp(rest), log });
    return 0;
  }
  if (command === 'down') {
    if (rest.length !== 1) throw new UsageError('down takes exactly one TOPO.clab.yml');
    await labDown({ topologyFile: rest[0], log });
    log('lab is down');
    return 0;
  }
  if (command === 'exec') {
    const [topologyFile, node, ...tail] = rest;
    if (!topologyFile || !node) throw new UsageError('exec needs TOPO.clab.yml and NODE');
    const commandArgs = tail[0] === '--' ? tail.slice(1) : tail;
    return labExec({ topologyFile, node, command: commandArgs });
  }
  if (command === 'run') return runCommand(rest);
  throw new UsageError(`unknown command ${command}`);
}

async function runCommand(argv: string[]): Promise<number> {
  const parsed = parseRunArgs(argv, process.env);
  if (!parsed.ok) throw new UsageError(parsed.error);
  const { command, memoryMiB, timeoutMs, forceVm, env, resultsDir } = parsed.args;
  // Exit (not die) on a signal so cleanup runs: qemu is killed, the run dir removed.
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      log(`interrupted (${signal})`);
      process.exit(code);
    });
  }
  try {
    const result = await runScenario({
      command,
      memoryMiB,
      timeoutMs,
      forceVm,
      env,
      resultsDir,
      log,
      onStdout: (chunk) => process.stdout.write(chunk),
      onStderr: (chunk) => process.stderr.write(chunk),
    });
    const boot = result.bootMs === undefined ? '' : `, guest ready after ${(result.bootMs / 1000).toFixed(1)} s`;
    log(
      `${command[0]} exited with ${result.exitCode} on ${result.substrate} after ${(result.durationMs / 1000).toFixed(1)} s${boot}; results in ${result.resultsDir}`,
    );
    return result.exitCode;
  } catch (err) {
    // Anything else (apt, cache, qemu missing) is the lab failing too: 125.
    log(`error: ${(err as Error).message}`);
    if (!(err instanceof LabRunError)) return 125;
    if (err.runDir) log(`run files kept in ${err.runDir}`);
    if (err.resultsDir) log(`results in ${err.resultsDir}`);
    return err.exitCode;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`lab: error: ${err.message}\n`);
    if (err instanceof UsageError) process.stderr.write(`${USAGE}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
