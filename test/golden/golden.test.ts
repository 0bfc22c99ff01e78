// Golden tests: test/golden/<case>/input.yaml rendered for the node named in
// <case>/node must equal expected.frr.conf and expected.devices.json
// (planDevices(intent) as JSON, 2-space indent, trailing newline), and so must
// the same input with its resources, mapping keys and order-free lists
// shuffled (test/helpers/shuffle.ts). Regenerate with UPDATE_GOLDEN=1; a new
// case is also added to KNOWN_CASES. Every expected.frr.conf must also be
// accepted by real FRR, checked offline with no FRR daemon running:
// - `frr-reload.py --test --input <empty> <file>` (vtysh mark-file parse),
// - `vtysh -C -f <file>` (vtysh's command grammar),
// - `bgpd --dryrun` (bgpd's own handlers: catches values the grammar accepts
//   but bgpd refuses, e.g. `route-target import *:NN` under an L2VNI in 8.4).
//   bgpd -C exits 0 even then, so its output is what counts; -p 0 -Z -n keep it
//   from listening or talking to zebra, and its sockets go to a temp dir.
// All three run with the host's FRR 8.4 and with FRR 10.3 and 10.7 from their
// Debian roots (lab/frr-root.ts; built on first use, about a minute each),
// chrooted, on a copy of the file inside the root (for 10.7 the copy the
// daemon gives that release: adaptToRelease).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ensureFrrRoot } from '../../lab/frr-root.ts';
import { adaptToRelease } from '../../src/controller/frr-file.ts';
import { loadTemplates } from '../../src/render/frr.ts';
import { renderNode } from '../../src/render/node-render.ts';
import { validateYaml } from '../../src/resources/validate.ts';
import { parseFrrVersion } from '../../src/system/frr-version.ts';
import type { SecretRef } from '../../src/translate/intent.ts';
import { expectIssues } from '../helpers/issues.ts';
import { shuffleYaml } from '../helpers/shuffle.ts';

// Stands in for a node's secret files and variables: a value that names its source.
const goldenSecret = (ref: SecretRef) => `golden-${ref.env ?? basename(ref.file ?? '')}`;

const HERE = fileURLToPath(new URL('.', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const FRR_RELOAD = '/usr/lib/frr/frr-reload.py';
const VTYSH = 'vtysh';
const BGPD = '/usr/lib/frr/bgpd';

// Every folder here is a case; each must hold all of CASE_FILES (UPDATE_GOLDEN=1 writes the expected ones).
const cases = readdirSync(HERE, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const CASE_FILES = ['input.yaml', 'node', 'expected.frr.conf', 'expected.devices.json'];
const KNOWN_CASES = [
  'asymmetric-leaf',
  'clos-ipv6-leaf',
  'clos-isis-leaf',
  'clos-leaf',
  'clos-openfabric-spine',
  'clos-ospf-leaf',
  'clos-spine',
  'clos-spine-no-vtep',
  'dad-custom',
  'dad-freeze-seconds',
  'empty-fabric-node',
  'external-rr',
  'full-mesh-leaf',
  'host-exit-leaf',
  'host-exit-local-routing',
  'host-exit-primary',
  'host-exit-zones',
  'ipv6-vteps',
  'l2-flags-jumbo',
  'network-node-restriction',
  'no-fabric',
  'rd-rt-explicit',
  'router-envelope',
  'rr-leaf',
  'rr-reflector',
  'sessions-clos',
  'sessions-flat',
  'single-vxlan-irb',
  'symmetric-exit-primary',
  'symmetric-leaf',
];
const SEEDS = [1, 2, 3, 4, 5, 6];

function renderText(yaml: string, node: string): { frr: string; devices: string } {
  const result = validateYaml(yaml);
  expectIssues(result.issues, []); // golden input must be valid
  const out = renderNode(result.resources, node, loadTemplates(), goldenSecret);
  return { frr: out.frr, devices: `${JSON.stringify(out.devices, null, 2)}\n` };
}

const inputOf = (dir: string) => readFileSync(join(dir, 'input.yaml'), 'utf8');

function nodeOf(dir: string): string {
  const node = readFileSync(join(dir, 'node'), 'utf8').trim();
  assert.ok(node, 'the node file names a node');
  return node;
}

const render = (dir: string) => renderText(inputOf(dir), nodeOf(dir));

interface Run {
  status: number | null;
  output: string;
}

// Where an FRR's programs run: the host's, or chrooted into a root. `scratch`
// is a world-writable temp dir as this process sees it, `inside` as FRR does.
interface FrrEnv {
  release: string;
  prefix: string[];
  scratch: string;
  inside: string;
}

function run(env: FrrEnv, cmd: string, args: string[]): Run {
  const [file, ...rest] = [...env.prefix, cmd, ...args] as [string, ...string[]];
  const r = spawnSync(file, rest, { encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

const BAD_LINE = /ERROR|Unknown command|No such command|^%|% /;
// FRR 10.7's bgpd --dryrun aborts on its way out, after reading the whole file
// and printing any complaint, whenever the config has a neighbor: it stops a
// keepalive thread a dry run never started. Its lines are still checked.
const DRYRUN_EXIT_ABORT = /bgp_keepalives_off\(\): assertion \(fpt->running\) failed/;

// The three offline checks on one file; returns the problems found (empty = accepted).
function frrProblems(source: string, env: FrrEnv = HOST): string[] {
  const problems: string[] = [];
  const inside = (name: string) => join(env.inside, name);
  const text = adaptToRelease(readFileSync(source, 'utf8'), parseFrrVersion(`FRRouting ${env.release}`));
  writeFileSync(join(env.scratch, 'check.conf'), text);
  const file = inside('check.conf');
  const empty = inside('empty-running.conf');
  const reload = run(env, 'python3', [FRR_RELOAD, '--test', '--input', empty, file]);
  if (reload.status !== 0) problems.push(`frr-reload.py --test exited ${reload.status}`);
  for (const line of reload.output.split('\n').filter((l) => BAD_LINE.test(l))) problems.push(`frr-reload: ${line}`);
  const check = run(env, VTYSH, ['-C', '-f', file]);
  if (check.status !== 0) problems.push(`vtysh -C exited ${check.status}`);
  for (const line of check.output.split('\n').filter((l) => BAD_LINE.test(l))) problems.push(`vtysh: ${line}`);
  // bgpd reads only its own stanzas: `vrf X` blocks and top-level static
  // routes belong to zebra/staticd, the `bfd` block to bfdd, `interface X` and the `router` blocks of the
  // IGPs to ospfd, isisd and fabricd (vtysh
  // -C above checks them), so bgpd gets the file without them.
  writeFileSync(join(env.scratch, 'bgpd-only.conf'), bgpdOnly(text));
  const dry = run(env, BGPD, [
    '-C',
    '-Z',
    '-n',
    '-p',
    '0',
    '-f',
    inside('bgpd-only.conf'),
    '-i',
    inside('bgpd.pid'),
    '--vty_socket',
    env.inside,
    '-z',
    inside('zserv.api'),
  ]);
  if (dry.status !== 0 && !DRYRUN_EXIT_ABORT.test(dry.output)) problems.push(`bgpd --dryrun exited ${dry.status}`);
  for (const line of dry.output.split('\n').filter((l) => BAD_LINE.test(l))) problems.push(`bgpd: ${line}`);
  return problems;
}

function bgpdOnly(text: string): string {
  return text
    .replace(/^vrf \S+\n(?:[ !].*\n)*?exit-vrf\n/gm, '')
    .replace(/^ipv?6? route .*\n/gm, '')
    .replace(/^(?:bfd|interface \S+|router ospf|router (?:isis|openfabric) \S+)\n(?:[ !].*\n)*?exit\n/gm, '');
}

const haveFrr = existsSync(FRR_RELOAD) && existsSync(BGPD) && spawnSync(VTYSH, ['-h']).status === 0;

// A scratch dir under `base` (the root's /tmp for a chrooted FRR), removed on exit.
function makeScratch(base: string): string {
  const dir = mkdtempSync(join(base, 'golden-frr-'));
  chmodSync(dir, 0o777); // bgpd drops to the frr user
  writeFileSync(join(dir, 'empty-running.conf'), '');
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const scratch = makeScratch(tmpdir());
const HOST: FrrEnv = { release: '8.4', prefix: [], scratch, inside: scratch };

// FRR 10.3 or 10.7 from its root, built on first use (lab/frr-root.ts).
async function rootEnv(release: '10.3' | '10.7'): Promise<FrrEnv> {
  const root = await ensureFrrRoot(release, (m) => console.error(`golden: ${m}`));
  const dir = makeScratch(join(root, 'tmp'));
  return { release, prefix: ['chroot', root], scratch: dir, inside: dir.slice(root.length) };
}

test('the golden cases are all there, each with its input, node and expected files', () => {
  assert.deepEqual(cases, KNOWN_CASES, 'the case folders are exactly the known cases');
  const needed = UPDATE ? CASE_FILES.filter((f) => !f.startsWith('expected.')) : CASE_FILES;
  for (const name of cases) {
    const missing = needed.filter((f) => !existsSync(join(HERE, name, f)));
    assert.deepEqual(missing, [], `${name} lacks ${missing.join(', ')}`);
  }
});

describe('golden render', () => {
  for (const name of cases) {
    test(name, () => {
      const dir = join(HERE, name);
      const got = render(dir);
      const shuffles = SEEDS.map((seed) => shuffleYaml(inputOf(dir), seed));
      assert.ok(
        new Set(shuffles).size > 1 || shuffles[0] === '',
        'the seeds give different orders (unless the input is empty)',
      );
      for (const [i, yaml] of shuffles.entries()) {
        const again = renderText(yaml, nodeOf(dir));
        assert.equal(again.frr, got.frr, `${name}: frr.conf depends on input order (seed ${SEEDS[i]}):\n${yaml}`);
        assert.equal(
          again.devices,
          got.devices,
          `${name}: device plan depends on input order (seed ${SEEDS[i]}):\n${yaml}`,
        );
      }
      const frrFile = join(dir, 'expected.frr.conf');
      const devicesFile = join(dir, 'expected.devices.json');
      if (UPDATE) {
        writeFileSync(frrFile, got.frr);
        writeFileSync(devicesFile, got.devices);
      }
      assert.ok(
        existsSync(frrFile) && existsSync(devicesFile),
        `no golden files for ${name}; run with UPDATE_GOLDEN=1`,
      );
      assert.equal(
        got.frr,
        readFileSync(frrFile, 'utf8'),
        `${name}: frr.conf differs from the golden (UPDATE_GOLDEN=1 regenerates)`,
      );
      assert.equal(
        got.devices,
        readFileSync(devicesFile, 'utf8'),
        `${name}: device plan differs from the golden (UPDATE_GOLDEN=1 regenerates)`,
      );
    });
  }
});

// Every golden is checked by each FRR release's own frr-reload.py, vtysh and
// bgpd: the host's 8.4, and 10.3 and 10.7 from their Debian roots. A
// golden one release accepts and the other refuses fails here, naming the line
// and FRR's message.
const RELEASES: { title: string; skip: string | false; env: () => Promise<FrrEnv> }[] = [
  {
    title: 'real FRR accepts every golden frr.conf',
    skip: haveFrr ? false : `FRR not installed (${FRR_RELOAD}, ${VTYSH})`,
    env: async () => HOST,
  },
  { title: 'FRR 10.3 (from its Debian root) accepts every golden frr.conf', skip: false, env: () => rootEnv('10.3') },
  // 10.7 gets each file as the daemon gives it to 10.7 (controller/frr-file.ts adaptToRelease)
  { title: 'FRR 10.7 (from its Debian root) accepts every golden frr.conf', skip: false, env: () => rootEnv('10.7') },
];

for (const release of RELEASES) {
  describe(release.title, { skip: release.skip }, () => {
    let ready: FrrEnv | undefined;
    before(async () => {
      ready = await release.env();
    });
    const env = (): FrrEnv => {
      assert.ok(ready, 'the FRR release is ready');
      return ready;
    };

    test('it is the release it claims', () => {
      const want = env().release.replace('.', '\\.');
      assert.match(run(env(), '/usr/lib/frr/zebra', ['--version']).output, new RegExp(`^zebra version ${want}`, 'm'));
    });

    test('the check itself rejects a bad config', () => {
      const bad = join(env().scratch, 'bad.conf');
      writeFileSync(
        bad,
        'router bgp 65000\n bgp router-idd 10.0.0.1\n address-family l2vpn evpn\n  advertise-all-vnix\n exit-address-family\nexit\n',
      );
      const problems = frrProblems(bad, env());
      for (const [prefix, detail] of [
        ['frr-reload.py --test exited', ''],
        ['vtysh -C exited', ''],
        ['vtysh: ', 'advertise-all-vnix'],
        ['bgpd: ', 'advertise-all-vnix'],
      ] as const)
        assert.ok(
          problems.some((p) => p.startsWith(prefix) && p.includes(detail)),
          `${prefix}${detail}:\n${problems.join('\n')}`,
        );
    });

    test('the check catches what only bgpd refuses: a wildcard import RT under an L2VNI', () => {
      const wild = join(env().scratch, 'wildcard-rt.conf');
      writeFileSync(
        wild,
        'router bgp 65000\n address-family l2vpn evpn\n  advertise-all-vni\n  vni 100\n   route-target import *:100\n  exit-vni\n exit-address-family\nexit\n',
      );
      assert.deepEqual(frrProblems(wild, env()), ['bgpd: % Malformed Route Target list']);
    });

    for (const name of cases) {
      test(name, () => {
        const file = join(HERE, name, 'expected.frr.conf');
        assert.ok(existsSync(file), `no golden frr.conf for ${name}`);
        assert.deepEqual(frrProblems(file, env()), []);
      });
    }
  });
}
