// Small helpers that narrow `unknown` JSON from FRR into typed values without
// trusting its shape: FRR versions add, drop and retype fields (numbers become
// strings on newer master, ASNs become strings under `bgp asnotation dot`).

export type JsonRecord = Record<string, unknown>;

/** A plain JSON object, or undefined for arrays, null and scalars. */
export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

// zebra prints "None" for an interface or MAC it does not have (an L3VNI whose
// devices are missing): treat it, like "", as absent.
export function present(value: unknown): string | undefined {
  const s = str(value);
  return s === undefined || s === '' || s === 'None' ? undefined : s;
}

// Accepts numeric strings because newer FRR prints some counters and VNIs as strings.
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

// Copies only defined values, so results compare cleanly with deepEqual.
export function defined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** An ASN as text: 65000 -> "65000", "1.10" (asdot) stays as it is. */
export function asn(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The object-valued members of a record; FRR mixes counters in with per-key objects. */
export function recordEntries(rec: JsonRecord): Array<[string, JsonRecord]> {
  const out: Array<[string, JsonRecord]> = [];
  for (const [key, value] of Object.entries(rec)) {
    const inner = asRecord(value);
    if (inner) out.push([key, inner]);
  }
  return out;
}

// Natural order (digit runs compared as numbers) so 10.0.0.9 sorts before
// 10.0.0.10; ties fall back to plain code-unit order, so the order is total.
export function compareNatural(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    const bothDigits = /^\d/.test(x) && /^\d/.test(y);
    if (bothDigits && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (!bothDigits) return x < y ? -1 : 1;
  }
  if (pa.length !== pb.length) return pa.length - pb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
