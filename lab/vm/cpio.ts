// A writer for the "newc" cpio format the kernel unpacks as an initramfs, so
// building one needs no cpio binary. Pure: entries in, bytes out.

export type CpioEntry =
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'file'; path: string; data: Buffer; mode?: number }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'chardev'; path: string; major: number; minor: number; mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

const hex8 = (n: number) => n.toString(16).padStart(8, '0');
const pad4 = (n: number) => Buffer.alloc((4 - (n % 4)) % 4);

function record(ino: number, mode: number, name: string, data: Buffer, rdev: [number, number] = [0, 0]): Buffer {
  const nameBytes = Buffer.from(`${name}\0`);
  const fields = [ino, mode, 0, 0, mode & S_IFDIR ? 2 : 1, 0, data.length, 0, 0, rdev[0], rdev[1], nameBytes.length, 0];
  const header = Buffer.from(`070701${fields.map(hex8).join('')}`, 'ascii');
  return Buffer.concat([header, nameBytes, pad4(header.length + nameBytes.length), data, pad4(data.length)]);
}

// Paths are written without a leading slash, as `find . | cpio -H newc` would.
export function buildCpio(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  entries.forEach((entry, index) => {
    const name = entry.path.replace(/^\/+/, '');
    const ino = index + 1;
    if (entry.type === 'dir') parts.push(record(ino, S_IFDIR | (entry.mode ?? 0o755), name, Buffer.alloc(0)));
    else if (entry.type === 'file') parts.push(record(ino, S_IFREG | (entry.mode ?? 0o644), name, entry.data));
    else if (entry.type === 'symlink') parts.push(record(ino, S_IFLNK | 0o777, name, Buffer.from(entry.target)));
    else parts.push(record(ino, S_IFCHR | (entry.mode ?? 0o600), name, Buffer.alloc(0), [entry.major, entry.minor]));
  });
  parts.push(record(0, 0, 'TRAILER!!!', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

// Every parent directory of the given paths, shortest first (cpio needs them before their contents).
export function parentDirs(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const path of paths) {
    const parts = path.replace(/^\/+/, '').split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}
