// The BGP-password scenario of the flat lab fabric (test/integration/l2-fabric):
// a password on every fabric session from a file on the node, a node with a
// different password, a node whose file is missing, and the secret searched
// for in everything the daemon shows or stores. Shares the fabric's lab boot.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../../lab/lab.ts';
import { api, applyBody, describeStatus, evpnctl, ping, runningConfig, waitFor } from './lab-harness.ts';

export interface PasswordLab {
  lab: Lab;
  fabricYaml: string; // the Router envelope with the fabric's `asn: ...` line
  asnLine: string; // e.g. "        asn: 4200000100\n"
  fabric: string; // EVPNFabric/name
  nodes: string[]; // every fabric node, the route reflector first
  ns: (node: string) => string;
  ping: { from: string; to: string }; // across leaves, to prove traffic still flows
}

const SECRET = 'Lab-Fabric-s3cret-7f2a';
const OTHER = 'Other-Node-s3cret-91c4';

function withPassword(p: PasswordLab, file: string): string {
  const yaml = p.fabricYaml.replace(
    p.asnLine,
    `${p.asnLine}${p.asnLine.replace(/asn:.*/, `passwordFrom: {file: ${file}}`)}`,
  );
  assert.notEqual(yaml, p.fabricYaml);
  return yaml;
}

async function applyTo(p: PasswordLab, node: string, yaml: string) {
  return api(p.lab.paths.socket(node), 'POST', '/apply', applyBody(yaml, { replace: true }));
}

async function sessionsOf(p: PasswordLab, node: string) {
  return (await describeStatus(p.lab.paths.socket(node), p.fabric)).bgp.sessions as any[];
}

// Every file under `dir` but `except`, as text.
async function filesUnder(dir: string, except: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(e.parentPath, e.name);
    if (e.isFile() && e.name !== except) out.push(`${path}\n${await readFile(path, 'utf8')}`);
  }
  return out;
}

// Everything the daemon answers, logs and keeps, except the file FRR reads.
async function everythingShown(p: PasswordLab, planFile: string): Promise<[string, string][]> {
  const shown: [string, string][] = [];
  for (const node of p.nodes) {
    const sock = p.lab.paths.socket(node);
    shown.push([`${node} status`, JSON.stringify((await api(sock, 'GET', '/status')).body)]);
    shown.push([`${node} get`, JSON.stringify((await api(sock, 'GET', '/get?subject=resources')).body)]);
    const describe = await evpnctl(p.ns(node), sock, ['describe', p.fabric]);
    shown.push([`${node} describe`, describe.stdout + describe.stderr]);
    const plan = await evpnctl(p.ns(node), sock, ['plan', '-f', planFile]);
    shown.push([`${node} plan`, plan.stdout + plan.stderr]);
    shown.push([`${node} log`, await readFile(p.lab.paths.log(node), 'utf8')]);
    for (const f of await filesUnder(p.lab.paths.stateDir(node), 'frr.conf')) shown.push([`${node} state`, f]);
  }
  return shown;
}

export async function passwordScenario(p: PasswordLab): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'rdevpn-pw-'));
  await chmod(dir, 0o700);
  const [rr, ...leaves] = p.nodes;
  const odd = leaves[leaves.length - 1];
  try {
    const file = join(dir, 'bgp-password');
    const otherFile = join(dir, 'bgp-password-other');
    await writeFile(file, `${SECRET}\n`, { mode: 0o600 });
    await writeFile(otherFile, `${OTHER}\n`, { mode: 0o600 });
    const yaml = withPassword(p, file);
    for (const node of p.nodes) {
      const r = await applyTo(p, node, yaml);
      assert.equal(r.statusCode, 200, `${node}: ${JSON.stringify(r.body)}`);
    }
    // every session comes back up with the password on both ends
    await waitFor('every session established with the password', async () => {
      const s = await sessionsOf(p, rr);
      return s.length === leaves.length && s.every((x) => x.established && x.password === true) ? true : undefined;
    });
    assert.match(await runningConfig(p.ns(rr)), new RegExp(`neighbor \\S+ password ${SECRET}`), 'FRR has it');
    assert.equal(await ping(p.ns(p.ping.from), p.ping.to, 3), true, 'traffic flows over password-protected sessions');

    // a node with another password: its session stays down, and status says why
    const r = await applyTo(p, odd, withPassword(p, otherFile));
    assert.equal(r.statusCode, 200, JSON.stringify(r.body));
    const cond = await waitFor(`${odd} reports its session down, password set`, async () => {
      const st = await describeStatus(p.lab.paths.socket(odd), p.fabric);
      const c = st.conditions.find((x: any) => x.type === 'SessionsEstablished');
      return c?.status === 'False' && /TCP-MD5 password set/.test(c.message) ? c : undefined;
    });
    assert.match(cond.message, /0\/1 established/);
    const atRR = (await sessionsOf(p, rr)).filter((x) => !x.established);
    assert.equal(atRR.length, 1, `only ${odd}'s session is down at the route reflector`);

    // a missing secret file: refused, nothing stored, FRR untouched
    const running = await runningConfig(p.ns(leaves[0]));
    const missing = await applyTo(p, leaves[0], withPassword(p, join(dir, 'absent')));
    assert.equal(missing.statusCode, 400);
    assert.match(
      missing.body.error.message,
      /spec\.passwordFrom: SECRET_UNAVAILABLE: file \S+absent cannot be read \(ENOENT\)/,
    );
    assert.equal(await runningConfig(p.ns(leaves[0])), running);

    // nowhere the daemon shows or keeps anything: not the secret, nor the other
    const planFile = join(dir, 'plan.yaml');
    await writeFile(planFile, withPassword(p, otherFile));
    const shown = await everythingShown(p, planFile);
    for (const [where, text] of shown) {
      assert.ok(!text.includes(SECRET) && !text.includes(OTHER), `a password appears in ${where}`);
    }
    const plans = shown.filter(([w]) => w.endsWith(' plan')).map(([, t]) => t);
    assert.ok(
      plans.some((t) => t.includes('password <redacted>')),
      'a password change shows in plan, redacted',
    );
  } finally {
    for (const node of p.nodes) await applyTo(p, node, p.fabricYaml);
    await rm(dir, { recursive: true, force: true });
  }
  await waitFor('every session established again without passwords', async () => {
    const s = await sessionsOf(p, rr);
    return s.length === leaves.length && s.every((x) => x.established) ? true : undefined;
  });
}
