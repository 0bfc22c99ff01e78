// Reads of FRR and the kernel for status: one in-flight observation shared
// between concurrent readers, reused for a second. L3VNI views and kernel
// routes are read only while some EVPNVRF is desired.
import { collectObservation, type Observation } from '../observe/collect.ts';
import { sha256 } from '../store/generations.ts';
import type { Frr } from '../system/frr.ts';
import type { Kernel } from '../system/kernel.ts';

export const OBSERVATION_REUSE_MS = 1000;

export class Observer {
  private observing: Promise<Observation> | undefined;
  private last: Observation | undefined;

  constructor(
    private readonly kernel: Kernel,
    private readonly frr: Frr,
  ) {}

  async observe(vrfs: boolean): Promise<Observation> {
    const last = this.last;
    if (last && last.vrfsObserved === vrfs && Date.now() - Date.parse(last.at) < OBSERVATION_REUSE_MS) return last;
    this.observing ??= collectObservation(this.kernel, this.frr, sha256, { vrfs }).finally(() => {
      this.observing = undefined;
    });
    this.last = await this.observing;
    return this.last;
  }
}
