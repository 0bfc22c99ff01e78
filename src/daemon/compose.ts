// The composition root: builds the concrete adapters once and passes them
// down. Nothing else constructs a Kernel, Frr or Reconciler for the daemon.
import type { Logger } from 'pino';
import { buildApp } from '../api/app.ts';
import { Reconciler } from '../controller/reconciler.ts';
import { loadTemplates } from '../render/frr.ts';
import { Service } from '../service/service.ts';
import { Validator } from '../service/validator.ts';
import { GenerationStore } from '../store/generations.ts';
import { type Runner, run } from '../system/exec.ts';
import { Frr } from '../system/frr.ts';
import { Kernel } from '../system/kernel.ts';
import { Nft } from '../system/nft.ts';
import { Sysctl } from '../system/sysctl.ts';

export interface DaemonOptions {
  node: string;
  stateDir: string;
  frrPathspace?: string;
  templateDir?: string;
  token?: string;
  runner?: Runner;
  reloadScript?: string;
  frrBaseFile?: string;
  frrRoot?: string; // FRR installed in this root (chroot): commands run as `chroot ROOT ...`
  frrExec?: string[]; // or behind this prefix (container); files staged under frrRoot if given
  refusedRetryMs?: number;
}

export function composeDaemon(opts: DaemonOptions, log: Logger) {
  const runner = opts.runner ?? run;
  const kernel = new Kernel(runner);
  const frr = new Frr(runner, {
    ...(opts.frrPathspace ? { pathspace: opts.frrPathspace } : {}),
    ...(opts.reloadScript ? { reloadScript: opts.reloadScript } : {}),
    ...frrPlacement(opts),
  });
  const store = new GenerationStore(`${opts.stateDir}/generations`);
  const reconciler = new Reconciler({
    node: opts.node,
    kernel,
    frr,
    templates: loadTemplates(opts.templateDir),
    stateDir: opts.stateDir,
    log: log.child({ component: 'reconciler' }),
    onApplied: (generation, phase) => store.finish(generation, phase),
    sysctl: new Sysctl(runner),
    nft: new Nft(runner),
    ...(opts.frrBaseFile ? { frrBaseFile: opts.frrBaseFile } : {}),
    ...(opts.refusedRetryMs !== undefined ? { refusedRetryMs: opts.refusedRetryMs } : {}),
  });
  const validator = new Validator();
  const service = new Service({
    node: opts.node,
    ...(opts.frrPathspace ? { pathspace: opts.frrPathspace } : {}),
    kernel,
    frr,
    store,
    reconciler,
    validator,
    log,
  });
  const app = buildApp({ service, log, ...(opts.token !== undefined ? { token: opts.token } : {}) });
  return { kernel, frr, store, reconciler, service, app };
}

// --frr-exec wins over the chroot that --frr-root alone implies.
function frrPlacement(opts: DaemonOptions): { exec?: string[]; root?: string } {
  const exec = opts.frrExec ?? (opts.frrRoot ? ['chroot', opts.frrRoot] : undefined);
  return { ...(exec ? { exec } : {}), ...(opts.frrRoot ? { root: opts.frrRoot } : {}) };
}
