// Recorded output under test/fixtures (FRR, frr-reload, iproute2) and other
// files under test/, addressed by their path there: fixture('frr/8.4/show-evpn.json').
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
