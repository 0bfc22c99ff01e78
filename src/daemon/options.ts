// `routerd-evpn serve` flags, every one checked before anything is bound or
// written: a bad flag leaves no socket file, no listener and no state behind.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SOCKET } from '../api/paths.ts';
import { RESOURCE_NAME_PATTERN } from '../resources/names.ts';
import { DEFAULT_FRR_RELOAD } from '../system/tools.ts';

export const TOKEN_MIN_LENGTH = 16;

export const USAGE = `usage: routerd-evpn serve [--node NAME] [--socket PATH] [--state-dir DIR] [--frr-pathspace NAME]
                          [--frr-root DIR] [--frr-exec "COMMAND ..."] [--resync-seconds N] [--frr-base FILE]
                          [--listen-tcp HOST:PORT --token-file FILE]
  --node            this node's name in EVPNFabric spec.nodes (default: the hostname)
  --socket          control API Unix socket (default /run/routerd-evpn/routerd-evpn.sock, mode 0660)
  --state-dir       generations and rendered files (default /var/lib/routerd-evpn)
  --frr-pathspace   talk to the FRR instance started with -N NAME (vtysh -N, frr-reload --pathspace)
  --frr-root DIR    FRR is installed in this root (chroot, container rootfs): vtysh and frr-reload.py
                    run as "chroot DIR ..." and the files they read are staged under DIR
  --frr-exec CMD    run vtysh and frr-reload.py behind these words instead, e.g. "docker exec -i frr"
                    (split at spaces); with --frr-root, files are staged under that root, else the
                    FRR must see the state dir at the same path
  --resync-seconds  reconcile periodically to repair drift (default 60; 0 disables)
  --frr-base FILE   FRR lines the operator owns (underlay routing, logging, ...), kept in
                    front of the rendered config; without it the daemon owns the whole config
  --listen-tcp      an extra TCP listener, e.g. 127.0.0.1:9179 or [::1]:9179; needs --token-file
  --token-file      the bearer token for the TCP listener: one line of at least ${TOKEN_MIN_LENGTH} printable
                    characters without spaces (e.g. the output of "openssl rand -hex 32")`;

export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

export interface ServeOptions {
  node: string;
  socket: string;
  stateDir: string;
  frrPathspace?: string;
  frrBaseFile?: string;
  frrRoot?: string;
  frrExec?: string[];
  resyncSeconds: number;
  tcp?: { host: string; port: number; token: string; tokenFile: string; tokenFileShared: boolean };
}

// HOST:PORT or [IPv6]:PORT with a literal address (no name lookup) and a port 1..65535.
export function parseListen(text: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  const hint = 'give HOST:PORT with a literal address, e.g. 127.0.0.1:9179 or [::1]:9179';
  if (!m) throw new OptionsError(`--listen-tcp "${text}" is not HOST:PORT; ${hint}`);
  const [, host, portText] = m as unknown as [string, string, string];
  if (isIP(host) === 0 || host.includes('%'))
    throw new OptionsError(`--listen-tcp host "${host}" is not an IPv4 or IPv6 address; ${hint}`);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new OptionsError(`--listen-tcp port ${portText} is outside 1..65535`);
  return { host, port };
}

// The token guards an API that rewrites the node's routing: an empty,
// short or unreadable token file refuses to start, never an open listener.
export function readToken(file: string): { token: string; shared: boolean } {
  let text: string;
  let mode: number;
  try {
    mode = statSync(file).mode;
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOENT'
        ? 'no such file'
        : e.code === 'EISDIR'
          ? 'it is a directory'
          : e.code === 'EACCES'
            ? 'permission denied'
            : e.message;
    throw new OptionsError(
      `--token-file ${file} cannot be read (${why}); the TCP listener is not started without a token`,
    );
  }
  const token = text.trim();
  if (token === '')
    throw new OptionsError(
      `--token-file ${file} is empty or holds only whitespace; put a token of at least ${TOKEN_MIN_LENGTH} characters in it (e.g. openssl rand -hex 32 > ${file})`,
    );
  if (!/^[\x21-\x7e]+$/.test(token))
    throw new OptionsError(
      `--token-file ${file}: the token must be one line of printable characters without spaces (it is sent in an Authorization header)`,
    );
  if (token.length < TOKEN_MIN_LENGTH)
    throw new OptionsError(
      `--token-file ${file}: the token has ${token.length} characters; use at least ${TOKEN_MIN_LENGTH} (e.g. openssl rand -hex 32 > ${file})`,
    );
  return { token, shared: (mode & 0o077) !== 0 };
}

const FLAGS = {
  node: { type: 'string' },
  socket: { type: 'string' },
  'state-dir': { type: 'string' },
  'frr-pathspace': { type: 'string' },
  'resync-seconds': { type: 'string' },
  'frr-base': { type: 'string' },
  'frr-root': { type: 'string' },
  'frr-exec': { type: 'string' },
  'listen-tcp': { type: 'string' },
  'token-file': { type: 'string' },
  help: { type: 'boolean' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>['values'];

function readFlags(argv: string[]): Flags {
  try {
    return parseArgs({ args: argv, options: FLAGS }).values;
  } catch (err) {
    throw new OptionsError((err as Error).message);
  }
}

export function parseServeOptions(argv: string[]): ServeOptions | 'help' {
  const values = readFlags(argv);
  if (values.help) return 'help';
  const node = values.node ?? hostname();
  if (!RESOURCE_NAME_PATTERN.test(node))
    throw new OptionsError(`--node "${node}" is not a node name (${RESOURCE_NAME_PATTERN})`);
  const resync = resyncSeconds(values['resync-seconds'] ?? '60');
  for (const flag of [
    'socket',
    'state-dir',
    'frr-pathspace',
    'frr-base',
    'frr-root',
    'frr-exec',
    'token-file',
  ] as const) {
    if (values[flag] === '') throw new OptionsError(`--${flag} needs a value`);
  }
  const opts: ServeOptions = {
    node,
    socket: values.socket ?? DEFAULT_SOCKET,
    stateDir: values['state-dir'] ?? '/var/lib/routerd-evpn',
    resyncSeconds: resync,
    ...(values['frr-pathspace'] ? { frrPathspace: values['frr-pathspace'] } : {}),
    ...(values['frr-base'] ? { frrBaseFile: values['frr-base'] } : {}),
    ...frrPlacement(values['frr-root'], values['frr-exec']),
  };
  const tcp = tcpOptions(values['listen-tcp'], values['token-file']);
  return tcp ? { ...opts, tcp } : opts;
}

// An FRR outside this filesystem: its root must be a directory holding FRR's
// frr-reload.py; the exec prefix is split at spaces (no shell quoting).
function frrPlacement(root: string | undefined, exec: string | undefined): Pick<ServeOptions, 'frrRoot' | 'frrExec'> {
  const out: Pick<ServeOptions, 'frrRoot' | 'frrExec'> = {};
  if (root !== undefined) {
    if (!isAbsolute(root)) throw new OptionsError(`--frr-root "${root}" must be an absolute path`);
    if (!existsSync(join(root, DEFAULT_FRR_RELOAD)))
      throw new OptionsError(
        `--frr-root ${root} holds no ${DEFAULT_FRR_RELOAD} (install frr-pythontools in that root)`,
      );
    out.frrRoot = root;
  }
  if (exec !== undefined) {
    const words = exec.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) throw new OptionsError('--frr-exec needs a command, e.g. "docker exec -i frr"');
    out.frrExec = words;
  }
  return out;
}

function resyncSeconds(text: string): number {
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(seconds))
    throw new OptionsError(`--resync-seconds must be a number of seconds >= 0, got "${text}"`);
  return seconds;
}

// The TCP listener always needs a bearer token; a token file alone is a mistake.
function tcpOptions(listenTcp: string | undefined, tokenFile: string | undefined): ServeOptions['tcp'] {
  if (tokenFile !== undefined && listenTcp === undefined)
    throw new OptionsError('--token-file is only used with --listen-tcp');
  if (listenTcp === undefined) return undefined;
  const listen = parseListen(listenTcp);
  if (tokenFile === undefined)
    throw new OptionsError('--listen-tcp requires --token-file: the TCP listener always needs a bearer token');
  const { token, shared } = readToken(tokenFile);
  return { ...listen, token, tokenFile, tokenFileShared: shared };
}
