// Lab waits scale with the substrate: under qemu TCG (LAB_SUBSTRATE=vm, set by
// `lab run`) every process start is several times slower than on a host.
// LAB_TIMEOUT_SCALE overrides the factor.
export function timeoutScale(env: NodeJS.ProcessEnv = process.env): number {
  const given = Number(env.LAB_TIMEOUT_SCALE);
  if (Number.isFinite(given) && given > 0) return given;
  return env.LAB_SUBSTRATE === 'vm' ? 6 : 1;
}

export function labTimeout(ms: number): number {
  return Math.round(ms * timeoutScale());
}
