// A kernel batch the kernel refused for a generation is not sent again for a
// while (REFUSED_RETRY_MS): a retry would fail the same way, and each attempt
// and its restore would flap the devices. The hold ends early on a new apply
// (another generation) or a changed batch (another fingerprint).
import type { KernelApplyError } from '../apply/kernel-apply.ts';

// A refused batch is tried again this long after, in case the kernel changed in
// a way the batch does not show (a module loaded): one attempt, not a flap per resync.
export const REFUSED_RETRY_MS = 10 * 60_000;

interface Refusal {
  generation: number;
  fingerprint: string;
  message: string;
  at: number;
}

export class RefusedBatch {
  private last: Refusal | undefined;

  constructor(private readonly holdMs = REFUSED_RETRY_MS) {}

  remember(generation: number, err: KernelApplyError): void {
    this.last = { generation, fingerprint: err.fingerprint, message: err.message, at: Date.now() };
  }

  // The fingerprint not to send for this generation, while the hold lasts.
  held(generation: number): string | undefined {
    const r = this.last;
    return r?.generation === generation && Date.now() - r.at < this.holdMs ? r.fingerprint : undefined;
  }

  // The first refusal's message, and when the batch will be sent again.
  describe(reason: string): string {
    const r = this.last;
    if (!r) return reason;
    const again = new Date(r.at + this.holdMs).toISOString();
    return `${r.message} (${reason}; not sent again before a new apply, a kernel change or ${again})`;
  }
}
