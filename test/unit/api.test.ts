// The control API end to end through app.inject(): the real composition root,
// controller, reconciler and adapters, with tiny real executables standing in
// for ip, bridge, vtysh and frr-reload.py (test/helpers/fake-tools.ts). Every
// request and response body is checked against routerd's OpenAPI document.
import assert from 'node:assert/strict';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { API_PREFIX as API, CONTROL_API_VERSION as V } from '../../src/api/paths.ts';
import type { DaemonOptions } from '../../src/daemon/compose.ts';
import { type Answer, type FakeDaemon, startFakeDaemon } from '../helpers/fake-daemon.ts';
import type { FakeTools } from '../helpers/fake-tools.ts';
import {
  docs,
  FABRIC,
  INVALID,
  networkYaml as network,
  ownedDevices,
  VALID,
  vrfYaml,
} from '../helpers/recorded-fabric.ts';

// ---- routerd OpenAPI conformance ----------------------------------------

interface OpenApi {
  $id: string;
  paths: Record<string, Record<string, { requestBody?: Ref; responses: Record<string, Ref> }>>;
}
type Ref = { content: { 'application/json': { schema: { $ref: string } } } };

const OPENAPI_URL = new URL(
  '../../../shared/conformance/routerd/routerd-control-openapi-v1alpha1.json',
  import.meta.url,
);
const openapi = JSON.parse(await readFile(OPENAPI_URL, 'utf8')) as OpenApi;
// The document is OpenAPI, not a schema: its top-level keys are not keywords.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
ajv.addVocabulary(['openapi', 'info', 'paths', 'components']);
formats.default(ajv);
ajv.addSchema(openapi as object);

function schemaName(ref: Ref | undefined): string {
  const r = ref?.content['application/json'].schema.$ref;
  assert.ok(r, 'the OpenAPI operation names a JSON schema');
  return r.replace('#/components/schemas/', '');
}

function conforms(name: string, body: unknown): void {
  const validate = ajv.getSchema(`${openapi.$id}#/components/schemas/${name}`);
  assert.ok(validate, `schema ${name} exists`);
  if (!validate(body))
    assert.fail(
      `body does not conform to ${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body, null, 1)}`,
    );
}

// The request and response schemas the OpenAPI document gives an operation.
function operation(method: string, path: string) {
  const op = openapi.paths[path]?.[method.toLowerCase()];
  assert.ok(op, `${method} ${path} is a routerd control API operation`);
  return {
    request: op.requestBody ? schemaName(op.requestBody) : undefined,
    ok: schemaName(op.responses['200']),
    error: schemaName(op.responses.default),
  };
}

// ---- daemon under test ---------------------------------------------------

interface Harness extends FakeDaemon {
  call(method: 'GET' | 'POST', path: string, body?: object, headers?: Record<string, string>): Promise<Answer>;
  apply(candidateYaml: string, extra?: object): Promise<Answer>;
  del(target: string, extra?: object): Promise<Answer>;
  get(subject: string): Promise<Answer>;
}

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

// The fake daemon, with every request and response body checked against the OpenAPI document.
async function startDaemon(opts: Partial<DaemonOptions> = {}): Promise<Harness> {
  const d = await startFakeDaemon(opts);
  const call: Harness['call'] = async (method, path, body, headers) => {
    const [route] = path.split('?');
    const op = operation(method, route!);
    if (body !== undefined) conforms(op.request ?? 'none', body);
    const res = await d.inject(method, path, body, headers);
    conforms(res.status === 200 ? op.ok : op.error, res.body);
    return res;
  };
  const h: Harness = {
    ...d,
    call,
    apply: (candidateYaml, extra = {}) =>
      call('POST', `${API}/apply`, { apiVersion: V, kind: 'ApplyRequest', candidateYaml, ...extra }),
    del: (target, extra = {}) =>
      call('POST', `${API}/delete`, { apiVersion: V, kind: 'DeleteRequest', target, ...extra }),
    get: (subject) => call('GET', `${API}/get?subject=${encodeURIComponent(subject)}`),
  };
  open.push(h);
  return h;
}

const lines = (text: string | undefined) => (text ?? '').split('\n').filter(Boolean);
const writes = (fake: FakeTools) => fake.calls.filter((c) => c.args.includes('-batch') || c.args.includes('--reload'));

// ---- tests -----------------------------------------------------------------

describe('control API: apply', () => {
  it('refuses an invalid file with every problem at once and changes nothing', async () => {
    const h = await startDaemon();
    const res = await h.apply(INVALID);
    assert.equal(res.status, 400);
    assert.equal(res.body.kind, 'Error');
    const message: string = res.body.error.message;
    assert.match(message, /^REQUEST_INVALID: 4 problems in the desired set; nothing was changed$/m);
    assert.match(message, /^EVPNFabric\/lab: spec\.nodes\[1\]\.vtepAddress: IP_INVALID: .*"10\.99\.1\.300"/m);
    assert.match(
      message,
      /^EVPNNetwork\/red: spec\.vni: VNI_DUPLICATE: VNI 100 is already used by EVPNNetwork\/blue$/m,
    );
    assert.match(message, /^EVPNNetwork\/red: spec\.nodes\[0\]: NODE_UNKNOWN: node "rec-c"/m);
    assert.match(
      message,
      /^EVPNNetwork\/green: spec\.bridge: IFNAME_TOO_LONG: interface name "br-sixteen-bytes" is 16 bytes/m,
    );
    assert.equal(lines(message).length, 5, message);

    assert.deepEqual(writes(h.fake), []);
    for (const f of ['ip-batch.log', 'bridge-batch.log', 'reload.log', 'running.conf'])
      assert.equal(h.fake.exists(f), false, `${f} was written`);
    const gens = await h.get('generations');
    assert.equal(gens.status, 200);
    assert.deepEqual(gens.body.ledger.generations, []);
    const status = await h.call('GET', `${API}/status`);
    assert.equal(status.body.status.generation, 0);
    assert.equal(status.body.status.phase, 'Pending');
  });

  it('reports YAML syntax errors and foreign envelopes as 400', async () => {
    const h = await startDaemon();
    const bad = await h.apply('kind: [unclosed\n');
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /^document 1: \(document\): YAML_PARSE: /m);
    const unknown = await h.apply(
      'apiVersion: evpn.routerd.net/v1alpha1\nkind: EVPNTunnel\nmetadata: {name: t}\nspec: {}\n',
    );
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /^EVPNTunnel\/t: kind: KIND_UNKNOWN: /m);
  });

  it('applies a valid file, then reapplies it without touching the kernel or FRR', async () => {
    const h = await startDaemon({ frrPathspace: 'evpn1' });
    const first = await h.apply(VALID);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.kind, 'ApplyResult');
    assert.equal(first.body.result.generation, 1);
    assert.equal(first.body.result.phase, 'Applied');
    assert.deepEqual(first.body.result.resources, [
      { id: 'EVPNFabric/lab', phase: 'Applied' },
      { id: 'EVPNNetwork/blue', phase: 'Applied' },
    ]);

    const ip = lines(await h.fake.read('ip-batch.log'));
    // The world as ip ends up building it: bridge, then VXLAN (no learning) enslaved to it, both owned and up.
    const at = (re: RegExp) => ip.findIndex((l) => re.test(l));
    const steps = [
      /^link add name blue mtu 1450 type bridge$/,
      /^link set dev blue alias routerd-evpn:EVPNNetwork\/blue( |$)/,
      /^link add name vxlan100 mtu 1450 type vxlan id 100 local 10\.99\.1\.1 dstport 4789 nolearning$/,
      /^link set dev vxlan100 alias routerd-evpn:EVPNNetwork\/blue .*master blue$/,
      /^link set dev blue up$/,
      /^link set dev vxlan100 up$/,
    ].map(at);
    assert.ok(
      steps.every((i, n) => i >= 0 && (n === 0 || i > steps[n - 1]!)),
      `ip batch in order:\n${ip.join('\n')}`,
    );
    assert.equal(ip.length, 6, ip.join('\n'));
    assert.deepEqual(lines(await h.fake.read('bridge-batch.log')), [
      'link set dev vxlan100 learning off neigh_suppress on',
    ]);
    const reloads = lines(await h.fake.read('reload.log'));
    assert.equal(reloads.length, 1);
    assert.match(reloads[0]!, /^--pathspace evpn1 --reload --overwrite \S+\/frr\.conf$/);
    const running = (await h.fake.read('running.conf')) ?? '';
    assert.match(running, /^router bgp 65000$/m);
    assert.match(running, /^ neighbor 10\.99\.1\.2 remote-as 65000$/m);
    assert.match(running, /^ {2}advertise-all-vni$/m);
    for (const l of lines(await h.fake.read('vtysh.log'))) assert.match(l, /^-N evpn1 -c /);
    for (const l of lines(await h.fake.read('reload-test.log'))) assert.match(l, /^--pathspace evpn1 --test /);

    // The kernel now has the devices; FRR already runs the rendered config.
    await h.fake.setLinks(ownedDevices('blue', 100));
    const second = await h.apply(VALID);
    assert.equal(second.status, 200);
    assert.equal(second.body.result.generation, 2);
    assert.equal(second.body.result.phase, 'Applied');
    assert.equal(second.body.result.warnings, undefined);
    assert.deepEqual(lines(await h.fake.read('ip-batch.log')), ip, 'no new ip batch');
    assert.equal(lines(await h.fake.read('bridge-batch.log')).length, 1, 'no new bridge batch');
    assert.deepEqual(lines(await h.fake.read('reload.log')), reloads, 'no new reload');
    assert.equal(h.daemon.reconciler.state.reload.result, 'Unchanged');
    assert.equal(h.daemon.reconciler.state.kernel.result, 'Unchanged');

    const gens = await h.get('generations');
    assert.deepEqual(
      gens.body.ledger.generations.map((g: { generation: number; phase: string; hasYaml: boolean }) => [
        g.generation,
        g.phase,
        g.hasYaml,
      ]),
      [
        [1, 'Applied', true],
        [2, 'Applied', true],
      ],
    );
    const stored = await readdir(join(h.stateDir, 'generations'));
    assert.deepEqual(stored.sort(), ['gen-000001.yaml', 'gen-000002.yaml', 'generations.json']);
  });

  it('a batch the kernel refuses fails the apply, is not sent again on retries, and is tried again after a new apply', async () => {
    const h = await startDaemon();
    assert.equal((await h.apply(VALID)).body.result.phase, 'Applied');
    await h.fake.setLinks(ownedDevices('blue', 100));
    await writeFile(h.fake.file('ip-fail'), '');
    const before = lines(await h.fake.read('ip-batch.log')).length;
    const failed = await h.apply(`${FABRIC}---\n${network('blue', 101)}`);
    assert.equal(failed.status, 200);
    assert.equal(failed.body.result.phase, 'Failed');
    assert.match(
      failed.body.result.warnings[0],
      /ip -batch failed at "link del dev vxlan100": RTNETLINK answers: Operation not permitted; the devices were restored as they were before this run/,
    );
    const afterFail = lines(await h.fake.read('ip-batch.log')).length;
    assert.ok(afterFail > before, 'the batch was sent once');
    for (let i = 0; i < 3; i++) await h.daemon.reconciler.trigger('resync');
    assert.equal(
      lines(await h.fake.read('ip-batch.log')).length,
      afterFail,
      'retries and resyncs do not send the refused batch again',
    );
    assert.match(
      h.daemon.reconciler.state.kernel.message ?? '',
      /Operation not permitted.*not sent again before a new apply, a kernel change or \d{4}-/,
    );
    assert.equal(h.daemon.reconciler.state.nextRetryAt, undefined, 'no retry is scheduled for a batch known to fail');
    await rm(h.fake.file('ip-fail'));
    const again = await h.apply(`${FABRIC}---\n${network('blue', 101)}`);
    assert.equal(again.body.result.phase, 'Applied', JSON.stringify(again.body));
    assert.ok(lines(await h.fake.read('ip-batch.log')).length > afterFail, 'a new apply sends it again');
  });

  it('a refused batch is tried again once its hold time is over', async () => {
    const h = await startDaemon({ refusedRetryMs: 0 });
    assert.equal((await h.apply(VALID)).body.result.phase, 'Applied');
    await h.fake.setLinks(ownedDevices('blue', 100));
    await writeFile(h.fake.file('ip-fail'), '');
    assert.equal((await h.apply(`${FABRIC}---\n${network('blue', 101)}`)).body.result.phase, 'Failed');
    const sent = lines(await h.fake.read('ip-batch.log')).length;
    await h.daemon.reconciler.trigger('resync');
    assert.ok(lines(await h.fake.read('ip-batch.log')).length > sent, 'sent again');
  });

  it('is a partial upsert by identity; replace swaps the whole set', async () => {
    const h = await startDaemon();
    assert.equal((await h.apply(VALID)).status, 200);
    const added = await h.apply(network('red', 200));
    assert.equal(added.status, 200);
    assert.deepEqual(
      added.body.result.resources.map((r: { id: string }) => r.id),
      ['EVPNNetwork/red'],
    );
    assert.deepEqual(
      (await h.get('EVPNNetwork')).body.items.map((i: { name: string }) => i.name),
      ['blue', 'red'],
    );
    const replaced = await h.apply(`${FABRIC}---\n${network('red', 200)}`, { replace: true });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.body.result.generation, 3);
    assert.deepEqual(
      (await h.get('EVPNNetwork')).body.items.map((i: { name: string }) => i.name),
      ['red'],
    );
  });

  it('dry run plans FRR and kernel changes and writes nothing', async () => {
    const h = await startDaemon();
    const res = await h.apply(VALID, { dryRun: true });
    assert.equal(res.status, 200);
    assert.equal(res.body.result.phase, 'DryRun');
    assert.equal(res.body.result.generation, 0);
    const plan = new Map<string, string[]>(
      res.body.result.resources.map((r: { id: string; plan: string[] }) => [r.id, r.plan]),
    );
    assert.ok(plan.get('EVPNFabric/lab')?.includes('+ router bgp 65000'), JSON.stringify(res.body));
    assert.ok(plan.get('EVPNFabric/lab')?.includes('+   advertise-all-vni'), JSON.stringify(res.body));
    assert.deepEqual(plan.get('EVPNNetwork/blue'), [
      '+ bridge blue mtu 1450',
      '+ vxlan vxlan100 vni 100 local 10.99.1.1 dstport 4789 mtu 1450 master blue learning off neigh_suppress on',
    ]);
    assert.deepEqual(writes(h.fake), []);
    for (const f of ['ip-batch.log', 'bridge-batch.log', 'reload.log', 'running.conf'])
      assert.equal(h.fake.exists(f), false, `${f} was written`);
    assert.deepEqual((await h.get('generations')).body.ledger.generations, []);
    assert.deepEqual((await h.get('resources')).body.items, []);

    // After a real apply, a dry-run change shows only that change.
    assert.equal((await h.apply(VALID)).body.result.generation, 1);
    await h.fake.setLinks(ownedDevices('blue', 100));
    const before = writes(h.fake).length;
    const change = await h.apply(network('blue', 100, ', mtu: 1400'), { dryRun: true });
    assert.equal(change.body.result.phase, 'DryRun');
    assert.equal(change.body.result.generation, 1);
    const changed = new Map<string, string[]>(
      change.body.result.resources.map((r: { id: string; plan: string[] }) => [r.id, r.plan]),
    );
    assert.deepEqual(changed.get('EVPNNetwork/blue'), ['~ blue: mtu 1450 -> 1400', '~ vxlan100: mtu 1450 -> 1400']);
    assert.deepEqual(changed.get('EVPNFabric/lab'), []);
    assert.equal(writes(h.fake).length, before);
    assert.equal((await h.get('generations')).body.ledger.generations.length, 1);
  });

  it('refuses a request of the wrong kind or apiVersion', async () => {
    const h = await startDaemon();
    const wrongKind = await h.call('POST', `${API}/apply`, {
      apiVersion: V,
      kind: 'DeleteRequest',
      candidateYaml: VALID,
    });
    assert.equal(wrongKind.status, 400);
    assert.equal(wrongKind.body.kind, 'Error');
    assert.match(
      wrongKind.body.error.message,
      /^REQUEST_INVALID: unsupported kind "DeleteRequest"; expected ApplyRequest/,
    );
    const wrongVersion = await h.call('POST', `${API}/apply`, {
      apiVersion: 'control.routerd.net/v2',
      kind: 'ApplyRequest',
      candidateYaml: VALID,
    });
    assert.equal(wrongVersion.status, 400);
    const noYaml = await h.call('POST', `${API}/apply`, { apiVersion: V, kind: 'ApplyRequest' });
    assert.equal(noYaml.status, 400);
    assert.match(noYaml.body.error.message, /candidateYaml/);
    const deleteKind = await h.call('POST', `${API}/delete`, {
      apiVersion: V,
      kind: 'ApplyRequest',
      target: 'EVPNNetwork/blue',
    });
    assert.equal(deleteKind.status, 400);
    assert.deepEqual(writes(h.fake), []);
  });

  it('refuses unknown or mistyped request fields instead of ignoring them', async () => {
    const h = await startDaemon();
    // Not sent through call(): these bodies deliberately break routerd's schema.
    const send = (url: string, payload: object) =>
      h.daemon.app.inject({ method: 'POST', url, payload }).then((r) => ({ status: r.statusCode, body: r.json() }));
    const typo = await send(`${API}/apply`, {
      apiVersion: V,
      kind: 'ApplyRequest',
      candidateYaml: VALID,
      dryrun: true,
    });
    assert.equal(typo.status, 400);
    conforms('Error', typo.body);
    assert.match(typo.body.error.message, /^ApplyRequest: dryrun: FIELD_UNKNOWN: unknown field "dryrun"/m);
    const text = await send(`${API}/apply`, {
      apiVersion: V,
      kind: 'ApplyRequest',
      candidateYaml: VALID,
      dryRun: 'true',
      replace: 1,
    });
    assert.equal(text.status, 400);
    assert.match(
      text.body.error.message,
      /^REQUEST_INVALID: 2 problems in the ApplyRequest body; nothing was changed$/m,
    );
    assert.match(text.body.error.message, /^ApplyRequest: dryRun: FIELD_TYPE: expected boolean, got "true"$/m);
    assert.match(text.body.error.message, /^ApplyRequest: replace: FIELD_TYPE: expected boolean, got 1$/m);
    const del = await send(`${API}/delete`, {
      apiVersion: V,
      kind: 'DeleteRequest',
      target: 'EVPNNetwork/blue',
      dryrun: true,
    });
    assert.equal(del.status, 400);
    assert.deepEqual(writes(h.fake), []);
    assert.deepEqual((await h.get('generations')).body.ledger.generations, []);
    // routerctl's own optional fields are accepted.
    assert.equal(
      (await h.del('EVPNNetwork/blue', { force: true, targetApiVersion: 'evpn.routerd.net/v1alpha1' })).status,
      404,
    );
  });

  it('runs concurrent applies one at a time, each its own generation', async () => {
    const h = await startDaemon();
    assert.equal((await h.apply(FABRIC)).status, 200);
    const [blue, red, green] = await Promise.all([
      h.apply(network('blue', 100)),
      h.apply(network('red', 200)),
      h.del('EVPNFabric/nope'),
    ]);
    assert.deepEqual([blue.status, red.status, green.status], [200, 200, 404]);
    assert.deepEqual([blue.body.result.generation, red.body.result.generation].sort(), [2, 3]);
    assert.deepEqual(
      (await h.get('generations')).body.ledger.generations.map((g: { generation: number }) => g.generation),
      [1, 2, 3],
    );
    assert.deepEqual(
      (await h.get('EVPNNetwork')).body.items.map((i: { name: string }) => i.name),
      ['blue', 'red'],
    );
  });

  it('answers a body that is not JSON with a routerd Error', async () => {
    const h = await startDaemon();
    const res = await h.daemon.app.inject({
      method: 'POST',
      url: `${API}/apply`,
      payload: '{not json',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.statusCode, 400);
    conforms('Error', res.json());
  });
});

describe('control API: FRR down', () => {
  it('stores the generation, reports FRR unreachable, does not start FRR, and recovers by retry', async () => {
    const h = await startDaemon();
    await h.fake.setFrrDown(true);
    const res = await h.apply(VALID);
    assert.equal(res.status, 200);
    assert.equal(res.body.result.generation, 1);
    assert.equal(res.body.result.phase, 'Failed');
    assert.match(
      res.body.result.warnings[0],
      /^frr: FRR is not reachable through vtysh: Exiting: failed to connect to any daemons\.$/,
    );
    for (const r of res.body.result.resources) {
      assert.equal(r.phase, 'Error');
      assert.match(r.conditions[0].message, /FRR is not reachable/);
    }

    const status = await h.call('GET', `${API}/status`);
    const ctl = status.body.status.controllers[0];
    assert.equal(ctl.currentError, true);
    assert.match(ctl.lastError, /FRR is not reachable/);
    assert.ok(ctl.nextReconcileTime, 'a retry is scheduled');
    assert.equal(status.body.status.phase, 'Degraded');
    const fabric = await h.call('GET', `${API}/describe?target=EVPNFabric/lab`);
    assert.equal(fabric.body.resource.status.frr.reachable, false);
    assert.equal(fabric.body.resource.status.phase, 'Error');
    assert.equal(
      fabric.body.resource.status.conditions.find((c: { type: string }) => c.type === 'FRRReachable').status,
      'False',
    );

    // Only the four known tools ran; nothing tried to start or reload FRR.
    assert.deepEqual(
      [...new Set(h.fake.calls.map((c) => c.file))].filter((f) => !['ip', 'bridge', 'vtysh', 'python3'].includes(f)),
      [],
    );
    assert.equal(
      h.fake.calls.some((c) => c.args.includes('--reload')),
      false,
    );
    assert.equal(h.fake.exists('reload.log'), false);

    // Level-based retry: once FRR answers, the same generation gets applied.
    await h.fake.setFrrDown(false);
    const deadline = Date.now() + 10_000;
    while (h.daemon.reconciler.state.appliedGeneration !== 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    assert.equal(h.daemon.reconciler.state.appliedGeneration, 1);
    const after = await h.call('GET', `${API}/status`);
    assert.equal(after.body.status.controllers[0].currentError, false);
    assert.equal(lines(await h.fake.read('reload.log')).length, 1);
    assert.equal((await h.get('generations')).body.ledger.generations[0].phase, 'Applied');
  });
});

describe('control API: routed networks', () => {
  const ROUTED = docs(
    FABRIC,
    vrfYaml('red', 4000),
    network('blue', 100, ', vrf: red, gateway: {ipv4: 10.100.0.254/24}'),
  );

  it('switches IP forwarding and ARP learning on the gateway on through sysctl, once', async () => {
    const h = await startDaemon();
    const res = await h.apply(ROUTED);
    assert.equal(res.body.result.phase, 'Applied', JSON.stringify(res.body));
    assert.deepEqual(lines(await h.fake.read('sysctl.txt')), [
      'net.ipv4.ip_forward = 1',
      'net.ipv4.conf.blue.arp_accept = 1',
    ]);
    assert.deepEqual(
      lines(await h.fake.read('sysctl.log')).filter((l) => l.startsWith('-e -w ')),
      ['-e -w net.ipv4.ip_forward=1 net.ipv4.conf.blue.arp_accept=1'],
    );
    assert.ok(h.daemon.reconciler.state.kernel.changes.includes('~ sysctl net.ipv4.ip_forward=1'));
    assert.equal(h.daemon.reconciler.state.forwardingError, undefined);
  });
});

describe('fake tools', () => {
  it('refuse to run a tool they do not fake, naming it', async () => {
    const h = await startDaemon();
    await assert.rejects(h.fake.runner('nft', ['list', 'ruleset']), /refusing to run "nft" \(list ruleset\)/);
    await assert.rejects(
      h.fake.runner('python3', ['/usr/lib/frr/frr-reload.py', '--test']),
      /refusing to run "python3"/,
    );
    assert.deepEqual(
      h.fake.refused.splice(0).map((c) => c.file),
      ['nft', 'python3'],
    );
  });
});

describe('control API: delete', () => {
  it('deletes a network and its devices; refuses unknown targets and an orphaning fabric delete', async () => {
    const h = await startDaemon();
    assert.equal((await h.apply(`${VALID}---\n${network('red', 200)}`)).status, 200);
    await h.fake.setLinks([...ownedDevices('blue', 100), ...ownedDevices('red', 200)]);

    const dry = await h.del('EVPNNetwork/red', { dryRun: true });
    assert.equal(dry.status, 200);
    assert.equal(dry.body.dryRun, true);
    assert.equal(dry.body.result.generation, 1);
    assert.deepEqual(dry.body.deleted, ['EVPNNetwork/red']);
    const redPlan = dry.body.result.resources.find((r: { id: string }) => r.id === 'EVPNNetwork/red');
    assert.deepEqual(redPlan?.plan, [
      '- bridge red (routerd-evpn:EVPNNetwork/red)',
      '- vxlan vxlan200 (routerd-evpn:EVPNNetwork/red)',
    ]);
    assert.deepEqual(dry.body.result.resources.find((r: { id: string }) => r.id === 'EVPNNetwork/blue')?.plan, []);

    const batchesBefore = lines(await h.fake.read('ip-batch.log')).length;
    const res = await h.del('EVPNNetwork/red');
    assert.equal(res.status, 200);
    assert.equal(res.body.kind, 'DeleteResult');
    assert.deepEqual(res.body.deleted, ['EVPNNetwork/red']);
    assert.equal(res.body.dryRun, false);
    assert.equal(res.body.result.generation, 2);
    assert.equal(res.body.result.phase, 'Applied');
    assert.deepEqual(lines(await h.fake.read('ip-batch.log')).slice(batchesBefore), [
      'link del dev red',
      'link del dev vxlan200',
    ]);
    assert.deepEqual(
      (await h.get('resources')).body.items.map((i: { kind: string; name: string }) => `${i.kind}/${i.name}`),
      ['EVPNFabric/lab', 'EVPNNetwork/blue'],
    );

    const unknown = await h.del('EVPNNetwork/nope');
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /^NOT_FOUND: EVPNNetwork\/nope is not in the desired set/);
    const malformed = await h.del('nope');
    assert.equal(malformed.status, 400);
    assert.match(malformed.body.error.message, /^TARGET_INVALID: /);

    const fabric = await h.del('EVPNFabric/lab');
    assert.equal(fabric.status, 400);
    assert.match(fabric.body.error.message, /^EVPNNetwork\/blue: spec: FABRIC_MISSING: /m);
    assert.equal((await h.get('generations')).body.ledger.generations.length, 2);
  });
});

describe('control API: reads', () => {
  it('get, describe and status report the applied state in routerd shapes', async () => {
    const h = await startDaemon({ frrPathspace: 'evpn1' });
    assert.equal((await h.apply(VALID)).status, 200);
    await h.fake.setLinks(ownedDevices('blue', 100));
    assert.equal((await h.apply(VALID)).body.result.generation, 2); // reconciles against the devices now present

    const status = await h.call('GET', `${API}/status`);
    assert.equal(status.status, 200);
    assert.equal(status.body.kind, 'Status');
    assert.equal(status.body.metadata.name, 'routerd-evpn/rec-a');
    assert.equal(status.body.status.phase, 'Healthy', JSON.stringify(status.body.status.resourcePhaseIssues));
    assert.equal(status.body.status.generation, 2);
    assert.equal(status.body.status.resourceCount, 2);
    assert.deepEqual(status.body.status.resourcePhaseIssues, []);
    assert.equal(status.body.status.controllers[0].currentError, false);
    assert.equal(status.body.status.controllers[0].reconcileCount, 2);

    const all = await h.get('resources');
    assert.equal(all.body.kind, 'GetResult');
    assert.deepEqual(
      all.body.items.map((i: { kind: string; name: string; status: { phase: string } }) => [
        i.kind,
        i.name,
        i.status.phase,
      ]),
      [
        ['EVPNFabric', 'lab', 'Ready'],
        ['EVPNNetwork', 'blue', 'Ready'],
      ],
    );
    assert.deepEqual(
      (await h.get('EVPNNetwork/blue')).body.items.map((i: { name: string }) => i.name),
      ['blue'],
    );
    assert.equal((await h.get('EVPNNetwork/nope')).status, 404);
    const raw = await h.get('generation/1');
    assert.equal(raw.body.raw.generation, 1);
    assert.match(raw.body.raw.yaml, /^kind: EVPNNetwork$/m);
    assert.equal((await h.get('generation/9')).status, 404);

    const fabric = await h.call('GET', `${API}/describe?target=EVPNFabric/lab`);
    assert.equal(fabric.status, 200);
    assert.equal(fabric.body.kind, 'DescribeResult');
    const fs = fabric.body.resource.status;
    assert.equal(fs.phase, 'Ready');
    assert.equal(fs.observedGeneration, 2);
    assert.equal(fs.node, 'rec-a');
    assert.deepEqual(fs.frr, {
      reachable: true,
      daemons: ['bgpd', 'staticd', 'zebra'],
      version: '8.4.4',
      pathspace: 'evpn1',
    });
    assert.equal(fs.bgp.sessions.length, 1);
    assert.equal(fs.bgp.sessions[0].peer, '10.99.1.2');
    assert.equal(fs.bgp.sessions[0].established, true);
    assert.equal(fs.conversion.result, 'Succeeded');
    assert.equal(fs.reload.result, 'Unchanged');
    assert.equal(fs.kernel.result, 'Unchanged');
    assert.equal(fs.counters.reloads, 1);
    assert.match(fs.runningConfigHash, /^[0-9a-f]{64}$/);
    for (const c of fs.conditions) assert.equal(c.status, 'True', JSON.stringify(c));
    for (const c of fs.conditions) assert.ok(!Number.isNaN(Date.parse(c.lastTransitionTime)));

    const net = await h.call('GET', `${API}/describe?target=EVPNNetwork/blue`);
    const ns = net.body.resource.status;
    assert.equal(ns.phase, 'Ready');
    assert.equal(ns.vni, 100);
    assert.equal(ns.onThisNode, true);
    assert.deepEqual(ns.devices.bridge, { name: 'blue', present: true, owned: true, up: true, mtu: 1450 });
    assert.deepEqual(ns.devices.vxlan, {
      name: 'vxlan100',
      present: true,
      owned: true,
      up: true,
      mtu: 1450,
      master: 'blue',
      vni: 100,
      local: '10.99.1.1',
      dstport: 4789,
      learning: false,
      neighSuppress: true,
    });
    assert.deepEqual(ns.frr, { known: true, vxlanIf: 'vxlan100', remoteVteps: ['10.99.1.2'], numMacs: 2, numArpNd: 4 });
    assert.deepEqual([ns.macs.local, ns.macs.remote], [1, 1]);

    const unknown = await h.call('GET', `${API}/describe?target=EVPNNetwork/nope`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.kind, 'Error');
    assert.equal((await h.call('GET', `${API}/describe?target=nope`)).status, 400);
    assert.equal((await h.call('GET', `${API}/describe`)).status, 400);
    assert.equal((await h.call('GET', `${API}/describe?target=EVPNNetwork/blue/x`)).status, 400);
    assert.equal((await h.get('EVPNNetwork/blue/x')).status, 400);
  });

  it('answers an unknown route with a routerd Error', async () => {
    const h = await startDaemon();
    const res = await h.daemon.app.inject({ method: 'GET', url: `${API}/nope` });
    assert.equal(res.statusCode, 404);
    conforms('Error', res.json());
  });

  it('loads the newest stored generation on start', async () => {
    const h = await startDaemon();
    assert.equal((await h.apply(VALID)).status, 200);
    const again = await h.again();
    try {
      const res = await again.app.inject({ method: 'GET', url: `${API}/get?subject=resources` });
      conforms('GetResult', res.json());
      assert.deepEqual(
        res.json().items.map((i: { name: string }) => i.name),
        ['lab', 'blue'],
      );
    } finally {
      await again.reconciler.stop();
      await again.app.close();
    }
  });
});

describe('control API: input that must never be half-applied', () => {
  it('a file naming one resource twice is refused, not silently collapsed', async () => {
    const h = await startDaemon();
    const res = await h.apply(`${VALID}---\n${network('blue', 200)}`);
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /EVPNNetwork\/blue: metadata\.name: RESOURCE_DUPLICATE/);
    assert.deepEqual(writes(h.fake), []);
  });

  it('a stored generation that no longer validates is reported and never applied', async () => {
    const h = await startDaemon();
    assert.equal((await h.apply(VALID)).status, 200);
    const before = writes(h.fake).length;
    // Simulate an upgrade whose rules refuse what was stored: corrupt the stored YAML's VTEP.
    const gen = join(h.stateDir, 'generations', 'gen-000001.yaml');
    await writeFile(gen, (await readFile(gen, 'utf8')).replace('10.99.1.2', '10.99.1.300'));
    const again = await h.again();
    try {
      await again.reconciler.trigger('startup');
      const s = again.reconciler.state;
      assert.equal(s.conversion.result, 'Failed');
      assert.match(
        s.conversion.message ?? '',
        /no longer validates: EVPNFabric\/lab: spec\.nodes\[1\]\.vtepAddress: IP_INVALID/,
      );
      assert.equal(writes(h.fake).length, before, 'no kernel batch and no FRR reload');
    } finally {
      await again.reconciler.stop();
      await again.app.close();
    }
  });
});

describe('control API: bearer token', () => {
  it('requires Authorization: Bearer <token> when a token is set', async () => {
    const h = await startDaemon({ token: 's3cret' });
    const none = await h.call('GET', `${API}/status`);
    assert.equal(none.status, 401);
    assert.equal(none.body.kind, 'Error');
    assert.match(none.body.error.message, /^UNAUTHORIZED:/);
    assert.equal((await h.call('GET', `${API}/status`, undefined, { authorization: 'Bearer wrong' })).status, 401);
    assert.equal(
      (
        await h.call(
          'POST',
          `${API}/apply`,
          { apiVersion: V, kind: 'ApplyRequest', candidateYaml: VALID },
          { authorization: 'Basic s3cret' },
        )
      ).status,
      401,
    );
    assert.deepEqual(writes(h.fake), []);
    const ok = await h.call('GET', `${API}/status`, undefined, { authorization: 'Bearer s3cret' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.kind, 'Status');
  });
});

describe('routerd OpenAPI conformance checks', () => {
  it('reject bodies routerd would not accept (the checks above are not vacuous)', () => {
    assert.throws(
      () => conforms('Error', { apiVersion: V, kind: 'Error', error: { message: 'x', code: 'X' } }),
      /must NOT have additional properties/,
    );
    assert.throws(
      () =>
        conforms('ApplyResult', {
          apiVersion: V,
          kind: 'ApplyResult',
          result: { generation: 1, timestamp: 'yesterday', phase: 'Applied', resources: [] },
        }),
      /must match format "date-time"/,
    );
    assert.throws(
      () => conforms('DeleteRequest', { apiVersion: V, kind: 'DeleteRequest' }),
      /must have required property 'target'/,
    );
    conforms('ApplyRequest', {
      apiVersion: V,
      kind: 'ApplyRequest',
      candidateYaml: '',
      replace: false,
      noReconcile: false,
      dryRun: true,
    });
  });
});
