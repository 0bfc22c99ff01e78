// Tiny real executables standing in for ip, bridge, vtysh, sysctl and
// frr-reload.py, steered by files in one temp dir, so API tests run the daemon's
// real adapters (exec.ts -> execa -> a process) without root, FRR or a kernel.
// The runner refuses every other tool: no test reaches a real binary by accident.
//
// The files in `dir`:
//   links.json          what `ip -j -d addr show` prints (default [])
//   probe-links.json    what `ip -j -d link show` prints (the single VXLAN
//                       device's kernel probe reads its throwaway devices; default [])
//   bridge-vlans.txt    what `bridge -j -d -batch -` prints for the VLAN views
//                       (default three empty arrays)
//   ip-batch.log        `ip [-force] -batch -` appends its stdin here
//   ip-fail             when present, `ip -batch -` (without -force) fails
//   bridge-batch.log    `bridge -batch -` appends its stdin here
//   fdb.json            what `bridge -j fdb show` prints (default [])
//   vtysh.log           one line of arguments per vtysh call
//   vtysh-answers/<cmd>.out  vtysh's answer to `-c <cmd>` (spaces as _); unknown
//                       command prints "% Unknown command" and exits 1
//   frr-down            when present, vtysh and frr-reload fail as with no daemons
//   running.conf        FRR's running config: `show running-config` prints it,
//                       frr-reload --test diffs against it, --reload replaces it
//   reload-test.txt     when present, frr-reload --test prints it verbatim instead
//   reload.log          one line of arguments per frr-reload --reload call
//   reload-test.log     one line of arguments per frr-reload --test call
//   sysctl.txt          "key = value" lines sysctl -w wrote (unlisted keys read 0)
//   sysctl.log          one line of arguments per sysctl call

import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../src/daemon/logger.ts';
import { own } from '../../src/resources/own.ts';
import { type Runner, run } from '../../src/system/exec.ts';
import { fixtureUrl } from './fixtures.ts';

const FAKED = 'ip, bridge, vtysh, sysctl and python3 <frr-reload>';

const IP_SH = `#!/bin/sh
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
force=
[ "$1" = "-force" ] && { force=1; shift; }
case "$*" in
  "-j -d addr show")
    if [ -f "$here/links.json" ]; then cat "$here/links.json"; else echo '[]'; fi ;;
  "-j -4 route show table all"|"-j -6 route show table all")
    echo '[]' ;;
  "-j -d link show")
    if [ -f "$here/probe-links.json" ]; then cat "$here/probe-links.json"; else echo '[]'; fi ;;
  "-batch -")
    cat >> "$here/ip-batch.log"
    if [ -e "$here/ip-fail" ] && [ -z "$force" ]; then echo "RTNETLINK answers: Operation not permitted" >&2; echo "Command failed -:1" >&2; exit 1; fi ;;
  *) echo "fake ip: unexpected arguments: $*" >&2; exit 2 ;;
esac
`;

const BRIDGE_SH = `#!/bin/sh
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
case "$*" in
  "-batch -") cat >> "$here/bridge-batch.log" ;;
  "-j -d -batch -")
    cat > /dev/null
    if [ -f "$here/bridge-vlans.txt" ]; then cat "$here/bridge-vlans.txt"; else printf '[]\n[]\n[]\n'; fi ;;
  "-j fdb show")
    if [ -f "$here/fdb.json" ]; then cat "$here/fdb.json"; else echo '[]'; fi ;;
  *) echo "fake bridge: unexpected arguments: $*" >&2; exit 2 ;;
esac
`;

const VTYSH_SH = `#!/bin/sh
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
printf '%s\\n' "$*" >> "$here/vtysh.log"
if [ -e "$here/frr-down" ]; then
  echo "Exiting: failed to connect to any daemons." >&2
  exit 1
fi
status=0
while [ $# -gt 0 ]; do
  case "$1" in
    -N) [ $# -ge 2 ] || { echo "fake vtysh: -N needs a pathspace" >&2; exit 2; }; shift 2 ;;
    -c)
      [ $# -ge 2 ] || { echo "fake vtysh: -c needs a command" >&2; exit 2; }
      cmd=$2; shift 2
      if [ "$cmd" = "show running-config" ]; then
        echo "Building configuration..."; echo; echo "Current configuration:"; echo "!"; echo "frr version 8.4.4"
        [ -f "$here/running.conf" ] && cat "$here/running.conf"
        echo "end"
        continue
      fi
      out="$here/vtysh-answers/$(printf '%s' "$cmd" | tr ' ' '_').out"
      if [ -f "$out" ]; then cat "$out"; else echo "% Unknown command: $cmd"; status=1; fi ;;
    *) echo "fake vtysh: unexpected argument $1" >&2; exit 2 ;;
  esac
done
exit $status
`;

// sysctl -e KEY... prints "KEY = VALUE" (0 unless written); -e -w KEY=1... writes.
const SYSCTL_SH = `#!/bin/sh
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
printf '%s\\n' "$*" >> "$here/sysctl.log"
[ "$1" = "-e" ] || { echo "fake sysctl: unexpected arguments: $*" >&2; exit 2; }
shift
touch "$here/sysctl.txt"
if [ "$1" = "-w" ]; then
  shift
  for kv in "$@"; do printf '%s = %s\\n' "\${kv%%=*}" "\${kv#*=}" | tee -a "$here/sysctl.txt"; done
else
  for key in "$@"; do
    awk -v k="$key" -F ' = ' '$1 == k { v = $2 } END { print k " = " (v == "" ? 0 : v) }' "$here/sysctl.txt"
  done
fi
`;

// vtysh answers recorded from FRR 8.4.4 (node rec-a, VTEP 10.99.1.1, VNIs 100 and 200).
const VTYSH_FIXTURES: Record<string, string> = {
  'show bgp l2vpn evpn summary json': 'show-bgp-l2vpn-evpn-summary.json',
  'show evpn vni json': 'show-evpn-vni.json',
  'show evpn mac vni all json': 'show-evpn-mac-vni-all.json',
  'show evpn arp-cache vni all json': 'show-evpn-arp-cache-vni-all.json',
};

export interface FakeCall {
  file: string;
  args: string[];
}

export interface FakeTools {
  dir: string;
  reloadScript: string;
  runner: Runner;
  calls: FakeCall[]; // every command the daemon ran, in order
  refused: FakeCall[]; // commands of tools that are not faked (the runner threw)
  file(name: string): string;
  read(name: string): Promise<string | undefined>; // undefined when the file does not exist
  exists(name: string): boolean;
  setLinks(links: readonly object[]): Promise<void>;
  setFrrDown(down: boolean): Promise<void>;
  setVtysh(command: string, output: string): Promise<void>;
  setReloadTest(output: string | undefined): Promise<void>;
  cleanup(): Promise<void>;
}

const commandFile = (command: string) => `${command.replace(/ /g, '_')}.out`;

export async function createFakeTools(): Promise<FakeTools> {
  const dir = await mkdtemp(join(tmpdir(), 'routerd-evpn-fake-'));
  const scripts: Record<string, string> = { ip: IP_SH, bridge: BRIDGE_SH, vtysh: VTYSH_SH, sysctl: SYSCTL_SH };
  const bins: Record<string, string> = {};
  for (const [tool, text] of Object.entries(scripts)) {
    bins[tool] = join(dir, tool);
    await writeFile(bins[tool], text);
    await chmod(bins[tool], 0o755);
  }
  const reloadScript = join(dir, 'frr-reload.mjs');
  await copyFile(new URL('./fake-frr-reload.mjs', import.meta.url), reloadScript);
  await mkdir(join(dir, 'vtysh-answers'));
  for (const [command, fixture] of Object.entries(VTYSH_FIXTURES)) {
    await copyFile(fixtureUrl(`frr/8.4/${fixture}`), join(dir, 'vtysh-answers', commandFile(command)));
  }
  await writeFile(join(dir, 'vtysh-answers', commandFile('show daemons')), ' zebra bgpd staticd\n');
  await writeFile(
    join(dir, 'vtysh-answers', commandFile('show version')),
    'FRRouting 8.4.4 (rec-a) on Linux(6.1.0-57-amd64).\nCopyright 1996-2005 Kunihiro Ishiguro, et al.\n',
  );

  const calls: FakeCall[] = [];
  const refused: FakeCall[] = [];
  const runner: Runner = async (file, args, options) => {
    calls.push({ file, args: [...args] });
    // The daemon runs frr-reload as `python3 <script>`: node runs the fake one.
    if (file === 'python3' && args[0] === reloadScript) return run(process.execPath, args, options);
    const fake = own(bins, file);
    if (fake) return run(fake, args, options);
    refused.push({ file, args: [...args] });
    throw new Error(`fake tools: refusing to run "${file}" (${args.join(' ')}): only ${FAKED} are faked`);
  };
  const path = (name: string) => join(dir, name);
  return {
    dir,
    reloadScript,
    runner,
    calls,
    refused,
    file: path,
    exists: (name) => existsSync(path(name)),
    async read(name) {
      try {
        return await readFile(path(name), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    setLinks: (links) => writeFile(path('links.json'), JSON.stringify(links, null, 1)),
    setFrrDown: (down) => (down ? writeFile(path('frr-down'), '') : rm(path('frr-down'), { force: true })),
    setVtysh: (command, output) => writeFile(join(dir, 'vtysh-answers', commandFile(command)), output),
    setReloadTest: (output) =>
      output === undefined ? rm(path('reload-test.txt'), { force: true }) : writeFile(path('reload-test.txt'), output),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

// `ip -j -d link show` entries as iproute2 prints them (only the fields the parser reads).
// inet6_addr_gen_mode defaults to "none", as the daemon sets it on devices it creates.
export function bridgeLink(
  name: string,
  opts: { mtu?: number; owner?: string; up?: boolean; addrGenMode?: string } = {},
): object {
  return {
    ifname: name,
    mtu: opts.mtu ?? 1500,
    operstate: opts.up === false ? 'DOWN' : 'UP',
    inet6_addr_gen_mode: opts.addrGenMode ?? 'none',
    flags: opts.up === false ? ['BROADCAST', 'MULTICAST'] : ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
    ...(opts.owner ? { ifalias: opts.owner } : {}),
    linkinfo: { info_kind: 'bridge', info_data: { stp_state: 0 } },
  };
}

export function vxlanLink(
  name: string,
  opts: {
    vni: number;
    local: string;
    master?: string;
    mtu?: number;
    owner?: string;
    dstport?: number;
    learning?: boolean;
    neighSuppress?: boolean;
    addrGenMode?: string;
  },
): object {
  return {
    ifname: name,
    mtu: opts.mtu ?? 1500,
    operstate: 'UNKNOWN',
    flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
    inet6_addr_gen_mode: opts.addrGenMode ?? 'none',
    ...(opts.master ? { master: opts.master } : {}),
    ...(opts.owner ? { ifalias: opts.owner } : {}),
    linkinfo: {
      info_kind: 'vxlan',
      info_data: { id: opts.vni, local: opts.local, port: opts.dstport ?? 4789, learning: opts.learning ?? false },
      ...(opts.master
        ? {
            info_slave_kind: 'bridge',
            info_slave_data: { learning: opts.learning ?? false, neigh_suppress: opts.neighSuppress ?? true },
          }
        : {}),
    },
  };
}

// The daemon's own logger (with its redaction), writing nowhere.
export function silentLogger(): Logger {
  return createLogger('silent', new Writable({ write: (_chunk, _enc, done) => done() }));
}
