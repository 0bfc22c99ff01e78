// The qemu command line for a lab guest: the measured recipe's flags, both 9p
// shares, three named serial ports, and option values escaped for qemu.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kernelCmdline, type QemuPlan, qemuArgs, qemuValue } from '../../lab/vm/qemu-args.ts';

const plan: QemuPlan = {
  vmlinux: '/var/cache/routerd-evpn-lab/6.1.0-56-amd64/vmlinux',
  initramfs: '/var/cache/routerd-evpn-lab/6.1.0-56-amd64/initramfs-0123.cpio',
  memoryMiB: 3072,
  cpus: 2,
  runDir: '/tmp/rdevpn-run-abc',
  resultsDir: '/tmp/results,with,commas',
  consoleLog: '/tmp/rdevpn-run-abc/console-1.log',
  sockets: {
    stdout: '/tmp/rdevpn-run-abc/1.out.sock',
    stderr: '/tmp/rdevpn-run-abc/1.err.sock',
    control: '/tmp/rdevpn-run-abc/1.ctl.sock',
  },
};

// Pairs "-opt value" as the list of values given for one option.
function values(args: string[], option: string): string[] {
  return args.flatMap((arg, i) => (arg === option ? [args[i + 1]] : []));
}

describe('qemu arguments', () => {
  const args = qemuArgs(plan);

  it('uses the measured machine: pc, multi-threaded TCG, cpu max, no network, no reboot', () => {
    const line = args.join(' ');
    for (const part of [
      '-M pc',
      '-accel tcg,thread=multi,tb-size=256',
      '-cpu max',
      '-m 3072',
      '-smp 2',
      '-nographic',
      '-no-reboot',
      '-nic none',
    ]) {
      assert.ok(line.includes(part), `missing ${part}`);
    }
    assert.deepEqual(values(args, '-kernel'), [plan.vmlinux]);
    assert.deepEqual(values(args, '-initrd'), [plan.initramfs]);
  });

  it('shares the host root read-only and the results dir read-write, commas doubled', () => {
    assert.deepEqual(values(args, '-fsdev'), [
      'local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap',
      'local,id=results,path=/tmp/results,,with,,commas,security_model=none,multidevs=remap',
    ]);
    assert.ok(values(args, '-device').includes('virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot'));
    assert.ok(values(args, '-device').includes('virtio-9p-pci,fsdev=results,mount_tag=results'));
  });

  it('sends the kernel console to the log file and the job to three named ports', () => {
    assert.ok(values(args, '-chardev').includes('file,id=console,path=/tmp/rdevpn-run-abc/console-1.log'));
    assert.deepEqual(values(args, '-serial'), ['chardev:console']);
    assert.deepEqual(values(args, '-monitor'), ['none']);
    for (const port of ['stdout', 'stderr', 'control']) {
      assert.ok(values(args, '-device').includes(`virtserialport,bus=vser.0,chardev=${port},name=lab.${port}`), port);
    }
    assert.ok(values(args, '-chardev').includes('socket,id=control,path=/tmp/rdevpn-run-abc/1.ctl.sock'));
  });

  it('names the run dir on the kernel command line and refuses one that would not parse', () => {
    assert.deepEqual(values(args, '-append'), ['console=ttyS0 panic=-1 rdinit=/init rdevpn.run=/tmp/rdevpn-run-abc']);
    assert.throws(() => kernelCmdline('/tmp/with space'), /must not contain spaces/);
    assert.equal(qemuValue('a,b'), 'a,,b');
  });
});
