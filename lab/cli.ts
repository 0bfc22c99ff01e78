// `npm run lab -- up|down|exec ...`: a containerlab-like runner on network namespaces.
import { labDown, labExec, labUp } from './lab.ts';

const USAGE = `usage:
  npm run lab -- up TOPO.clab.yml [--fabric FILE] [--no-daemon] [--no-frr]
  npm run lab -- down TOPO.clab.yml
  npm run lab -- exec TOPO.clab.yml NODE -- COMMAND...

  --fabric FILE  fabric file to apply (default: label routerd-evpn/fabric, else <topo>.fabric.yaml)
  --no-daemon    build namespaces, links, exec lines and FRR, but start no routerd-evpn daemon
  --no-frr       build namespaces, links and exec lines only (implies --no-daemon)`;

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
  throw new UsageError(`unknown command ${command}`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`lab: error: ${err.message}\n`);
    if (err instanceof UsageError) process.stderr.write(`${USAGE}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
