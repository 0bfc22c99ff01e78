// Conditions as in the contract: {type, status, reason, message,
// lastTransitionTime}. The book remembers when each one last changed.
export interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

export type Phase = 'Pending' | 'Applied' | 'Ready' | 'Degraded' | 'Error';

export function cond(type: string, ok: boolean, reason: string, message: string): Condition {
  return { type, status: ok ? 'True' : 'False', reason, message };
}

export class ConditionBook {
  private readonly seen = new Map<string, { status: string; since: string }>();

  stamp(resource: string, conditions: Condition[], now: string): Condition[] {
    return conditions.map((c) => {
      const key = `${resource}|${c.type}`;
      const prev = this.seen.get(key);
      const entry = prev && prev.status === c.status ? prev : { status: c.status, since: now };
      this.seen.set(key, entry);
      return { ...c, lastTransitionTime: entry.since };
    });
  }
}
