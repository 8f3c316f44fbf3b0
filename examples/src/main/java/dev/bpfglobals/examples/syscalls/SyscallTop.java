package dev.bpfglobals.examples.syscalls;

import dev.bpfglobals.annotations.Length;
import dev.bpfglobals.annotations.PerCpu;
import dev.bpfglobals.annotations.Unsigned;

/**
 * The per-CPU globals of {@code syscall_top.bpf.c}.
 *
 * @param total     system calls entered on this CPU
 * @param bySyscall system calls per number, for numbers below 512
 */
public record SyscallTop(
        @PerCpu @Unsigned long total,
        @PerCpu @Unsigned @Length(512) long[] bySyscall) {
}
