// The qemu command line for one guest boot (the recipe measured in
// /work/shared/design/lab-vm.md: -M pc under TCG, PVH boot of vmlinux, host
// root shared read-only over 9p). Pure.

export const QEMU = 'qemu-system-x86_64';

export interface QemuPlan {
  vmlinux: string;
  initramfs: string;
  memoryMiB: number;
  cpus: number;
  runDir: string; // holds boot.env/job.sh (read by the guest) and the sockets
  resultsDir: string; // shared read-write, mounted at the same path in the guest
  consoleLog: string; // the kernel console (ttyS0)
  sockets: { stdout: string; stderr: string; control: string }; // unix sockets we listen on
}

// Inside one qemu option value a comma is written as two.
export const qemuValue = (value: string) => value.replace(/,/g, ',,');

// Everything the guest /init needs is in the run dir; the kernel command line only names it.
export function kernelCmdline(runDir: string): string {
  if (/[\s"\\]/.test(runDir))
    throw new Error(
      `run dir ${runDir} must not contain spaces, quotes or backslashes (it goes on the kernel command line)`,
    );
  return `console=ttyS0 panic=-1 rdinit=/init rdevpn.run=${runDir}`;
}

function port(id: string, socketPath: string): string[] {
  return [
    '-chardev',
    `socket,id=${id},path=${qemuValue(socketPath)}`,
    '-device',
    `virtserialport,bus=vser.0,chardev=${id},name=lab.${id}`,
  ];
}

export function qemuArgs(plan: QemuPlan): string[] {
  return [
    '-M',
    'pc',
    '-accel',
    'tcg,thread=multi,tb-size=256',
    '-cpu',
    'max',
    '-m',
    String(plan.memoryMiB),
    '-smp',
    String(plan.cpus),
    '-nographic',
    '-no-reboot',
    '-nic',
    'none',
    '-monitor',
    'none',
    '-chardev',
    `file,id=console,path=${qemuValue(plan.consoleLog)}`,
    '-serial',
    'chardev:console',
    '-kernel',
    plan.vmlinux,
    '-initrd',
    plan.initramfs,
    '-append',
    kernelCmdline(plan.runDir),
    '-fsdev',
    `local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap`,
    '-device',
    'virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot',
    '-fsdev',
    `local,id=results,path=${qemuValue(plan.resultsDir)},security_model=none,multidevs=remap`,
    '-device',
    'virtio-9p-pci,fsdev=results,mount_tag=results',
    '-device',
    'virtio-serial-pci,id=vser',
    ...port('stdout', plan.sockets.stdout),
    ...port('stderr', plan.sockets.stderr),
    ...port('control', plan.sockets.control),
  ];
}
