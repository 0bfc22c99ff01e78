// What an apply, delete or dry run answers: the generation, its phase, and one
// result per resource it touched (ApplyResult.result in routerd's API).
export interface ResourceResult {
  id: string;
  phase: string;
  plan?: string[];
  warnings?: string[];
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

export interface ApplyOutcome {
  generation: number;
  phase: string;
  resources: ResourceResult[];
  warnings: string[];
}

export interface WriteOptions {
  dryRun?: boolean;
  noReconcile?: boolean;
}
