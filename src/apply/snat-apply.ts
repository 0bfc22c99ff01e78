// The SNAT step: the daemon's nftables table holds exactly the wanted rules,
// replaced in one transaction only when what nft lists differs, then read back
// to verify; with none wanted, the table goes (if it is there). A node without
// nft and without SNAT is left alone.
import { nftRule, nftScript, SNAT_TABLE, type SnatRule } from '../render/nft-snat.ts';
import { type Nft, parseNftRules } from '../system/nft.ts';

export interface SnatApplyResult {
  result: 'Applied' | 'Removed' | 'Unchanged';
  rules: string[]; // as nft lists them
}

export async function applySnat(nft: Nft, rules: SnatRule[]): Promise<SnatApplyResult> {
  const want = rules.map(nftRule);
  const present =
    rules.length === 0 ? await nft.readTable(SNAT_TABLE).catch(() => undefined) : await nft.readTable(SNAT_TABLE);
  if (present === undefined && rules.length === 0) return { result: 'Unchanged', rules: [] };
  if (present !== undefined && sameRules(parseNftRules(present), want)) return { result: 'Unchanged', rules: want };
  await nft.apply(nftScript(rules));
  if (rules.length === 0) return { result: 'Removed', rules: [] };
  const after = parseNftRules((await nft.readTable(SNAT_TABLE)) ?? '');
  if (!sameRules(after, want))
    throw new Error(
      `nft lists ${after.length} rule(s) after the update, not the ${want.length} wanted: ${after.join('; ')}`,
    );
  return { result: 'Applied', rules: want };
}

const sameRules = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
