// A `lab run` that could not deliver the job's own exit code: the lab failed,
// not the job. Carries the exit code the CLI uses (124 timeout, 125 otherwise).
export type LabRunFailure = 'invalid' | 'timeout' | 'boot-failed' | 'guest-failed';

export class LabRunError extends Error {
  readonly failure: LabRunFailure;
  readonly exitCode: number;
  readonly resultsDir?: string;
  readonly runDir?: string; // kept for diagnostics (kernel console log, job files)

  constructor(failure: LabRunFailure, message: string, where: { resultsDir?: string; runDir?: string } = {}) {
    super(message);
    this.name = 'LabRunError';
    this.failure = failure;
    this.exitCode = failure === 'timeout' ? 124 : 125;
    this.resultsDir = where.resultsDir;
    this.runDir = where.runDir;
  }
}
