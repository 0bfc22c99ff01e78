// An exit's SNAT for one VRF: each subnet the VRF's networks want translated,
// and the rule the last reconcile read back from nft for it (the daemon's
// table, render/nft-snat.ts), or why there is none.
import type { ReconcileState } from '../controller/reconcile-state.ts';
import type { SnatIntent, VrfIntent } from '../translate/intent.ts';
import { type Condition, cond } from './conditions.ts';

const RULE = /^ip6? saddr (\S+) oifname "([^"]+)" snat ip6? to (\S+)$/;

export function snatView(
  v: VrfIntent,
  wanted: SnatIntent[],
  state: ReconcileState['snat'],
): { condition: Condition; view: Record<string, unknown>[] } | undefined {
  const mine = wanted.filter((w) => w.vrf === v.name);
  if (mine.length === 0) return undefined;
  const rules = (state?.rules ?? []).map((r) => RULE.exec(r)).filter((m): m is RegExpExecArray => m !== null);
  const view = mine.map((w) => {
    const m = rules.find((r) => r[1] === w.source);
    return {
      network: w.network,
      source: w.source,
      ...(m ? { interface: m[2], to: m[3] } : {}),
      present: m !== undefined,
    };
  });
  const p: string[] = [];
  if (state?.result === 'Failed') p.push(`nft: ${state.message ?? 'failed'}`);
  for (const x of view.filter((y) => !y.present))
    p.push(
      state?.unrouted.some((u) => u.startsWith(`${x.source} `))
        ? `${x.source} not translated: this node has no default route of its family`
        : `${x.source} not translated: no rule in nft`,
    );
  const done = view.filter((x) => x.present).map((x) => `${x.source} -> ${x.to} via ${x.interface}`);
  return {
    condition: cond(
      'SnatReady',
      p.length === 0,
      p.length ? 'SnatDiffers' : 'AsDesired',
      p.join('; ') || done.join(', '),
    ),
    view,
  };
}
