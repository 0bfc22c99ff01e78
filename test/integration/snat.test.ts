// SNAT on the real kernel and real nft, in three namespaces this test makes:
// a tenant (10.0.0.2, fd00:a::2), an exit router and the outside
// (192.0.2.254, 2001:db8::fe), which has no route back to the tenant. The
// exit's egress is read from its kernel (its default routes), the daemon's
// table applied with one nft transaction: the tenant's pings to the outside
// work only while it is there, with the exit's address as their source.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createNamespaces, deleteNamespaces, ipBatch } from '../../lab/netns.ts';
import { applySnat } from '../../src/apply/snat-apply.ts';
import { hostEgress } from '../../src/controller/snat-egress.ts';
import { nftScript, type SnatRule, snatRules } from '../../src/render/nft-snat.ts';
import { type Runner, run } from '../../src/system/exec.ts';
import { Kernel } from '../../src/system/kernel.ts';
import { Nft, parseNftRules } from '../../src/system/nft.ts';
import type { SnatIntent } from '../../src/translate/intent.ts';

const TENANT = 'rdevpn-snat-tenant';
const EXIT = 'rdevpn-snat-exit';
const OUTSIDE = 'rdevpn-snat-out';
const ALL = [TENANT, EXIT, OUTSIDE];

const inNs =
  (ns: string): Runner =>
  (file, args, options) =>
    run('ip', ['netns', 'exec', ns, file, ...args], options);

async function ping(to: string): Promise<boolean> {
  const r = await run('ip', ['netns', 'exec', TENANT, 'ping', '-c', '1', '-W', '1', to]);
  return r.exitCode === 0;
}

// The source address the outside saw the last ping from: its neighbor entry.
async function seenFrom(family: '-4' | '-6'): Promise<string[]> {
  const r = await run('ip', ['-n', OUTSIDE, family, '-j', 'neigh', 'show', 'dev', 'o0']);
  return (JSON.parse(r.stdout || '[]') as { dst: string }[]).map((n) => n.dst).filter((d) => !d.startsWith('fe80'));
}

const WANTED: SnatIntent[] = [
  { network: 'apps', vrf: 'red', family: 'ipv4', source: '10.0.0.0/24' },
  { network: 'apps', vrf: 'red', family: 'ipv6', source: 'fd00:a::/64' },
];

describe('SNAT through the real kernel and nft', () => {
  const nft = new Nft(inNs(EXIT));
  const kernel = new Kernel(inNs(EXIT));

  before(async () => {
    await deleteNamespaces(run, ALL);
    await createNamespaces(run, ALL);
    await ipBatch(run, undefined, [
      `link add t0 netns ${TENANT} type veth peer name x0 netns ${EXIT}`,
      `link add x1 netns ${EXIT} type veth peer name o0 netns ${OUTSIDE}`,
    ]);
    await ipBatch(run, TENANT, [
      'link set lo up',
      'link set t0 up',
      'addr add 10.0.0.2/24 dev t0',
      'addr add fd00:a::2/64 dev t0 nodad',
      'route add default via 10.0.0.1',
      'route add ::/0 via fd00:a::1',
    ]);
    await ipBatch(run, EXIT, [
      'link set lo up',
      'link set x0 up',
      'link set x1 up',
      'addr add 10.0.0.1/24 dev x0',
      'addr add fd00:a::1/64 dev x0 nodad',
      'addr add 192.0.2.1/24 dev x1',
      'addr add 2001:db8::1/64 dev x1 nodad',
      'route add default via 192.0.2.254',
      'route add ::/0 via 2001:db8::fe',
    ]);
    await ipBatch(run, OUTSIDE, [
      'link set lo up',
      'link set o0 up',
      'addr add 192.0.2.254/24 dev o0',
      'addr add 2001:db8::fe/64 dev o0 nodad',
    ]);
    const fwd = await run('ip', [
      'netns',
      'exec',
      EXIT,
      'sysctl',
      '-w',
      'net.ipv4.ip_forward=1',
      'net.ipv6.conf.all.forwarding=1',
    ]);
    assert.equal(fwd.exitCode, 0, fwd.stderr);
  });

  after(async () => {
    await deleteNamespaces(run, ALL);
  });

  it('finds the egress in the default routes, translates only while the table is there, and removes it', async () => {
    assert.equal(await ping('192.0.2.254'), false, 'no SNAT yet: the outside has no route back');
    const host = hostEgress(await kernel.readRoutes(), await kernel.readLinks());
    assert.deepEqual(host, {
      ipv4: { interface: 'x1', address: '192.0.2.1' },
      ipv6: { interface: 'x1', address: '2001:db8::1' },
    });
    const { rules, unrouted } = snatRules(WANTED, host);
    assert.deepEqual(unrouted, []);

    assert.equal((await applySnat(nft, rules)).result, 'Applied');
    assert.equal(await ping('192.0.2.254'), true, 'IPv4 out through the exit, translated');
    assert.deepEqual(await seenFrom('-4'), ['192.0.2.1'], 'the outside saw the exit, never 10.0.0.2');
    assert.equal(await ping('2001:db8::fe'), true, 'IPv6 out, translated to the IPv6 source');
    assert.deepEqual(await seenFrom('-6'), ['2001:db8::1']);
    assert.deepEqual(await applySnat(nft, rules), {
      result: 'Unchanged',
      rules: [
        'ip saddr 10.0.0.0/24 oifname "x1" snat ip to 192.0.2.1',
        'ip6 saddr fd00:a::/64 oifname "x1" snat ip6 to 2001:db8::1',
      ],
    });

    // a rule changed by hand is put back by the next run
    const tampered: SnatRule[] = [{ ...(rules[0] as SnatRule), to: '192.0.2.9' }];
    await nft.apply(nftScript(tampered));
    assert.equal((await applySnat(nft, rules)).result, 'Applied');
    assert.equal(parseNftRules((await nft.readTable('routerd_evpn')) ?? '').length, 2);

    assert.equal((await applySnat(nft, [])).result, 'Removed');
    assert.equal(await nft.readTable('routerd_evpn'), undefined, 'the table is gone');
    assert.equal((await applySnat(nft, [])).result, 'Unchanged');
    await run('ip', ['netns', 'exec', EXIT, 'conntrack', '-F']).catch(() => undefined);
    assert.equal(await ping('192.0.2.254'), false, 'without the table, no way back again');
  });
});
