// evpnctl end to end against the real daemon: its composition root over the
// fake tools (test/helpers/fake-daemon.ts), behind a Unix socket in a temp dir
// (test/helpers/daemon-socket.ts), so every body the CLI formats is one the
// daemon produced. The real CLI runs as a child process; we assert requests,
// output and exit codes.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { API_PREFIX as API, CONTROL_API_VERSION as V } from '../../src/api/paths.ts';
import { formatIssue } from '../../src/resources/error-codes.ts';
import { validateYaml } from '../../src/resources/validate.ts';
import { SYSTEM_TOOLS } from '../../src/system/tools.ts';
import { type DaemonSocket, serveDaemon } from '../helpers/daemon-socket.ts';
import { type FakeDaemon, startFakeDaemon } from '../helpers/fake-daemon.ts';
import { recorded } from '../helpers/fixtures.ts';
import { applyRequest, docs, FABRIC, INVALID, networkYaml, ownedDevices } from '../helpers/recorded-fabric.ts';

const ROOT = resolve(import.meta.dirname, '../..');

const GEN2_YAML = networkYaml('blue', 100);
// blue is on rec-a (the daemon's node); green only on rec-b, so rec-a plans nothing for it.
const CANDIDATE = docs(FABRIC, networkYaml('blue', 100), networkYaml('green', 200, ', nodes: [rec-b]'));
// A third node, rec-c: the daemon expects a session to it.
const FABRIC_3 = FABRIC.replace(
  '    - {name: rec-b, vtepAddress: 10.99.1.2}\n',
  '$&    - {name: rec-c, vtepAddress: 10.99.1.3}\n',
);

let dir: string;
let front: DaemonSocket;
let FABRIC_FILE: string;

const requests = () => front.exchanges;
const answerOf = (n: number) => front.exchanges[n]?.answer;

function run(
  args: string[],
  opts: { env?: Record<string, string>; stdin?: string; cmd?: string[]; cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const cmd = opts.cmd ?? ['--import', 'tsx', 'src/cli/main.ts'];
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [...cmd, ...args],
      { cwd: opts.cwd ?? ROOT, env: { ...process.env, EVPNCTL_SOCKET: front.socket, ...opts.env } },
      (err, stdout, stderr) => {
        done({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
      },
    );
    child.stdin?.end(opts.stdin ?? '');
  });
}

// Applies through the API directly (not recorded as a CLI request); the answer must be 200.
async function apply(d: FakeDaemon, yaml: string): Promise<void> {
  const res = await d.inject('POST', `${API}/apply`, applyRequest(yaml));
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

// Generation 2, everything Ready: applied once, the kernel then shows blue's devices, applied again.
async function settle(d: FakeDaemon, yaml = CANDIDATE): Promise<void> {
  await apply(d, yaml);
  await d.fake.setLinks(ownedDevices('blue', 100));
  await apply(d, yaml);
}

// What FRR answers with a second, not established peer 10.99.1.3 (from the recorded answers).
function twoPeerSummary(): string {
  const up = recorded('frr/8.4/show-bgp-l2vpn-evpn-summary.json') as { peers: Record<string, unknown> };
  const down = recorded('frr/8.4/show-bgp-l2vpn-evpn-summary-not-established.json') as {
    peers: Record<string, unknown>;
  };
  return JSON.stringify({ ...up, peers: { ...up.peers, '10.99.1.3': down.peers['10.99.1.2'] } });
}

const reEscape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// Daemon states that tests only read (the CLI's GETs, dry runs and doctor change nothing).
const STATES = {
  empty: async () => {},
  settled: (d: FakeDaemon) => settle(d),
  // blue Ready; red applied but its devices never show up in the kernel.
  twoNetworks: (d: FakeDaemon) => settle(d, docs(FABRIC, networkYaml('blue', 100), networkYaml('red', 200))),
  // rec-c is in the fabric and FRR lists it, not established.
  thirdPeerDown: async (d: FakeDaemon) => {
    await d.fake.setVtysh('show bgp l2vpn evpn summary json', twoPeerSummary());
    await settle(d, docs(FABRIC_3, networkYaml('blue', 100)));
  },
  // rec-c is in the fabric; FRR does not list it.
  thirdPeerUnlisted: (d: FakeDaemon) => settle(d, docs(FABRIC_3, networkYaml('blue', 100))),
};
const shared = new Map<keyof typeof STATES, Promise<FakeDaemon>>();
const own: FakeDaemon[] = [];

async function startInState(state: keyof typeof STATES): Promise<FakeDaemon> {
  const d = await startFakeDaemon();
  await STATES[state](d);
  return d;
}

// A daemon in a named state, started once and shared; it answers the socket from now on.
async function daemonIn(state: keyof typeof STATES): Promise<FakeDaemon> {
  if (!shared.has(state)) shared.set(state, startInState(state));
  front.daemon = await shared.get(state)!;
  return front.daemon;
}

// A daemon of its own, for a test that changes its state; closed after the test.
async function freshDaemon(): Promise<FakeDaemon> {
  const d = await startFakeDaemon();
  own.push(d);
  front.daemon = d;
  return d;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evpnctl-test-'));
  front = await serveDaemon(join(dir, 'd.sock'));
  FABRIC_FILE = join(dir, 'fabric.yaml');
  await writeFile(FABRIC_FILE, CANDIDATE);
});

after(async () => {
  for (const d of shared.values()) await (await d).close();
  await front.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  front.daemon = undefined;
  front.exchanges.length = 0;
  front.hang = false;
});

afterEach(async () => {
  for (const d of own.splice(0)) await d.close();
});

describe('apply and plan', () => {
  it('apply sends candidateYaml, replace and noReconcile, prints generation and phases', async () => {
    await freshDaemon();
    const r = await run(['apply', '-f', FABRIC_FILE, '--replace', '--no-reconcile']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(requests().length, 1);
    const { body } = requests()[0]!;
    assert.equal(requests()[0]!.path, `${API}/apply`);
    assert.deepEqual(Object.keys(body).sort(), ['apiVersion', 'candidateYaml', 'kind', 'noReconcile', 'replace']);
    assert.equal(body.kind, 'ApplyRequest');
    assert.equal(body.replace, true);
    assert.equal(body.noReconcile, true);
    assert.match(body.candidateYaml, /kind: EVPNFabric\nmetadata: \{name: lab\}/);
    // Stored, not applied: the daemon answers Pending and says so.
    assert.match(r.stdout, /^generation 1: Pending$/m);
    assert.match(r.stdout, /^EVPNNetwork\/blue\s+Pending\s+-$/m);
    assert.match(r.stdout, /^warning: noReconcile: stored, not applied$/m);
  });

  it('apply without --replace sends no replace flag', async () => {
    await apply(await freshDaemon(), FABRIC);
    const r = await run(['apply', '-f', '-'], { stdin: GEN2_YAML });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(requests()[0]!.body.replace, undefined);
    assert.equal(requests()[0]!.body.candidateYaml, GEN2_YAML);
    assert.match(r.stdout, /^generation 2: Applied$/m);
    assert.match(r.stdout, /^EVPNNetwork\/blue\s+Applied\s+-$/m);
  });

  it('plan sends dryRun true and prints each resource plan', async () => {
    await daemonIn('empty');
    const r = await run(['plan', '-f', FABRIC_FILE]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(requests()[0]!.body.dryRun, true);
    assert.equal(requests()[0]!.body.replace, undefined);
    assert.match(r.stdout, /EVPNFabric\/lab:\n(?: {2}.*\n)* {2}\+ router bgp 65000\n/);
    assert.match(r.stdout, /EVPNNetwork\/blue:\n {2}\+ bridge blue mtu 1450\n {2}\+ vxlan vxlan100 vni 100 /);
    assert.doesNotMatch(r.stdout, /EVPNNetwork\/green/);
    assert.match(r.stdout, /2 of 3 resources would change/);
    assert.equal(answerOf(0).result.phase, 'DryRun');
  });

  it('plan prints "no changes" when every plan is empty', async () => {
    await daemonIn('settled');
    const r = await run(['plan', '-f', FABRIC_FILE, '--replace']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(requests()[0]!.body.replace, true);
    assert.equal(r.stdout.trim(), 'no changes');
  });

  it('exits 1 and prints every problem line on a 400 answer', async () => {
    await daemonIn('empty');
    const bad = join(dir, 'invalid.yaml');
    await writeFile(bad, INVALID);
    const lines = validateYaml(INVALID).issues.map(formatIssue);
    assert.equal(lines.length, 4);
    assert.ok(lines.includes('EVPNNetwork/red: spec.vni: VNI_DUPLICATE: VNI 100 is already used by EVPNNetwork/blue'));
    for (const verb of ['apply', 'plan']) {
      const r = await run([verb, '-f', bad]);
      assert.equal(r.code, 1, verb);
      assert.match(r.stderr, /HTTP 400/);
      for (const line of lines)
        assert.ok(r.stderr.split('\n').includes(line), `${verb}: missing "${line}" in ${r.stderr}`);
    }
  });

  it('exits 1 on a 500 answer', async () => {
    // The generation store cannot write: a file stands where its directory goes.
    await writeFile(join((await freshDaemon()).stateDir, 'generations'), '');
    const r = await run(['apply', '-f', FABRIC_FILE]);
    assert.equal(requests()[0]!.status, 500);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /HTTP 500:\nINTERNAL: /);
  });
});

describe('transport and usage', () => {
  it('exits 2 when the socket does not exist', async () => {
    const r = await run(['--socket', join(dir, 'absent.sock'), 'status']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot reach routerd-evpn at .*absent\.sock: no such socket/);
  });

  it('exits 2 when the daemon does not answer in time', async () => {
    front.hang = true;
    const r = await run(['--timeout', '0.3', 'status']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no answer to GET .*status within 300 ms/);
  });

  it('exits 2 on bad usage and 0 on help listing every verb', async () => {
    assert.equal((await run(['frobnicate'])).code, 2);
    assert.equal((await run(['describe', 'blue'])).code, 2);
    assert.equal((await run(['get', '--to', '3'])).code, 2);
    const help = await run(['help']);
    assert.equal(help.code, 0);
    for (const verb of [
      'validate',
      'plan',
      'apply',
      'delete',
      'get',
      'describe',
      'rollback',
      'status',
      'doctor',
      'import',
    ])
      assert.match(help.stdout, new RegExp(`^  ${verb} `, 'm'));
    assert.equal(requests().length, 0);
  });

  it('works through bin/evpnctl.js reached by a symlink from another cwd', async () => {
    await daemonIn('settled');
    const link = join(dir, 'evpnctl');
    await symlink(join(ROOT, 'bin/evpnctl.js'), link).catch(() => undefined);
    const r = await run(['status'], { cmd: [link], cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Phase:\s+Healthy/);
  });
});

describe('read verbs', () => {
  it('get prints KIND NAME PHASE GENERATION MESSAGE with the first False condition', async () => {
    await daemonIn('twoNetworks');
    const r = await run(['get']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(requests()[0]!.query.subject, 'resources');
    const red = answerOf(0).items.find((i: { name: string }) => i.name === 'red');
    const firstFalse = red.status.conditions.find((c: { status: string }) => c.status === 'False');
    assert.equal(firstFalse.type, 'DevicesReady');
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^KIND\s+NAME\s+PHASE\s+GENERATION\s+MESSAGE$/);
    assert.match(lines[1]!, /^EVPNFabric\s+lab\s+Ready\s+2\s+-$/);
    assert.match(lines[2]!, /^EVPNNetwork\s+blue\s+Ready\s+2\s+-$/);
    assert.notEqual(red.status.phase, 'Ready');
    assert.match(
      lines[3]!,
      new RegExp(`^EVPNNetwork\\s+red\\s+${red.status.phase}\\s+2\\s+${reEscape(firstFalse.message)}$`),
    );
    assert.match(firstFalse.message, /red/);
  });

  it('get -o json and -o yaml print the raw items', async () => {
    await daemonIn('twoNetworks');
    const json = await run(['get', 'EVPNNetwork', '-o', 'json']);
    assert.equal(requests()[0]!.query.subject, 'EVPNNetwork');
    assert.deepEqual(JSON.parse(json.stdout), answerOf(0).items);
    assert.deepEqual(
      answerOf(0).items.map((i: { name: string }) => i.name),
      ['blue', 'red'],
    );
    const yaml = await run(['get', '-o', 'yaml']);
    assert.match(yaml.stdout, /^- apiVersion: evpn\.routerd\.net\/v1alpha1\n {2}kind: EVPNFabric/);
  });

  it('describe EVPNFabric shows FRR, results and the BGP sessions table', async () => {
    await daemonIn('thirdPeerDown');
    const r = await run(['describe', 'EVPNFabric/lab']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(requests()[0]!.query.target, 'EVPNFabric/lab');
    const reload = answerOf(0).resource.status.reload;
    assert.match(r.stdout, /^Node:\s+rec-a$/m);
    assert.match(r.stdout, /^ {2}Daemons:\s+bgpd, staticd, zebra$/m);
    assert.match(r.stdout, new RegExp(`^ {2}Reload:\\s+Unchanged \\(0 commands\\) at ${reEscape(reload.at)}$`, 'm'));
    assert.match(r.stdout, /^ {2}PEER\s+HOSTNAME\s+AS\s+STATE\s+UPTIME\s+PFX-RCVD\s+PFX-SENT$/m);
    assert.match(r.stdout, /^ {2}10\.99\.1\.2\s+rec-b\s+65000\s+Established\s+12s\s+8\s+8$/m);
    assert.match(r.stdout, /^ {2}10\.99\.1\.3\s+-\s+65000\s+Active\s+0s\s+0\s+0$/m);
  });

  it('describe EVPNNetwork shows device flags, VTEPs, MACs and ARP/ND', async () => {
    await daemonIn('settled');
    const r = await run(['describe', 'EVPNNetwork/blue']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^ {2}vxlan vxlan100: present, owned, up, mtu 1450, vni 100, local 10\.99\.1\.1, dstport 4789, master blue, learning off, neigh_suppress on$/m,
    );
    assert.match(r.stdout, /^ {2}Remote VTEPs:\s+10\.99\.1\.2$/m);
    const { macs, arpNd } = answerOf(0).resource.status;
    const remoteMac = macs.entries.find((m: { type: string }) => m.type === 'remote');
    assert.equal(remoteMac.remoteVtep, '10.99.1.2');
    assert.match(r.stdout, new RegExp(`^ {2}${reEscape(remoteMac.mac)}\\s+remote\\s+10\\.99\\.1\\.2$`, 'm'));
    const remoteArp = arpNd.find((e: { type: string }) => e.type === 'remote');
    assert.match(
      r.stdout,
      new RegExp(`^ {2}${reEscape(remoteArp.ip)}\\s+${reEscape(remoteArp.mac)}\\s+remote\\s+10\\.99\\.1\\.2$`, 'm'),
    );
  });

  it('describe -o json prints the DescribeResult as-is', async () => {
    await daemonIn('settled');
    const r = await run(['describe', 'EVPNNetwork/blue', '-o', 'json']);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), answerOf(0));
    assert.equal(answerOf(0).kind, 'DescribeResult');
  });

  it('describe of a missing resource exits 1 with the daemon message', async () => {
    await daemonIn('settled');
    const r = await run(['describe', 'EVPNNetwork/red']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /HTTP 404:\nNOT_FOUND: EVPNNetwork\/red/);
  });

  it('status prints phase, generation, resource count and the last controller error', async () => {
    const d = await freshDaemon();
    await d.fake.setFrrDown(true);
    await apply(d, CANDIDATE);
    const r = await run(['status']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Generation:\s+1$/m);
    assert.match(r.stdout, /^Resources:\s+3$/m);
    const ctl = answerOf(0).status.controllers[0];
    const row = `^ {2}evpn-reconciler\\s+reconcile\\s+failing\\s+${ctl.reconcileCount}\\s+frr: FRR is not reachable through vtysh: .* \\(at ${reEscape(ctl.lastErrorTime)}\\)$`;
    assert.match(r.stdout, new RegExp(row, 'm'));
  });
});

describe('delete and rollback', () => {
  it('delete posts the target and dryRun', async () => {
    await daemonIn('settled');
    const r = await run(['delete', 'EVPNNetwork/blue', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(requests()[0]!.body, {
      apiVersion: V,
      kind: 'DeleteRequest',
      target: 'EVPNNetwork/blue',
      dryRun: true,
    });
    assert.match(r.stdout, /would delete EVPNNetwork\/blue/);
    assert.match(r.stdout, /^ {2}- bridge blue \(routerd-evpn:EVPNNetwork\/blue\)$/m);
  });

  it('rollback picks the newest generation minus 1 and re-applies its YAML with replace', async () => {
    const d = await freshDaemon();
    for (const yaml of [FABRIC, GEN2_YAML, networkYaml('red', 200)]) await apply(d, yaml);
    const r = await run(['rollback']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      requests().map((q) => `${q.method} ${q.path.slice(API.length)} ${q.query.subject ?? ''}`.trim()),
      ['GET /get generations', 'GET /get generation/2', 'POST /apply'],
    );
    const gen2 = answerOf(1).raw.yaml;
    assert.match(gen2, /name: blue/);
    assert.doesNotMatch(gen2, /name: red/);
    assert.deepEqual(requests()[2]!.body, { apiVersion: V, kind: 'ApplyRequest', candidateYaml: gen2, replace: true });
    assert.match(r.stdout, /^rolled back to generation 2: new generation 4$/m);
  });

  it('rollback --to N refuses a generation that does not exist', async () => {
    const d = await freshDaemon();
    for (const yaml of [FABRIC, GEN2_YAML, networkYaml('red', 200)]) await apply(d, yaml);
    const r = await run(['rollback', '--to', '7']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /generation 7 does not exist \(stored generations: 1, 2, 3\)/);
    assert.equal(requests().filter((q) => q.method === 'POST').length, 0);
  });
});

describe('validate (local)', () => {
  it('prints every problem and exits 1 without any socket', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(
      bad,
      [
        'apiVersion: evpn.routerd.net/v1alpha1',
        'kind: EVPNFabric',
        'metadata: {name: lab}',
        'spec:',
        '  asn: 65000',
        '  nodes:',
        '    - {name: leaf1, vtepAddress: 10.0.0.300}',
        '---',
        'apiVersion: evpn.routerd.net/v1alpha1',
        'kind: EVPNNetwork',
        'metadata: {name: blue}',
        'spec:',
        '  vni: 20000000',
        '  ports: [{node: leaf9, interface: eth2}]',
        '',
      ].join('\n'),
    );
    const r = await run(['validate', '-f', bad], { env: { EVPNCTL_SOCKET: join(dir, 'absent.sock') } });
    assert.equal(r.code, 1);
    assert.deepEqual(r.stdout.trimEnd().split('\n'), [
      'EVPNFabric/lab: spec.nodes[0].vtepAddress: IP_INVALID: vtepAddress "10.0.0.300" is not an IPv4 or IPv6 address',
      'EVPNNetwork/blue: spec.vni: VNI_RANGE: VNI 20000000 is outside 1..16777215',
      'EVPNNetwork/blue: spec.ports[0].node: NODE_UNKNOWN: node "leaf9" is not in EVPNFabric spec.nodes',
    ]);
    const json = await run(['validate', '-f', bad, '-o', 'json']);
    assert.equal(json.code, 1);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.valid, false);
    assert.deepEqual(
      parsed.issues.map((i: { code: string }) => i.code),
      ['IP_INVALID', 'VNI_RANGE', 'NODE_UNKNOWN'],
    );
    assert.equal(requests().length, 0);
  });

  it('accepts a valid file from stdin', async () => {
    const r = await run(['validate', '-f', '-'], { stdin: await readFile(FABRIC_FILE, 'utf8') });
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stdout, 'valid: 3 resources\n');
  });
});

describe('doctor', () => {
  async function fakeTools(names: string[]): Promise<string> {
    const bin = await mkdtemp(join(dir, 'bin-'));
    for (const name of names) {
      await writeFile(join(bin, name), '#!/bin/sh\nexit 0\n');
      await chmod(join(bin, name), 0o755);
    }
    return bin;
  }

  it('all checks ok exits 0', async () => {
    await daemonIn('settled');
    const bin = await fakeTools([...SYSTEM_TOOLS]);
    const reload = join(bin, 'frr-reload.py');
    await writeFile(reload, '# fake\n');
    const r = await run(['doctor', '--frr-reload', reload], { env: { PATH: bin } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^ok\s+bgp sessions\s+1\/1 Established$/m);
    assert.match(r.stdout, /^ok\s+frr daemons\s+bgpd, staticd, zebra$/m);
    assert.doesNotMatch(r.stdout, /FAIL/);
    assert.equal(requests()[2]!.query.target, 'EVPNFabric/lab');
  });

  it('a session not Established and a missing tool are FAIL lines and exit 1', async () => {
    await daemonIn('thirdPeerDown');
    const bin = await fakeTools(SYSTEM_TOOLS.filter((t) => t !== 'bridge'));
    const r = await run(['doctor', '--frr-reload', join(bin, 'absent.py')], { env: { PATH: bin } });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^FAIL\s+bgp sessions\s+1\/2 Established; 10\.99\.1\.3 Active$/m);
    assert.match(r.stdout, /^FAIL\s+tool bridge\s+not found on PATH$/m);
    assert.match(r.stdout, /^FAIL\s+tool frr-reload\.py\s+/m);
    assert.match(r.stdout, /^ok\s+tool vtysh\s+/m);
  });

  it('a session the daemon expects but FRR does not list is a FAIL', async () => {
    await daemonIn('thirdPeerUnlisted');
    const r = await run(['doctor', '-o', 'json']);
    assert.equal(r.code, 1);
    const { ok, checks } = JSON.parse(r.stdout);
    assert.equal(ok, false);
    const fabric = front.exchanges.find((q) => q.query.target === 'EVPNFabric/lab')!.answer.resource.status;
    const condition = fabric.conditions.find((c: { type: string }) => c.type === 'SessionsEstablished');
    assert.equal(condition.status, 'False');
    assert.equal(fabric.bgp.sessions.length, 1);
    assert.deepEqual(
      checks.find((c: { check: string }) => c.check === 'bgp sessions'),
      { check: 'bgp sessions', level: 'FAIL', detail: condition.message },
    );
    const phase = answerOf(0).status.phase;
    const level = phase === 'Healthy' ? 'ok' : 'warn';
    assert.deepEqual(
      checks.find((c: { check: string }) => c.check === 'daemon phase'),
      { check: 'daemon phase', level, detail: phase },
    );
  });
});
