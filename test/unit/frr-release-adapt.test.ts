// FRR 10.6 and 10.7 print ` use-underlays-nexthop-weight` under `router bgp`
// whenever deterministic-med is on (the datacenter default), and its `no` form
// clears deterministic-med (FRR PR 22552), recorded from FRR 10.7.1: the file
// FRR gets says the line on those releases, so frr-reload never sends the `no`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { adaptToRelease, UNDERLAY_WEIGHT_LINE } from '../../src/controller/frr-file.ts';
import { validateYaml } from '../../src/resources/validate.ts';
import { parseFrrVersion } from '../../src/system/frr-version.ts';
import { translate } from '../../src/translate/translate.ts';
import { underlayForwarding } from '../../src/translate/translate-underlay.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/frr/10.7/${name}`, import.meta.url), 'utf8');
const golden = (name: string) => readFileSync(new URL(`../golden/${name}`, import.meta.url), 'utf8');
const V10_7 = parseFrrVersion(fixture('VERSION'));
const V10_3 = parseFrrVersion('FRRouting 10.3 (leaf1) on Linux');
const V8_4 = parseFrrVersion('FRRouting 8.4.4 (leaf1) on Linux');

// The lines under one top-level `router bgp ...` line, up to its `exit`.
function bgpBlock(config: string, header: RegExp): string[] {
  const lines = config.split('\n');
  const start = lines.findIndex((l) => header.test(l));
  assert.ok(start >= 0, `no ${header} in the config`);
  const end = lines.indexOf('exit', start);
  return lines.slice(start + 1, end);
}

describe('the FRR file per release', () => {
  it('FRR 10.7.1 prints the line it was never told, and its no form turns deterministic-med off', () => {
    assert.equal(V10_7?.text, '10.7.1');
    const running = fixture('clos/running-config-leaf1.txt');
    assert.ok(bgpBlock(running, /^router bgp 65101$/).includes(UNDERLAY_WEIGHT_LINE));
    const afterNo = bgpBlock(fixture('clos/running-config-leaf1-no-weight.txt'), /^router bgp 65101$/);
    assert.ok(afterNo.includes(' no bgp deterministic-med'));
    assert.ok(!afterNo.includes(UNDERLAY_WEIGHT_LINE));
  });

  it('on 10.6 and later every router bgp block says it once, as FRR prints it', () => {
    const rendered = golden('clos-leaf/expected.frr.conf');
    const adapted = adaptToRelease(rendered, V10_7);
    const block = bgpBlock(adapted, /^router bgp \d+$/);
    assert.equal(block.filter((l) => l === UNDERLAY_WEIGHT_LINE).length, 1);
    assert.equal(adaptToRelease(adapted, V10_7), adapted, 'adapting twice adds nothing');
    // the rendered lines of the block are what the recorded FRR 10.7 prints
    const running = bgpBlock(fixture('clos/running-config-leaf1.txt'), /^router bgp 65101$/);
    assert.ok(running.includes(UNDERLAY_WEIGHT_LINE));
    const vrfBlock = bgpBlock(
      adaptToRelease(golden('symmetric-leaf/expected.frr.conf'), V10_7),
      /^router bgp \d+ vrf /,
    );
    assert.equal(vrfBlock.filter((l) => l === UNDERLAY_WEIGHT_LINE).length, 1, 'tenant VRF instances too');
  });

  it('older releases and an unknown one get the file as rendered', () => {
    const rendered = golden('clos-leaf/expected.frr.conf');
    assert.equal(adaptToRelease(rendered, V10_3), rendered);
    assert.equal(adaptToRelease(rendered, V8_4), rendered);
    assert.equal(adaptToRelease(rendered, undefined), rendered);
  });
});

describe('IP forwarding for a routed underlay', () => {
  const resources = validateYaml(golden('clos-ipv6-leaf/input.yaml')).resources;
  it('a spine and a leaf forward in the family of the VTEP addresses', () => {
    const spine = translate(validateYaml(golden('clos-spine/input.yaml')).resources, golden('clos-spine/node').trim());
    assert.deepEqual(spine?.forwarding, { ipv4: true, ipv6: false });
    const leaf = translate(resources, golden('clos-ipv6-leaf/node').trim());
    assert.deepEqual(leaf?.forwarding, { ipv4: false, ipv6: true });
  });
  it('a flat underlay asks for none', () => {
    assert.deepEqual(underlayForwarding(undefined), { ipv4: false, ipv6: false });
  });
});
