// routerd-evpn serve: the daemon entry point.
import { chmod, mkdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../api/app.ts';
import { composeDaemon } from './compose.ts';
import { createLogger } from './logger.ts';

const USAGE = `usage: routerd-evpn serve [--node NAME] [--socket PATH] [--state-dir DIR] [--frr-pathspace NAME]
                          [--resync-seconds N] [--frr-base FILE] [--listen-tcp HOST:PORT --token-file FILE]
  --node            this node's name in EVPNFabric spec.nodes (default: the hostname)
  --socket          control API Unix socket (default /run/routerd-evpn/routerd-evpn.sock, mode 0660)
  --state-dir       generations and rendered files (default /var/lib/routerd-evpn)
  --frr-pathspace   talk to the FRR instance started with -N NAME (vtysh -N, frr-reload --pathspace)
  --resync-seconds  reconcile periodically to repair drift (default 60; 0 disables)
  --frr-base FILE   FRR lines the operator owns (underlay routing, logging, ...), kept in
                    front of the rendered config; without it the daemon owns the whole config`;

// True when something accepts connections on the socket path (not a stale file).
function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = connect(path);
    conn.once('connect', () => {
      conn.destroy();
      resolve(true);
    });
    conn.once('error', () => resolve(false));
  });
}

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      node: { type: 'string' }, socket: { type: 'string' }, 'state-dir': { type: 'string' }, 'frr-pathspace': { type: 'string' },
      'resync-seconds': { type: 'string' }, 'frr-base': { type: 'string' }, 'listen-tcp': { type: 'string' }, 'token-file': { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help) return void console.log(USAGE);
  const log = createLogger();
  const node = values.node ?? hostname();
  const socket = values.socket ?? '/run/routerd-evpn/routerd-evpn.sock';
  const stateDir = values['state-dir'] ?? '/var/lib/routerd-evpn';
  let token: string | undefined;
  if (values['listen-tcp']) {
    if (!values['token-file']) throw new Error('--listen-tcp requires --token-file: the TCP listener always needs a bearer token');
    token = (await import('node:fs')).readFileSync(values['token-file'], 'utf8').trim();
  }
  await mkdir(stateDir, { recursive: true, mode: 0o750 });
  const d = composeDaemon({ node, stateDir, ...(values['frr-pathspace'] ? { frrPathspace: values['frr-pathspace'] } : {}), ...(values['frr-base'] ? { frrBaseFile: values['frr-base'] } : {}) }, log);
  await d.controller.start();
  await mkdir(dirname(socket), { recursive: true, mode: 0o750 });
  if (await socketAnswers(socket)) throw new Error(`another process is already serving ${socket}; stop it or choose another --socket`);
  await rm(socket, { force: true }); // a stale socket from a crashed run
  await d.app.listen({ path: socket });
  await chmod(socket, 0o660);
  let tcpApp: ReturnType<typeof buildApp> | undefined;
  if (values['listen-tcp']) {
    const [host, port] = values['listen-tcp'].split(/:(?=\d+$)/);
    tcpApp = buildApp({ controller: d.controller, log, token: token! });
    await tcpApp.listen({ host: host ?? '127.0.0.1', port: Number(port) });
  }
  log.info({ node, socket, stateDir, pathspace: values['frr-pathspace'] }, 'serving');
  void d.reconciler.trigger('startup');
  const resync = Number(values['resync-seconds'] ?? 60);
  if (!Number.isFinite(resync) || resync < 0) throw new Error(`--resync-seconds must be a number of seconds >= 0, got "${values['resync-seconds']}"`);
  const timer = resync > 0 ? setInterval(() => void d.reconciler.trigger('resync'), resync * 1000) : undefined;
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'stopping');
    if (timer) clearInterval(timer);
    await d.app.close();
    await tcpApp?.close();
    await d.reconciler.stop();
    await rm(socket, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

const [verb, ...rest] = process.argv.slice(2);
if (verb === 'serve') {
  serve(rest).catch((err: Error) => {
    console.error(`routerd-evpn: ${err.message}`);
    process.exit(1);
  });
} else {
  console.error(USAGE);
  process.exit(verb === undefined || verb === '--help' || verb === 'help' ? 0 : 2);
}
