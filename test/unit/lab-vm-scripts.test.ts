// The shell the guest runs: the initramfs /init (syntax, module order and
// parameters), boot.env and job.sh, checked by letting a real sh read them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { initScript } from '../../lab/vm/init-script.ts';
import { bootEnv, carriedPaths, type JobInput, jobProblems, jobScript, shellQuote } from '../../lab/vm/job-script.ts';

const sh = (script: string, args: string[] = []) =>
  execFileSync('sh', ['-c', script, 'sh', ...args], { encoding: 'utf8' });

const job: JobInput = {
  command: ['/tmp/it/scenario.sh', 'two words', "it's", '$HOME', '-x'],
  cwd: '/work/main',
  env: { PATH: '/usr/bin:/bin', HOME: '/root', ODD: 'a\'b "c" $d\nline2' },
  hostname: 'routerd-evpn-lab',
  resultsDir: '/tmp/routerd-evpn-lab-results-X1',
  keep: ['/tmp/tsx-0'],
};

describe('initramfs /init', () => {
  const modules = [
    'kernel/drivers/virtio/virtio_ring.ko',
    'kernel/drivers/virtio/virtio.ko',
    'kernel/drivers/net/dummy.ko',
  ];
  const script = initScript({
    modules,
    modulesTree: '/var/cache/routerd-evpn-lab/6.1.0-56-amd64/lib/modules/6.1.0-56-amd64',
  });

  it('is valid shell', () => {
    execFileSync('sh', ['-n', '-c', script]);
  });

  it('loads the modules in the given order, dummy without a dummy0', () => {
    const insmods = script.split('\n').filter((l) => l.startsWith('insmod '));
    assert.deepEqual(insmods, [
      'insmod /modules/kernel/drivers/virtio/virtio_ring.ko || die "insmod kernel/drivers/virtio/virtio_ring.ko"',
      'insmod /modules/kernel/drivers/virtio/virtio.ko || die "insmod kernel/drivers/virtio/virtio.ko"',
      'insmod /modules/kernel/drivers/net/dummy.ko numdummies=0 || die "insmod kernel/drivers/net/dummy.ko"',
    ]);
  });

  it('mounts the host root read-only under an overlay and the results share read-write', () => {
    assert.match(script, /mount -t 9p -o ro,trans=virtio,[^ ]* hostroot \/lower/);
    assert.match(
      script,
      /mount -t overlay -o lowerdir=\/lower,upperdir=\/layer\/upper,workdir=\/layer\/work overlay \/newroot/,
    );
    assert.match(script, /mount -t 9p -o trans=virtio,[^ ]*cache=none results "\/newroot\$LAB_RESULTS_DIR"/);
    assert.match(script, /exec switch_root \/newroot \/bin\/sh \/run\/routerd-evpn-lab\/job.sh/);
  });
});

describe('boot.env and job.sh', () => {
  it('quotes anything for sh', () => {
    for (const value of ['', 'plain', "it's", 'a"b', '$x `y` \\z', 'new\nline'])
      assert.equal(sh(`printf %s ${shellQuote(value)}`), value);
  });

  it('boot.env sets the variables /init reads, exactly', () => {
    const out = sh(`${bootEnv(job)}\nprintf '%s|' "$LAB_HOSTNAME" "$LAB_RESULTS_DIR" "$LAB_CARRY"`);
    assert.equal(out, 'routerd-evpn-lab|/tmp/routerd-evpn-lab-results-X1|/tmp/it\n/tmp/tsx-0|');
  });

  it('job.sh hands pid1.pl the ports dir, cwd and argv unchanged, under env -i', () => {
    // Print the argv job.sh would exec instead of exec'ing it.
    const script = jobScript(job).replace(/^exec /m, "printf '%s\\0' ");
    const argv = sh(script).split('\0').slice(0, -1);
    assert.deepEqual(argv, [
      '/usr/bin/env',
      '-i',
      'HOME=/root',
      'ODD=a\'b "c" $d\nline2',
      'PATH=/usr/bin:/bin',
      '/usr/bin/perl',
      '/run/routerd-evpn-lab/pid1.pl',
      '/dev/virtio-ports',
      '/work/main',
      ...job.command,
    ]);
  });

  it('keeps the cwd and script dir when they are under /tmp or /run, once', () => {
    assert.deepEqual(carriedPaths('/work/main', '/usr/bin/node'), []);
    assert.deepEqual(carriedPaths('/tmp/a', './b/run.sh'), ['/tmp/a']);
    assert.deepEqual(carriedPaths('/work', '/run/x/s.sh', ['/tmp/tsx-0', '/tmp/tsx-0/sub']), ['/run/x', '/tmp/tsx-0']);
    assert.deepEqual(carriedPaths('/tmp', 'node'), []);
  });

  it('names every problem with the job at once', () => {
    const problems = jobProblems({ ...job, command: [], cwd: 'rel', env: { 'BAD-NAME': 'x' }, hostname: 'no spaces' });
    assert.equal(problems.length, 4, problems.join('; '));
  });
});
