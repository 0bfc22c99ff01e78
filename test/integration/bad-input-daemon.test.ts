// The bad-input corpus against a live daemon on real FRR and the real kernel:
// one hypervisor namespace with a working network (generation 1). Every case
// must be refused with its code and problems, and afterwards the kernel, FRR's
// running config and the generation store are exactly as before. While a large
// file is validated the API keeps answering, and the daemon's memory stays
// under the documented bound. Runs on FRR 8.4 and on FRR 10.3. Needs root.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Lab, labDown, labUp } from '../../lab/lab.ts';
import { readState } from '../../lab/state.ts';
import { formatIssue } from '../../src/resources/error-codes.ts';
import { LIMITS } from '../../src/resources/limits.ts';
import { loadCorpus } from '../bad-input/corpus.ts';
import { type FrrVariant, IMAGE_8_4, IMAGE_10_3, selected, variantTopology } from '../helpers/frr-variants.ts';
import { api, applyBody, evpnctl, inNs, runningConfig, vtyshJson, waitFor } from '../helpers/lab-harness.ts';

const BASE_TOPO = fileURLToPath(new URL('./fixtures/badin.clab.yml', import.meta.url));
const FABRIC = fileURLToPath(new URL('./fixtures/badin.fabric.yaml', import.meta.url));
const NS = 'clab-badin-hv1';
const MEMORY_BOUND_KIB = 1024 * 1024; // docs/operations.md#input-limits: under 1 GiB
const root = process.getuid?.() === 0;

// What must not change: our devices and ports with their attributes and addresses.
async function kernelSnapshot(): Promise<string> {
  const r = await inNs(NS, ['ip', '-j', '-d', 'addr', 'show']);
  assert.equal(r.exitCode, 0, r.stderr);
  const links = JSON.parse(r.stdout) as any[];
  return JSON.stringify(
    links.map((l) => ({
      ifindex: l.ifindex,
      ifname: l.ifname,
      mtu: l.mtu,
      master: l.master,
      alias: l.ifalias,
      up: l.flags.includes('UP'),
      address: l.address,
      kind: l.linkinfo?.info_kind,
      data:
        l.linkinfo?.info_kind === 'vxlan'
          ? [
              l.linkinfo.info_data.id,
              l.linkinfo.info_data.local,
              l.linkinfo.info_data.port,
              l.linkinfo.info_data.learning,
            ]
          : undefined,
      port: l.linkinfo?.info_slave_data
        ? [l.linkinfo.info_slave_data.learning, l.linkinfo.info_slave_data.neigh_suppress]
        : undefined,
      addresses: (l.addr_info ?? []).map((a: any) => `${a.local}/${a.prefixlen}`).sort(),
    })),
    null,
    1,
  );
}

async function storeSnapshot(lab: Lab): Promise<string> {
  const dir = join(lab.paths.stateDir('hv1'), 'generations');
  const files = (await readdir(dir)).sort();
  return JSON.stringify({ files, ledger: await readFile(join(dir, 'generations.json'), 'utf8') });
}

function daemonPid(lab: Lab): number {
  const p = readState(lab.paths)!.processes.find((x) => x.node === 'hv1' && x.role === 'routerd-evpn');
  assert.ok(p, 'the daemon of hv1 is recorded');
  return p.pid;
}

async function peakRssKib(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
}

// The problem line the daemon sends for an expected [resource, path, code].
const lineOf = ([resource, path, code]: [string, string, string]) =>
  formatIssue({ resource, path, code: code as never, message: '' }).trimEnd();

const VARIANTS = [
  { key: '8.4', name: 'FRR 8.4', images: { hv1: IMAGE_8_4 } },
  { key: '10.3', name: 'FRR 10.3', images: { hv1: IMAGE_10_3 } },
];

for (const variant of selected(VARIANTS)) badInput(variant);

function badInput(variant: FrrVariant): void {
  describe(`the bad-input corpus against a live daemon on ${variant.name}`, {
    skip: root ? false : 'needs root',
    timeout: 900_000,
  }, () => {
    let lab: Lab;
    let TOPO: string;
    let removeTopology: () => void = () => undefined;
    const cases = loadCorpus();
    let before_: { kernel: string; frr: string; store: string };
    const sock = () => lab.paths.socket('hv1');

    before(async () => {
      ({ file: TOPO, remove: removeTopology } = variantTopology(BASE_TOPO, variant));
      await labDown({ topologyFile: TOPO });
      lab = await labUp({ topologyFile: TOPO, fabricFile: FABRIC });
      await waitFor('the network of generation 1 in the kernel and in zebra', async () => {
        const vni = await vtyshJson(NS, 'show evpn vni json');
        return vni['9100'] ? true : undefined;
      });
      before_ = { kernel: await kernelSnapshot(), frr: await runningConfig(NS), store: await storeSnapshot(lab) };
      assert.match(before_.kernel, /"ifname": "vxlan9100"/);
      assert.match(before_.frr, /router bgp 65099/);
    });

    after(async () => {
      await labDown({ topologyFile: TOPO });
      removeTopology();
    });

    it(`refuses all ${cases.length} cases, each with its code and problems`, async () => {
      const answered: string[] = [];
      for (const c of cases) {
        const r = await api(sock(), 'POST', '/apply', applyBody(c.text, { replace: true }));
        const message: string = r.body?.error?.message ?? '';
        assert.equal(r.body?.kind, 'Error', `${c.name}: ${JSON.stringify(r.body).slice(0, 300)}`);
        const overBytes = Buffer.byteLength(c.text) > LIMITS.yamlBytes;
        const limit = c.expect.some((e) => e[2] === 'LIMIT_EXCEEDED');
        assert.equal(r.statusCode, limit ? 413 : 400, `${c.name}: ${message.slice(0, 300)}`);
        assert.match(
          message,
          limit ? /^LIMIT_EXCEEDED: / : /^REQUEST_INVALID: \d+ problems? in the desired set; nothing was changed/,
          c.name,
        );
        if (!overBytes)
          for (const e of c.expect)
            assert.ok(message.includes(`\n${lineOf(e)}`), `${c.name}: ${lineOf(e)} in\n${message}`);
        for (const secret of c.forbid) assert.equal(message.includes(secret), false, `${c.name}: secret echoed`);
        assert.doesNotMatch(message, /\n\s+at |is not a function|INTERNAL/, c.name);
        answered.push(c.name);
      }
      assert.equal(answered.length, cases.length);
    });

    it('left the kernel, FRR and the generation store exactly as they were', async () => {
      assert.equal(await kernelSnapshot(), before_.kernel);
      assert.equal(await runningConfig(NS), before_.frr);
      assert.equal(await storeSnapshot(lab), before_.store);
      const fabric = (await api(sock(), 'GET', '/describe?target=EVPNFabric/badin')).body.resource.status;
      assert.equal(fabric.observedGeneration, 1);
      assert.equal(fabric.counters.reloads, 1, 'only generation 1 was ever reloaded');
    });

    it('keeps answering status while a large file is validated', async (t) => {
      // Just under the byte and document limits, so all of it is parsed and checked: seconds of work.
      const ports = Array.from({ length: 8 }, (_, j) => `    - {node: hv1, interface: tap${j}}`).join('\n');
      const docs = Array.from(
        { length: 9000 },
        (_, i) =>
          `apiVersion: evpn.routerd.net/v1alpha1\nkind: EVPNNetwork\nmetadata: {name: net${i}}\nspec:\n  vni: 0\n  ports:\n${ports}\n`,
      );
      const big = docs.join('---\n');
      assert.ok(Buffer.byteLength(big) < LIMITS.yamlBytes && Buffer.byteLength(big) > LIMITS.yamlBytes * 0.75);
      const order: string[] = [];
      const started = Date.now();
      const applying = api(sock(), 'POST', '/apply', applyBody(big, { replace: true })).then((r) => {
        order.push('apply');
        return r;
      });
      await new Promise((r) => setTimeout(r, 300)); // the apply is being parsed by now
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const s = await api(sock(), 'GET', '/status');
        assert.equal(s.statusCode, 200);
        statuses.push(Date.now() - started);
        order.push('status');
      }
      const r = await applying;
      assert.equal(r.statusCode, 400);
      const message: string = r.body.error.message;
      assert.match(
        message,
        /^REQUEST_INVALID: \d{5} problems in the desired set; nothing was changed \(the first 1000 are listed\)\n/,
      );
      assert.equal(message.split('\n').length, 1 + LIMITS.issuesShown, 'the answer lists the first problems only');
      t.diagnostic(`status answered at ${statuses.join(', ')} ms; the apply was refused at ${Date.now() - started} ms`);
      assert.deepEqual(
        order,
        ['status', 'status', 'status', 'apply'],
        'status is answered before the validation of the large file ends',
      );
    });

    it('stays under its documented memory bound', async (t) => {
      const peak = await peakRssKib(daemonPid(lab));
      t.diagnostic(`daemon peak RSS ${Math.round(peak / 1024)} MiB over the whole corpus`);
      assert.ok(peak > 0 && peak < MEMORY_BOUND_KIB, `peak RSS ${peak} KiB`);
    });

    it('evpnctl apply: a bad file exits 1 with the problems; an oversized file is refused before it is sent', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'badin-'));
      try {
        const alias = cases.find((c) => c.name === 'recursive alias in a sequence')!;
        await writeFile(join(dir, 'alias.yaml'), alias.text);
        const a = await evpnctl(NS, sock(), ['apply', '-f', join(dir, 'alias.yaml')]);
        assert.equal(a.exitCode, 1, a.stderr);
        assert.match(
          a.stderr,
          /HTTP 400:\nREQUEST_INVALID: 1 problem in the desired set; nothing was changed\ndocument 1: spec\.asn\[0\]: YAML_ALIAS: alias \*a refers to a node that contains it/,
        );
        const huge = cases.find((c) => c.name.startsWith('100 000 networks'))!;
        await writeFile(join(dir, 'huge.yaml'), huge.text);
        const h = await evpnctl(NS, sock(), ['apply', '-f', join(dir, 'huge.yaml')]);
        assert.equal(h.exitCode, 1, h.stderr);
        assert.match(
          h.stderr,
          /huge\.yaml is 9\.\d MiB .*; the daemon accepts at most 4 MiB of YAML in one apply \(LIMIT_EXCEEDED/,
        );
        assert.doesNotMatch(h.stderr, /EPIPE/);
        assert.equal(await storeSnapshot(lab), before_.store);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
