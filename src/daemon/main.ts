// routerd-evpn serve: the daemon entry point. Flags are checked first
// (options.ts); then the socket path, the stored generation, and only then
// anything is bound. A start that fails part-way closes what it opened.
import type { Stats } from 'node:fs';
import { chmod, lstat, mkdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { buildApp } from '../api/app.ts';
import { composeDaemon } from './compose.ts';
import { createLogger } from './logger.ts';
import { OptionsError, parseServeOptions, type ServeOptions, USAGE } from './options.ts';

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
  let stat: Stats;
  try {
    stat = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!stat.isSocket())
    throw new OptionsError(
      `--socket ${path} exists and is not a socket (a ${stat.isDirectory() ? 'directory' : stat.isFile() ? 'regular file' : 'special file'}); remove it yourself or choose another --socket`,
    );
  if (await socketAnswers(path))
    throw new OptionsError(`another process is already serving ${path}; stop it or choose another --socket`);
  await rm(path, { force: true });
}

async function serve(argv: string[]): Promise<void> {
  const opts = parseServeOptions(argv);
  if (opts === 'help') return void console.log(USAGE);
  const log = createLogger();
  if (opts.tcp?.tokenFileShared)
    log.warn({ tokenFile: opts.tcp.tokenFile }, 'token file is readable by group or others; chmod 0600 it');
  await checkSocketPath(opts.socket);
  await mkdir(opts.stateDir, { recursive: true, mode: 0o750 });
  const running = await start(opts, log);
  const { node, socket, stateDir } = opts;
  const tcp = opts.tcp ? { tcp: `${opts.tcp.host}:${opts.tcp.port}` } : {};
  log.info({ node, socket, stateDir, pathspace: opts.frrPathspace, frrRoot: opts.frrRoot, ...tcp }, 'serving');
  void running.daemon.reconciler.trigger('startup');
  const resync = () => void running.daemon.reconciler.trigger('resync');
  const timer = opts.resyncSeconds > 0 ? setInterval(resync, opts.resyncSeconds * 1000) : undefined;
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'stopping');
    if (timer) clearInterval(timer);
    await running.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

// Composes the daemon, loads the stored generation and binds the listeners;
// a start that fails part-way closes what it opened.
async function start(opts: ServeOptions, log: Logger) {
  const { frrPathspace, frrBaseFile, frrRoot, frrExec } = opts;
  const d = composeDaemon(
    { node: opts.node, stateDir: opts.stateDir, frrPathspace, frrBaseFile, frrRoot, frrExec },
    log,
  );
  const tcpApp = opts.tcp ? buildApp({ service: d.service, log, token: opts.tcp.token }) : undefined;
  let socketBound = false;
  const close = async () => {
    await d.app.close();
    await tcpApp?.close();
    await d.reconciler.stop();
    await d.service.close();
    if (socketBound) await rm(opts.socket, { force: true });
  };
  try {
    await d.service.start();
    await mkdir(dirname(opts.socket), { recursive: true, mode: 0o750 });
    await d.app.listen({ path: opts.socket });
    socketBound = true;
    await chmod(opts.socket, 0o660);
    if (tcpApp && opts.tcp) await tcpApp.listen({ host: opts.tcp.host, port: opts.tcp.port });
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
  return { daemon: d, close };
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
