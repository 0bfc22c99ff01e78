// What one apply may hold, so parsing and validating a hostile or careless
// file keeps the daemon's memory and time bounded (docs/operations.md#input-limits).
export const LIMITS = {
  yamlBytes: 4 * 1024 * 1024, // candidateYaml, and a file given to evpnctl
  documents: 10_000, // YAML documents in one stream
  resources: 10_000, // resources in one candidate, and in the whole desired set
  expandedNodes: 1_000_000, // YAML nodes of one document with its aliases expanded
  issuesShown: 1000, // problems listed in one answer (the count says how many there are)
  validatorHeapMiB: 512, // the validation worker's old-generation heap
  validatorTimeoutMs: 120_000, // one validation
} as const;

export function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}
