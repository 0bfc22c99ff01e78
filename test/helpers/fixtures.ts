// Recorded output under test/fixtures (FRR, frr-reload, iproute2) and other
// files under test/, addressed by their path there: fixture('frr/8.4/show-evpn.json'),
// and per FRR release: frrRecorded('10.3', 'show-evpn.json').
import { readFileSync } from 'node:fs';

const TEST_DIR = new URL('../', import.meta.url);

// A file under test/, e.g. testFile('vrf/fixtures/irb-symmetric.fabric.yaml').
export function testFile(path: string): string {
  return readFileSync(new URL(path, TEST_DIR), 'utf8');
}

export function fixture(path: string): string {
  return testFile(`fixtures/${path}`);
}

// A recorded JSON answer; undefined for a command that printed nothing (0-byte recording).
export function recorded(path: string): unknown {
  const text = fixture(path);
  return text.trim() === '' ? undefined : JSON.parse(text);
}

export const fixtureUrl = (path: string): URL => new URL(`fixtures/${path}`, TEST_DIR);

// The FRR releases with recordings under test/fixtures/frr/<version> (record.sh)
// and <version>/vrf (record-vrf.sh): Debian 12's 8.4.4 and Debian 13's 10.3.
export const FRR_VERSIONS = ['8.4', '10.3'] as const;
export type RecordedFrr = (typeof FRR_VERSIONS)[number];

// A recorded answer of one FRR release: frrRecorded('10.3', 'vrf/show-vrf-vni.json').
export function frrRecorded(version: RecordedFrr, name: string): unknown {
  return recorded(`frr/${version}/${name}`);
}

// The recordings FRR answered with broken JSON (listed by the recorder in NOT-JSON; kept verbatim).
export function notJsonRecordings(version: RecordedFrr, dir = ''): string[] {
  try {
    return fixture(`frr/${version}/${dir}NOT-JSON`).split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
