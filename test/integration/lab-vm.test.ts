// Boots the real lab VM once (forceVm, so qemu runs even on a host with VRF)
// and runs one scenario in it: a VRF device in a namespace, a file written to
// LAB_RESULTS_DIR, FRR zebra + bgpd in the namespace answering vtysh, a line
// on stderr, exit code 3. A cold cache installs qemu and downloads a kernel.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunScenarioResult, runScenario } from '../../lab/vm/run.ts';

const isRoot = process.getuid?.() === 0;

// Runs in a fresh guest: the namespace name is exact and deleted by that name.
const SCENARIO = `#!/bin/sh
set -eu
ns="rdevpn-labvm-it-$$"
ip netns add "$ns"
ip -n "$ns" link add vrf-it type vrf table 4242
ip -n "$ns" -j -d link show type vrf
echo
printf 'substrate=%s\\n' "$LAB_SUBSTRATE" > "$LAB_RESULTS_DIR/guest.txt"

conf="/etc/frr/$ns"
run="/var/run/frr/$ns"
mkdir -p "$conf" "$run"
printf 'frr defaults datacenter\\nhostname it\\n!\\n' > "$conf/frr.conf"
printf 'service integrated-vtysh-config\\n' > "$conf/vtysh.conf"
chown -R frr:frr "$conf" "$run"
ip netns exec "$ns" /usr/lib/frr/zebra -d -N "$ns" -f "$conf/frr.conf" -i "$run/zebra.pid"
ip netns exec "$ns" /usr/lib/frr/bgpd -d -N "$ns" -f "$conf/frr.conf" -i "$run/bgpd.pid"
tries=0
until vtysh -N "$ns" -c 'show daemons' 2>/dev/null | grep -q bgpd; do
  tries=$((tries + 1))
  if [ "$tries" -gt 240 ]; then echo "FRR never answered" >&2; exit 1; fi
  sleep 0.5
done
echo "daemons:$(vtysh -N "$ns" -c 'show daemons')"
vtysh -N "$ns" -c 'show version' | head -1
kill "$(cat "$run/bgpd.pid")" "$(cat "$run/zebra.pid")"
ip netns delete "$ns"
echo "a line for stderr" >&2
exit 3
`;

interface VrfLink {
  ifname: string;
  linkinfo?: { info_kind?: string; info_data?: { table?: number } };
}

describe('lab run in the VM', { skip: isRoot ? false : 'needs root' }, () => {
  let scriptDir = '';
  let result: RunScenarioResult | undefined;
  let stdout = '';
  let stderr = '';

  before(async () => {
    scriptDir = await mkdtemp(join(tmpdir(), 'lab-vm-it-'));
    await writeFile(join(scriptDir, 'scenario.sh'), SCENARIO);
    await chmod(join(scriptDir, 'scenario.sh'), 0o755);
  });

  after(async () => {
    await rm(scriptDir, { recursive: true, force: true });
    if (result) await rm(result.resultsDir, { recursive: true, force: true });
  });

  it('runs a VRF + FRR scenario in the guest and brings back exit code, output and results', {
    timeout: 1_800_000,
  }, async () => {
    result = await runScenario({
      command: [join(scriptDir, 'scenario.sh')],
      forceVm: true,
      timeoutMs: 1_500_000,
      onStdout: (chunk) => (stdout += chunk),
      onStderr: (chunk) => (stderr += chunk),
      log: (message) => process.stderr.write(`lab: ${message}\n`),
    });
    const context = `\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
    assert.equal(result.substrate, 'vm');
    assert.equal(result.exitCode, 3, context);

    const json = stdout.split('\n').find((line) => line.startsWith('['));
    assert.ok(json, `no JSON from ip -j on stdout${context}`);
    const vrfs = JSON.parse(json) as VrfLink[];
    const vrf = vrfs.find((l) => l.ifname === 'vrf-it');
    assert.equal(vrf?.linkinfo?.info_kind, 'vrf', context);
    assert.equal(vrf?.linkinfo?.info_data?.table, 4242, context);

    assert.match(stdout, /daemons: zebra bgpd/, context);
    assert.match(stdout, /FRRouting \S+ \(routerd-evpn-lab\) on Linux\(6\.1\./, context);
    assert.match(stderr, /a line for stderr/);
    assert.doesNotMatch(stdout, /a line for stderr/);
    assert.doesNotMatch(stdout, /\[\s*\d+\.\d+\]/, 'no kernel console lines on stdout');

    assert.equal(await readFile(join(result.resultsDir, 'guest.txt'), 'utf8'), 'substrate=vm\n');
    assert.ok(result.bootMs !== undefined);
  });
});
