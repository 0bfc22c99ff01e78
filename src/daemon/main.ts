// routerd-evpn serve: the daemon entry point. Flags are checked first
// (options.ts); then the socket path, the stored generation, and only then
// anything is bound. A start that fails part-way closes what it opened.
import { chmod, lstat, mkdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { buildApp } from '../api/app.ts';
import { composeDaemon } from './compose.ts';
import { createLogger } from './logger.ts';
import { OptionsError, parseServeOptions, USAGE } from './options.ts';

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

// The socket path may hold nothing, or a stale socket of a crashed run (removed);
// anything else (a live daemon, a regular file, a directory) is refused.
async function checkSocketPath(path: string): Promise<void> {
  let stat;
  try {
    stat = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!stat.isSocket()) throw new OptionsError(`--socket ${path} exists and is not a socket (a ${stat.isDirectory() ? 'directory' : stat.isFile() ? 'regular file' : 'special file'}); remove it yourself or choose another --socket`);
  if (await socketAnswers(path)) throw new OptionsError(`another process is already serving ${path}; stop it or choose another --socket`);
  await rm(path, { force: true });
}

async function serve(argv: string[]): Promise<void> {
  const opts = parseServeOptions(argv);
  if (opts === 'help') return void console.log(USAGE);
  const log = createLogger();
  const { node, socket, stateDir } = opts;
  if (opts.tcp?.tokenFileShared) log.warn({ tokenFile: opts.tcp.tokenFile }, 'token file is readable by group or others; chmod 0600 it');
  await checkSocketPath(socket);
  await mkdir(stateDir, { recursive: true, mode: 0o750 });
  const d = composeDaemon({ node, stateDir, ...(opts.frrPathspace ? { frrPathspace: opts.frrPathspace } : {}), ...(opts.frrBaseFile ? { frrBaseFile: opts.frrBaseFile } : {}) }, log);
  const tcpApp = opts.tcp ? buildApp({ controller: d.controller, log, token: opts.tcp.token }) : undefined;
  let socketBound = false;
  const close = async () => {
    await d.app.close();
    await tcpApp?.close();
    await d.reconciler.stop();
    await d.controller.close();
    if (socketBound) await rm(socket, { force: true });
  };
  try {
    await d.controller.start();
    await mkdir(dirname(socket), { recursive: true, mode: 0o750 });
    await d.app.listen({ path: socket });
    socketBound = true;
    await chmod(socket, 0o660);
    if (tcpApp && opts.tcp) await tcpApp.listen({ host: opts.tcp.host, port: opts.tcp.port });
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
  log.info({ node, socket, stateDir, pathspace: opts.frrPathspace, ...(opts.tcp ? { tcp: `${opts.tcp.host}:${opts.tcp.port}` } : {}) }, 'serving');
  void d.reconciler.trigger('startup');
  const timer = opts.resyncSeconds > 0 ? setInterval(() => void d.reconciler.trigger('resync'), opts.resyncSeconds * 1000) : undefined;
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'stopping');
    if (timer) clearInterval(timer);
    await close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

const [verb, ...rest] = process.argv.slice(2);
if (verb === 'serve') {
  serve(rest).catch((err: Error) => {
    console.error(`routerd-evpn: ${err.message}`);
    if (err instanceof OptionsError) console.error('run "routerd-evpn serve --help" for the flags');
    process.exit(1);
  });
} else {
  console.error(USAGE);
  process.exit(verb === undefined || verb === '--help' || verb === 'help' ? 0 : 2);
}
