# PID 1 of the lab guest (perl-base is on every Debian host; a shell as PID 1
# would not reap orphans, so killed daemons would linger as zombies).
# Usage: perl pid1.pl PORTS_DIR CWD COMMAND [ARGS...]
# Runs COMMAND (execvp: PATH lookup, no shell) in CWD with stdin /dev/null and
# stdout/stderr through pipes relayed to PORTS_DIR/lab.stdout and lab.stderr
# (the host's virtio ports; a pipe can be reopened via /dev/stdout, a port
# cannot), reaps every orphan, then writes "exit N" to PORTS_DIR/lab.control,
# syncs and, only when it really is PID 1, reboots (qemu -no-reboot exits).
use strict;
use warnings;
use POSIX ();

my ($ports, $cwd, @command) = @ARGV;
die "usage: pid1.pl PORTS_DIR CWD COMMAND [ARGS...]\n" unless @command;
$SIG{PIPE} = 'IGNORE';

open(my $control, '>', "$ports/lab.control") or die "lab: cannot open the control port: $!\n";
$control->autoflush(1);

# Outside the guest (a test on the host) this must never reboot anything.
sub reboot_now {
  my ($code) = @_;
  exit $code unless $$ == 1;
  system('/bin/sync');
  if (open(my $sysrq, '>', '/proc/sysrq-trigger')) { print $sysrq 'b'; close $sysrq; }
  sleep 600;
}

# A relay copies one pipe to one port until every writer has closed the pipe.
sub start_relay {
  my ($port) = @_;
  pipe(my $reader, my $writer) or die "pipe: $!";
  my $pid = fork();
  die "fork: $!" unless defined $pid;
  if ($pid == 0) {
    close $writer;
    close $control;
    open(my $out, '>', "$ports/$port") or POSIX::_exit(1);
    my $buffer;
    while (my $n = sysread($reader, $buffer, 65536)) {
      my $done = 0;
      while ($done < $n) {
        my $wrote = syswrite($out, $buffer, $n - $done, $done);
        POSIX::_exit(1) unless defined $wrote;
        $done += $wrote;
      }
    }
    POSIX::_exit(0);
  }
  close $reader;
  return ($pid, $writer);
}

my ($out_pid, $out_writer) = start_relay('lab.stdout');
my ($err_pid, $err_writer) = start_relay('lab.stderr');
print $control "ready\n";

my $main = fork();
if (defined $main && $main == 0) {
  close $control;
  open(STDIN, '<', '/dev/null');
  open(STDOUT, '>&', $out_writer) or POSIX::_exit(125);
  open(STDERR, '>&', $err_writer) or POSIX::_exit(125);
  close $out_writer;
  close $err_writer;
  unless (chdir $cwd) {
    print STDERR "lab: cannot change to $cwd: $!\n";
    POSIX::_exit(127);
  }
  { no warnings 'exec'; exec { $command[0] } @command; }
  my $code = $!{ENOENT} ? 127 : 126;
  print STDERR "lab: cannot run $command[0]: $!\n";
  POSIX::_exit($code);
}
unless (defined $main) {
  print $control "error fork failed: $!\n";
  reboot_now(125);
}
close $out_writer;
close $err_writer;

my $status;
my %relays = ($out_pid => 1, $err_pid => 1);
while (1) {
  my $pid = waitpid(-1, 0);
  last if $pid < 0;
  delete $relays{$pid};
  if ($pid == $main) { $status = $?; last; }
}
# Background processes may still hold the pipes: give the relays 3 s to drain.
my $deadline = time() + 3;
while (%relays && time() < $deadline) {
  my $pid = waitpid(-1, POSIX::WNOHANG());
  if ($pid > 0) { delete $relays{$pid}; next; }
  select(undef, undef, undef, 0.05);
}
my $code = defined $status ? (($status & 127) ? 128 + ($status & 127) : $status >> 8) : 125;
print $control "exit $code\n";
close $control;
reboot_now($code);
