#!/usr/bin/env bash
# Runs a JVM command (its arguments) and runs it again, up to 3 times in all, when the JVM itself
# crashed (exit 134: SIGABRT after its fatal-error report). Under qemu's TCG emulation, where the
# kernel VMs of bin/test run the build, a JIT-compiled method now and then faults (SIGSEGV in C1 code
# of java.lang.Math.max, on the 7.3 leg), which is the emulator's doing, not the program's. Any other
# failure ends it at once, with the program's own exit status.
#   retry-jvm.sh JAVA ARG...
for attempt in 1 2 3; do
  "$@" && exit 0
  rc=$?
  [ "$rc" -eq 134 ] || exit "$rc"
  echo "retry-jvm: the JVM crashed (exit 134) on attempt $attempt of 3; its report is in hs_err_pid*.log" >&2
done
exit "$rc"
