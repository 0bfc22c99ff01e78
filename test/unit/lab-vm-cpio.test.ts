// The initramfs writer: newc records the kernel can unpack (read back here
// field by field) and parent directories listed before their contents.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCpio, parentDirs } from '../../lab/vm/cpio.ts';

interface Record {
  name: string;
  mode: number;
  rdevMajor: number;
  rdevMinor: number;
  data: Buffer;
}

function readCpio(buf: Buffer): Record[] {
  const records: Record[] = [];
  let at = 0;
  for (;;) {
    assert.equal(buf.toString('ascii', at, at + 6), '070701', `magic at ${at}`);
    const field = (i: number) => Number.parseInt(buf.toString('ascii', at + 6 + i * 8, at + 14 + i * 8), 16);
    const [mode, size, rdevMajor, rdevMinor, nameSize] = [field(1), field(6), field(9), field(10), field(11)];
    const name = buf.toString('utf8', at + 110, at + 110 + nameSize - 1);
    assert.equal(buf[at + 110 + nameSize - 1], 0, 'name ends with NUL');
    const dataAt = Math.ceil((at + 110 + nameSize) / 4) * 4;
    if (name === 'TRAILER!!!') return records;
    records.push({ name, mode, rdevMajor, rdevMinor, data: buf.subarray(dataAt, dataAt + size) });
    at = Math.ceil((dataAt + size) / 4) * 4;
  }
}

describe('cpio newc writer', () => {
  it('writes dirs, files, symlinks and device nodes that read back unchanged', () => {
    const cpio = buildCpio([
      { type: 'dir', path: '/bin' },
      { type: 'file', path: 'init', data: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
      { type: 'file', path: 'bin/odd', data: Buffer.from('12345') },
      { type: 'symlink', path: 'bin/sh', target: 'busybox' },
      { type: 'chardev', path: 'dev/console', major: 5, minor: 1 },
    ]);
    assert.equal(cpio.length % 4, 0);
    const records = readCpio(cpio);
    assert.deepEqual(
      records.map((r) => r.name),
      ['bin', 'init', 'bin/odd', 'bin/sh', 'dev/console'],
    );
    assert.equal(records[0].mode, 0o040755);
    assert.equal(records[1].mode, 0o100755);
    assert.equal(records[1].data.toString(), '#!/bin/sh\n');
    assert.equal(records[2].data.toString(), '12345');
    assert.equal(records[3].mode, 0o120777);
    assert.equal(records[3].data.toString(), 'busybox');
    assert.deepEqual([records[4].mode, records[4].rdevMajor, records[4].rdevMinor], [0o020600, 5, 1]);
  });

  it('lists parent directories once, shallow first', () => {
    assert.deepEqual(
      parentDirs(['modules/kernel/fs/9p/9p.ko', 'modules/kernel/net/9p/9pnet.ko', 'init', '/bin/busybox']),
      [
        'bin',
        'modules',
        'modules/kernel',
        'modules/kernel/fs',
        'modules/kernel/net',
        'modules/kernel/fs/9p',
        'modules/kernel/net/9p',
      ],
    );
  });
});
