// Pure parser of `frr-reload.py --test` output ("Lines To Delete" / "Lines To
// Add"). Lines FRR always reports but that carry no routing meaning (hostname,
// logging, version banners) do not count as a change.
export interface FrrDiff {
  toDelete: string[];
  toAdd: string[];
}

const IGNORED = [
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
    else if (section && !isIgnoredLine(line)) diff[section].push(line);
  }
  return diff;
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
