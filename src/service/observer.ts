// Reads of FRR and the kernel for status: one in-flight observation shared
// between concurrent readers, reused for a second. L3VNI views and kernel
// routes are read only while some EVPNVRF is desired or the underlay is
// routed, BFD sessions only while some BGP session has BFD, every address
// family's sessions only while some session carries unicast routes.
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

  async observe(options: { vrfs: boolean; bfd: boolean; routes: boolean; families: boolean }): Promise<Observation> {
    const { vrfs, bfd, routes, families } = options;
    const last = this.last;
    const same =
      last &&
      last.vrfsObserved === vrfs &&
      last.bfdObserved === bfd &&
      last.routesObserved === (routes || vrfs) &&
      (last.families !== undefined) === families;
    if (last && same && Date.now() - Date.parse(last.at) < OBSERVATION_REUSE_MS) return last;
    this.observing ??= collectObservation(this.kernel, this.frr, sha256, { vrfs, bfd, routes, families }).finally(
      () => {
        this.observing = undefined;
      },
    );
    this.last = await this.observing;
    return this.last;
  }
}
