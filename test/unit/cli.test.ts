// evpnctl end to end against a tiny fake daemon: a real node:http server on a
// Unix socket in a temp dir answering routerd shapes with canned bodies. The
// real CLI runs as a child process; we assert requests, output and exit codes.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';

const ROOT = resolve(import.meta.dirname, '../..');
const API = '/api/control.routerd.net/v1alpha1';
const V = 'control.routerd.net/v1alpha1';

interface Recorded { method: string; path: string; query: Record<string, string>; body: any }
interface Answer { status: number; body: unknown; hang?: boolean }

const GEN2_YAML = 'apiVersion: evpn.routerd.net/v1alpha1\nkind: EVPNNetwork\nmetadata: {name: blue}\nspec: {vni: 100}\n';

const fabricStatus = (sessions: object[]) => ({
  phase: 'Ready', observedGeneration: 3, observedAt: '2025-01-01T00:00:00Z', node: 'leaf1',
  conditions: [{ type: 'Ready', status: 'True', reason: 'Reconciled', message: 'ok', lastTransitionTime: '2025-01-01T00:00:00Z' }],
  bgp: { routerId: '10.0.0.11', as: 65000, sessions },
  frr: { reachable: true, daemons: ['zebra', 'bgpd', 'staticd'] },
  conversion: { result: 'Succeeded', at: '2025-01-01T00:00:00Z' },
  reload: { result: 'Reloaded', commands: 7, at: '2025-01-01T00:00:00Z' },
  kernel: { result: 'Applied', writes: 3, changes: ['+ bridge blue mtu 1450'], at: '2025-01-01T00:00:00Z' },
  renderedConfigHash: 'sha256:aaa', runningConfigHash: 'sha256:aaa',
  counters: { reconciles: 5, reloads: 2, frrCommands: 40, kernelWrites: 3 },
});
const SESSION_UP = { peer: '10.0.0.1', hostname: 'rr1', remoteAs: 65000, state: 'Established', established: true, uptimeMs: 3_723_000, prefixesReceived: 12, prefixesSent: 4, connectionsEstablished: 1, connectionsDropped: 0 };
const SESSION_DOWN = { peer: '10.0.0.12', remoteAs: 65000, state: 'Active', established: false, uptimeMs: 0, prefixesReceived: 0, prefixesSent: 0, connectionsEstablished: 0, connectionsDropped: 1 };

const NETWORK_DESCRIBE = {
  apiVersion: V, kind: 'DescribeResult', metadata: { name: 'EVPNNetwork/blue' },
  resource: {
    apiVersion: 'evpn.routerd.net/v1alpha1', kind: 'EVPNNetwork', name: 'blue', spec: { vni: 100 },
    status: {
      phase: 'Ready', observedGeneration: 3, observedAt: '2025-01-01T00:00:00Z', conditions: [], vni: 100, onThisNode: true,
      devices: {
        bridge: { name: 'blue', present: true, owned: true, up: true, mtu: 1450 },
        vxlan: { name: 'vx-100', present: true, owned: true, up: true, mtu: 1450, vni: 100, local: '10.0.0.11', dstport: 4789, master: 'blue', learning: false, neighSuppress: true },
      },
      ports: [{ name: 'eth2', present: true, attached: true }],
      frr: { known: true, vxlanIf: 'vx-100', remoteVteps: ['10.0.0.12', '10.0.0.13'], numMacs: 2, numArpNd: 1 },
      macs: { local: 1, remote: 1, entries: [{ mac: 'aa:bb:cc:00:00:01', type: 'local', interface: 'eth2' }, { mac: 'aa:bb:cc:00:00:02', type: 'remote', remoteVtep: '10.0.0.12' }] },
      arpNd: [{ ip: '192.168.100.2', mac: 'aa:bb:cc:00:00:02', type: 'remote', remoteVtep: '10.0.0.12' }],
    },
  },
};

const ITEMS = [
  { apiVersion: 'evpn.routerd.net/v1alpha1', kind: 'EVPNFabric', name: 'lab', spec: {}, status: { phase: 'Ready', observedGeneration: 3, conditions: [] } },
  { apiVersion: 'evpn.routerd.net/v1alpha1', kind: 'EVPNNetwork', name: 'blue', spec: {}, status: { phase: 'Degraded', observedGeneration: 3, conditions: [{ type: 'Ready', status: 'True' }, { type: 'DevicesReady', status: 'False', reason: 'Missing', message: 'vxlan device vx-100 missing' }] } },
];

let dir: string;
let socket: string;
let server: Server;
let requests: Recorded[] = [];
let override: ((r: Recorded) => Answer | undefined) | undefined;
let sessions: object[] = [SESSION_UP];

// The fake daemon's canned answers, keyed by endpoint and query.
function answer(r: Recorded): Answer {
  const meta = { apiVersion: V, metadata: { name: 'routerd-evpn' } };
  const applyResult = (dryRun: boolean) => ({
    apiVersion: V, kind: 'ApplyResult',
    result: {
      generation: dryRun ? 3 : 4, timestamp: '2025-01-01T00:00:00Z', phase: dryRun ? 'DryRun' : 'Applied',
      resources: [
        { id: 'EVPNFabric/lab', phase: dryRun ? 'DryRun' : 'Applied', plan: dryRun ? ['+ router bgp 65000', '- no bgp default ipv4-unicast'] : undefined },
        { id: 'EVPNNetwork/blue', phase: dryRun ? 'DryRun' : 'Applied', plan: dryRun ? ['+ bridge blue mtu 1450'] : undefined },
        { id: 'EVPNNetwork/green', phase: dryRun ? 'DryRun' : 'Applied', plan: [] },
      ],
    },
  });
  switch (`${r.method} ${r.path}`) {
    case `GET ${API}/status`:
      return { status: 200, body: { ...meta, kind: 'Status', status: { phase: 'Healthy', generation: 3, resourceCount: 3, controllers: [{ name: 'evpn-reconciler', mode: 'reconcile', currentError: false, reconcileCount: 9, lastError: 'frr-reload exited 1', lastErrorTime: '2025-01-01T00:00:00Z' }] } } };
    case `POST ${API}/apply`:
      return { status: 200, body: applyResult(r.body?.dryRun === true) };
    case `POST ${API}/delete`:
      return { status: 200, body: { apiVersion: V, kind: 'DeleteResult', deleted: [r.body.target], dryRun: r.body.dryRun === true, result: { generation: 5, timestamp: '2025-01-01T00:00:00Z', phase: 'Applied', resources: [] } } };
    case `GET ${API}/describe`:
      if (r.query.target === 'EVPNNetwork/blue') return { status: 200, body: NETWORK_DESCRIBE };
      if (r.query.target === 'EVPNFabric/lab') return { status: 200, body: { ...meta, kind: 'DescribeResult', resource: { apiVersion: 'evpn.routerd.net/v1alpha1', kind: 'EVPNFabric', name: 'lab', spec: {}, status: fabricStatus(sessions) } } };
      return { status: 404, body: { apiVersion: V, kind: 'Error', error: { message: `NOT_FOUND: ${r.query.target}` } } };
    case `GET ${API}/get`: {
      const s = r.query.subject;
      if (s === 'generations') return { status: 200, body: { ...meta, kind: 'GetResult', ledger: { generations: [1, 2, 3].map((g) => ({ generation: g, startedAt: '2025-01-01T00:00:00Z', phase: 'Applied', configHash: `h${g}`, hasYaml: true })) } } };
      if (s === 'generation/2') return { status: 200, body: { ...meta, kind: 'GetResult', raw: { generation: 2, yaml: GEN2_YAML } } };
      if (s === 'EVPNFabric') return { status: 200, body: { ...meta, kind: 'GetResult', items: [ITEMS[0]] } };
      return { status: 200, body: { ...meta, kind: 'GetResult', items: ITEMS } };
    }
  }
  return { status: 404, body: { apiVersion: V, kind: 'Error', error: { message: 'no route' } } };
}

function run(args: string[], opts: { env?: Record<string, string>; stdin?: string; cmd?: string[]; cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const cmd = opts.cmd ?? ['--import', 'tsx', 'src/cli/main.ts'];
  return new Promise((done) => {
    const child = execFile(process.execPath, [...cmd, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, EVPNCTL_SOCKET: socket, ...opts.env } }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
    child.stdin?.end(opts.stdin ?? '');
  });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evpnctl-test-'));
  socket = join(dir, 'd.sock');
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const text = Buffer.concat(chunks).toString('utf8');
      const rec: Recorded = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), body: text ? JSON.parse(text) : undefined };
      requests.push(rec);
      const a = override?.(rec) ?? answer(rec);
      if (a.hang) return;
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((ok) => server.listen(socket, ok));
});

after(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  requests = [];
  override = undefined;
  sessions = [SESSION_UP];
});

const FABRIC_FILE = join(ROOT, 'lab/l2-fabric.fabric.yaml');

describe('apply and plan', () => {
  it('apply sends candidateYaml, replace and noReconcile, prints generation and phases', async () => {
    const r = await run(['apply', '-f', FABRIC_FILE, '--replace', '--no-reconcile']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(requests.length, 1);
    const { body } = requests[0];
    assert.equal(requests[0].path, `${API}/apply`);
    assert.deepEqual(Object.keys(body).sort(), ['apiVersion', 'candidateYaml', 'kind', 'noReconcile', 'replace']);
    assert.equal(body.kind, 'ApplyRequest');
    assert.equal(body.replace, true);
    assert.equal(body.noReconcile, true);
    assert.match(body.candidateYaml, /kind: EVPNFabric\nmetadata: \{name: lab\}/);
    assert.match(r.stdout, /^generation 4: Applied$/m);
    assert.match(r.stdout, /^EVPNNetwork\/blue\s+Applied\s+-$/m);
  });

  it('apply without --replace sends no replace flag', async () => {
    const r = await run(['apply', '-f', '-'], { stdin: GEN2_YAML });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(requests[0].body.replace, undefined);
    assert.equal(requests[0].body.candidateYaml, GEN2_YAML);
  });

  it('plan sends dryRun true and prints each resource plan', async () => {
    const r = await run(['plan', '-f', FABRIC_FILE]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(requests[0].body.dryRun, true);
    assert.equal(requests[0].body.replace, undefined);
    assert.match(r.stdout, /EVPNFabric\/lab:\n {2}\+ router bgp 65000\n {2}- no bgp default ipv4-unicast\n/);
    assert.match(r.stdout, /EVPNNetwork\/blue:\n {2}\+ bridge blue mtu 1450/);
    assert.doesNotMatch(r.stdout, /EVPNNetwork\/green/);
    assert.match(r.stdout, /2 of 3 resources would change/);
  });

  it('plan prints "no changes" when every plan is empty', async () => {
    override = (rec) => (rec.path.endsWith('/apply') ? { status: 200, body: { apiVersion: V, kind: 'ApplyResult', result: { generation: 3, timestamp: '2025-01-01T00:00:00Z', phase: 'DryRun', resources: [{ id: 'EVPNFabric/lab', phase: 'DryRun', plan: [] }] } } } : undefined);
    const r = await run(['plan', '-f', FABRIC_FILE, '--replace']);
    assert.equal(r.code, 0);
    assert.equal(requests[0].body.replace, true);
    assert.equal(r.stdout.trim(), 'no changes');
  });

  it('exits 1 and prints every problem line on a 400 answer', async () => {
    const lines = ['EVPNNetwork/blue: spec.vni: VNI_RANGE: VNI 0 is outside 1..16777215', 'EVPNFabric/lab: spec.nodes[0].vtepAddress: IP_INVALID: vtepAddress "x" is not an IPv4 or IPv6 address'];
    override = () => ({ status: 400, body: { apiVersion: V, kind: 'Error', error: { message: lines.join('\n') } } });
    for (const verb of ['apply', 'plan']) {
      const r = await run([verb, '-f', FABRIC_FILE]);
      assert.equal(r.code, 1, verb);
      assert.match(r.stderr, /HTTP 400/);
      for (const line of lines) assert.ok(r.stderr.split('\n').includes(line), `${verb}: missing "${line}" in ${r.stderr}`);
    }
  });

  it('exits 1 on a 500 answer', async () => {
    override = () => ({ status: 500, body: { apiVersion: V, kind: 'Error', error: { message: 'INTERNAL: boom' } } });
    const r = await run(['apply', '-f', FABRIC_FILE]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /INTERNAL: boom/);
  });
});

describe('transport and usage', () => {
  it('exits 2 when the socket does not exist', async () => {
    const r = await run(['--socket', join(dir, 'absent.sock'), 'status']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot reach routerd-evpn at .*absent\.sock: no such socket/);
  });

  it('exits 2 when the daemon does not answer in time', async () => {
    override = () => ({ status: 0, body: null, hang: true });
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
    for (const verb of ['validate', 'plan', 'apply', 'delete', 'get', 'describe', 'rollback', 'status', 'doctor']) assert.match(help.stdout, new RegExp(`^  ${verb} `, 'm'));
    assert.equal(requests.length, 0);
  });

  it('works through bin/evpnctl.js reached by a symlink from another cwd', async () => {
    const link = join(dir, 'evpnctl');
    await symlink(join(ROOT, 'bin/evpnctl.js'), link).catch(() => undefined);
    const r = await run(['status'], { cmd: [link], cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Phase:\s+Healthy/);
  });
});

describe('read verbs', () => {
  it('get prints KIND NAME PHASE GENERATION MESSAGE with the first False condition', async () => {
    const r = await run(['get']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(requests[0].query.subject, 'resources');
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^KIND\s+NAME\s+PHASE\s+GENERATION\s+MESSAGE$/);
    assert.match(lines[1], /^EVPNFabric\s+lab\s+Ready\s+3\s+-$/);
    assert.match(lines[2], /^EVPNNetwork\s+blue\s+Degraded\s+3\s+vxlan device vx-100 missing$/);
  });

  it('get -o json and -o yaml print the raw items', async () => {
    const json = await run(['get', 'EVPNNetwork', '-o', 'json']);
    assert.equal(requests[0].query.subject, 'EVPNNetwork');
    assert.deepEqual(JSON.parse(json.stdout), ITEMS);
    const yaml = await run(['get', '-o', 'yaml']);
    assert.match(yaml.stdout, /^- apiVersion: evpn\.routerd\.net\/v1alpha1\n {2}kind: EVPNFabric/);
  });

  it('describe EVPNFabric shows FRR, results and the BGP sessions table', async () => {
    sessions = [SESSION_UP, SESSION_DOWN];
    const r = await run(['describe', 'EVPNFabric/lab']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(requests[0].query.target, 'EVPNFabric/lab');
    assert.match(r.stdout, /^Node:\s+leaf1$/m);
    assert.match(r.stdout, /^ {2}Daemons:\s+zebra, bgpd, staticd$/m);
    assert.match(r.stdout, /^ {2}Reload:\s+Reloaded \(7 commands\) at 2025-01-01T00:00:00Z$/m);
    assert.match(r.stdout, /^ {2}PEER\s+HOSTNAME\s+AS\s+STATE\s+UPTIME\s+PFX-RCVD\s+PFX-SENT$/m);
    assert.match(r.stdout, /^ {2}10\.0\.0\.1\s+rr1\s+65000\s+Established\s+1h02m\s+12\s+4$/m);
    assert.match(r.stdout, /^ {2}10\.0\.0\.12\s+-\s+65000\s+Active\s+0s\s+0\s+0$/m);
  });

  it('describe EVPNNetwork shows device flags, VTEPs, MACs and ARP/ND', async () => {
    const r = await run(['describe', 'EVPNNetwork/blue']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}vxlan vx-100: present, owned, up, mtu 1450, vni 100, local 10\.0\.0\.11, dstport 4789, master blue, learning off, neigh_suppress on$/m);
    assert.match(r.stdout, /^ {2}Remote VTEPs:\s+10\.0\.0\.12, 10\.0\.0\.13$/m);
    assert.match(r.stdout, /^ {2}aa:bb:cc:00:00:02\s+remote\s+10\.0\.0\.12$/m);
    assert.match(r.stdout, /^ {2}192\.168\.100\.2\s+aa:bb:cc:00:00:02\s+remote\s+10\.0\.0\.12$/m);
  });

  it('describe -o json prints the DescribeResult as-is', async () => {
    const r = await run(['describe', 'EVPNNetwork/blue', '-o', 'json']);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), NETWORK_DESCRIBE);
  });

  it('describe of a missing resource exits 1 with the daemon message', async () => {
    const r = await run(['describe', 'EVPNNetwork/red']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /HTTP 404:\nNOT_FOUND: EVPNNetwork\/red/);
  });

  it('status prints phase, generation, resource count and the last controller error', async () => {
    const r = await run(['status']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Generation:\s+3$/m);
    assert.match(r.stdout, /^Resources:\s+3$/m);
    assert.match(r.stdout, /^ {2}evpn-reconciler\s+reconcile\s+ok\s+9\s+frr-reload exited 1 \(at 2025-01-01T00:00:00Z\)$/m);
  });
});

describe('delete and rollback', () => {
  it('delete posts the target and dryRun', async () => {
    const r = await run(['delete', 'EVPNNetwork/blue', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(requests[0].body, { apiVersion: V, kind: 'DeleteRequest', target: 'EVPNNetwork/blue', dryRun: true });
    assert.match(r.stdout, /would delete EVPNNetwork\/blue/);
  });

  it('rollback picks the newest generation minus 1 and re-applies its YAML with replace', async () => {
    const r = await run(['rollback']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(requests.map((q) => `${q.method} ${q.path.slice(API.length)} ${q.query.subject ?? ''}`.trim()), ['GET /get generations', 'GET /get generation/2', 'POST /apply']);
    assert.deepEqual(requests[2].body, { apiVersion: V, kind: 'ApplyRequest', candidateYaml: GEN2_YAML, replace: true });
    assert.match(r.stdout, /^rolled back to generation 2: new generation 4$/m);
  });

  it('rollback --to N refuses a generation that does not exist', async () => {
    const r = await run(['rollback', '--to', '7']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /generation 7 does not exist \(stored generations: 1, 2, 3\)/);
    assert.equal(requests.filter((q) => q.method === 'POST').length, 0);
  });
});

describe('validate (local)', () => {
  it('prints every problem and exits 1 without any socket', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, [
      'apiVersion: evpn.routerd.net/v1alpha1', 'kind: EVPNFabric', 'metadata: {name: lab}', 'spec:', '  asn: 65000', '  nodes:',
      '    - {name: leaf1, vtepAddress: 10.0.0.300}', '---', 'apiVersion: evpn.routerd.net/v1alpha1', 'kind: EVPNNetwork',
      'metadata: {name: blue}', 'spec:', '  vni: 20000000', '  ports: [{node: leaf9, interface: eth2}]', '',
    ].join('\n'));
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
    assert.deepEqual(parsed.issues.map((i: { code: string }) => i.code), ['IP_INVALID', 'VNI_RANGE', 'NODE_UNKNOWN']);
    assert.equal(requests.length, 0);
  });

  it('accepts a valid file from stdin', async () => {
    const { readFile } = await import('node:fs/promises');
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
    const bin = await fakeTools(['vtysh', 'ip', 'bridge', 'python3']);
    const reload = join(bin, 'frr-reload.py');
    await writeFile(reload, '# fake\n');
    const r = await run(['doctor', '--frr-reload', reload], { env: { PATH: bin } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^ok\s+bgp sessions\s+1\/1 Established$/m);
    assert.match(r.stdout, /^ok\s+frr daemons\s+zebra, bgpd, staticd$/m);
    assert.doesNotMatch(r.stdout, /FAIL/);
    assert.equal(requests[2].query.target, 'EVPNFabric/lab');
  });

  it('a session not Established and a missing tool are FAIL lines and exit 1', async () => {
    sessions = [SESSION_UP, SESSION_DOWN];
    const bin = await fakeTools(['vtysh', 'ip', 'python3']);
    const r = await run(['doctor', '--frr-reload', join(bin, 'absent.py')], { env: { PATH: bin } });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^FAIL\s+bgp sessions\s+1\/2 Established; 10\.0\.0\.12 Active$/m);
    assert.match(r.stdout, /^FAIL\s+tool bridge\s+not found on PATH$/m);
    assert.match(r.stdout, /^FAIL\s+tool frr-reload\.py\s+/m);
    assert.match(r.stdout, /^ok\s+tool vtysh\s+/m);
  });

  it('a session the daemon expects but FRR does not list is a FAIL', async () => {
    override = (rec) => {
      if (rec.query.target !== 'EVPNFabric/lab') return undefined;
      const status = { ...fabricStatus([SESSION_UP]), conditions: [{ type: 'SessionsEstablished', status: 'False', reason: 'SessionsDown', message: '1/2 established' }] };
      return { status: 200, body: { apiVersion: V, kind: 'DescribeResult', metadata: { name: 'lab' }, resource: { apiVersion: 'evpn.routerd.net/v1alpha1', kind: 'EVPNFabric', name: 'lab', status } } };
    };
    const r = await run(['doctor', '-o', 'json']);
    assert.equal(r.code, 1);
    const { ok, checks } = JSON.parse(r.stdout);
    assert.equal(ok, false);
    assert.deepEqual(checks.find((c: { check: string }) => c.check === 'bgp sessions'), { check: 'bgp sessions', level: 'FAIL', detail: '1/2 established' });
    assert.deepEqual(checks.find((c: { check: string }) => c.check === 'daemon phase'), { check: 'daemon phase', level: 'ok', detail: 'Healthy' });
  });
});
