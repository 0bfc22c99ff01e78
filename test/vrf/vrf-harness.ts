// Helpers for the VRF scenarios: interface counters, VRF routes, L3VNI state.
import { run } from '../../src/apply/exec.ts';
import { inNs, vtyshJson } from '../helpers/lab-harness.ts';

export async function counters(ns: string, dev: string): Promise<{ rx: number; tx: number }> {
  const r = await run('ip', ['-n', ns, '-j', '-s', 'link', 'show', 'dev', dev]);
  if (r.exitCode !== 0) throw new Error(`ip -n ${ns} -s link show ${dev}: ${r.stderr}`);
  const stats = JSON.parse(r.stdout)[0].stats64;
  return { rx: stats.rx.packets, tx: stats.tx.packets };
}

export async function hasRoute(ns: string, vrf: string, dst: string): Promise<boolean> {
  const family = dst.includes(':') ? ['-6'] : [];
  const r = await run('ip', ['-n', ns, ...family, '-j', 'route', 'show', 'vrf', vrf]);
  if (r.exitCode !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout || '[]') as { dst: string }[]).some((x) => x.dst === dst);
}

export async function l3vniUp(ns: string, vrf: string, vni: number): Promise<boolean> {
  const out = await vtyshJson(ns, 'show vrf vni json');
  return (out.vrfs ?? []).some((v: any) => v.vrf === vrf && Number(v.vni) === vni && v.state === 'Up');
}

export async function pingFrom(ns: string, address: string, count = 3): Promise<boolean> {
  const r = await inNs(ns, ['ping', '-c', String(count), '-W', '2', '-i', '0.3', address]);
  return r.exitCode === 0;
}
