// Pure parser of `frr-reload.py --test` output ("Lines To Delete" / "Lines To
// Add"). Lines FRR always reports but that carry no routing meaning (hostname,
// logging, version banners) do not count as a change, and neither do context
// closers: FRR 10 ends every printed context with `exit` lines (one per
// level), 8.4 prints `vrf X` + ` exit-vrf` as if exit-vrf were a command.
// Recorded in test/fixtures/frr-reload/<version>/ (8.4 and 10.3).
export interface FrrDiff {
  toDelete: string[];
  toAdd: string[];
}

// exit, exit-vrf, exit-address-family, exit-vni, ...: they close a context.
const CONTEXT_CLOSER = /^exit(-[a-z-]+)?$/;

const IGNORED = [
  CONTEXT_CLOSER,
  /^(no )?hostname\b/,
  /^frr (version|defaults)\b/,
  /^(no )?log\b/,
  /^(no )?service integrated-vtysh-config$/,
  /^end$/,
  /^!/,
];

export function isIgnoredLine(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || IGNORED.some((re) => re.test(trimmed));
}

export function parseReloadDiff(stdout: string): FrrDiff {
  const diff: FrrDiff = { toDelete: [], toAdd: [] };
  let section: keyof FrrDiff | undefined;
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (/^Lines To Delete/.test(line)) section = 'toDelete';
    else if (/^Lines To Add/.test(line)) section = 'toAdd';
    else if (/^=+$/.test(line)) continue;
    else if (section && CONTEXT_CLOSER.test(line.trim())) dropContextOnlyFor(diff[section], line);
    else if (section && !isIgnoredLine(line)) diff[section].push(line);
  }
  return diff;
}

// A closer indented under the line before it (8.4's "vrf red" + " exit-vrf")
// means that context line was printed only to carry the closer: drop it too.
// A closer at the context's own level (10.3's "vrf red" + "exit") only closes.
function dropContextOnlyFor(lines: string[], closer: string): void {
  const last = lines[lines.length - 1];
  if (last !== undefined && indent(closer) > indent(last)) lines.pop();
}

// frr-reload prints each command after its parent context lines; a command
// is a line whose next line is not indented deeper.
export function commandCount(diff: FrrDiff): number {
  const leaves = (lines: string[]) =>
    lines.filter((line, i) => i + 1 >= lines.length || indent(lines[i + 1] ?? '') <= indent(line)).length;
  return leaves(diff.toDelete) + leaves(diff.toAdd);
}

function indent(line: string): number {
  return line.length - line.trimStart().length;
}

export function hasChanges(diff: FrrDiff): boolean {
  return diff.toDelete.length > 0 || diff.toAdd.length > 0;
}
