// The operator's base FRR file is kept in front of the rendered config, read
// afresh on every run, and a missing file is an error (never silently dropped).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Reconciler } from '../../src/controller/reconciler.ts';
import { createLogger } from '../../src/daemon/logger.ts';
import { loadTemplates } from '../../src/render/frr.ts';
import { validateYaml } from '../../src/resources/validate.ts';
import { run } from '../../src/system/exec.ts';
import { Frr } from '../../src/system/frr.ts';
import { Kernel } from '../../src/system/kernel.ts';

const FABRIC = `apiVersion: evpn.routerd.net/v1alpha1
kind: EVPNFabric
metadata: {name: f}
spec:
  asn: 65001
  nodes: [{name: n1, vtepAddress: 192.0.2.1}, {name: n2, vtepAddress: 192.0.2.2}]
`;

test('frrFile puts the base config first and re-reads it each time', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'frr-base-'));
  try {
    const base = join(dir, 'base.conf');
    const rec = new Reconciler({
      node: 'n1',
      kernel: new Kernel(run),
      frr: new Frr(run),
      templates: loadTemplates(),
      stateDir: dir,
      log: createLogger('silent'),
      frrBaseFile: base,
    });
    const rendered = rec.render(validateYaml(FABRIC).resources);
    await writeFile(base, 'ip route 198.51.100.0/24 192.0.2.254\n');
    const first = await rec.frrFile(rendered);
    assert.ok(first.indexOf('ip route 198.51.100.0/24 192.0.2.254') < first.indexOf('router bgp 65001'));
    assert.ok(first.endsWith(rendered.frr));
    await writeFile(base, 'ip route 203.0.113.0/24 192.0.2.254\n');
    assert.match(await rec.frrFile(rendered), /203\.0\.113\.0\/24/);
    await rm(base);
    await assert.rejects(rec.frrFile(rendered), /ENOENT/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('without a base file the rendered config is used as is', async () => {
  const rec = new Reconciler({
    node: 'n1',
    kernel: new Kernel(run),
    frr: new Frr(run),
    templates: loadTemplates(),
    stateDir: tmpdir(),
    log: createLogger('silent'),
  });
  const rendered = rec.render(validateYaml(FABRIC).resources);
  assert.equal(await rec.frrFile(rendered), rendered.frr);
  assert.match(rendered.frr, /neighbor 192\.0\.2\.2 remote-as 65001/);
});
