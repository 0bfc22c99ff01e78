// Pure parser of the first line of `show version` ("FRRouting 10.3 (host) on
// Linux(...)"): the render and the pre-flight checks pick by major.minor.
export interface FrrVersion {
  major: number;
  minor: number;
  text: string; // as FRR printed it, e.g. "10.3" or "8.4.4"
}

export function parseFrrVersion(showVersion: string): FrrVersion | undefined {
  const m = /FRRouting\s+(\d+)\.(\d+)([^\s(]*)/.exec(showVersion);
  if (!m) return undefined;
  const [, major, minor, rest] = m as unknown as [string, string, string, string];
  return { major: Number(major), minor: Number(minor), text: `${major}.${minor}${rest}` };
}

export function atLeast(version: FrrVersion | undefined, major: number, minor = 0): boolean {
  if (!version) return false;
  return version.major > major || (version.major === major && version.minor >= minor);
}
