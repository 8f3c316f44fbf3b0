package dev.bpfglobals.runtime.testing;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * System calls a test makes to trigger a kernel event for real: {@code getpid} and {@code getpgid}
 * through {@code syscall(2)} itself, so no libc cache can answer in its place.
 */
public final class Syscalls {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SYSCALL1 = LINKER.downcallHandle(LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1));

    private Syscalls() {
    }

    /** The x86-64 numbers; the tests that trigger syscalls run on x86-64 (their programs name __x64_sys_*). */
    private static final long SYS_GETPID = 39;
    private static final long SYS_GETPGID = 121;
    private static final long SYS_GETTID = 186;
    private static final long SYS_GETPPID = 110;
    private static final long SYS_GETSID = 124;

    /** {@code getpid()}, made as a system call. */
    public static long getpid() {
        return syscall(SYS_GETPID, 0);
    }

    /** {@code getppid()}, made as a system call. */
    public static long getppid() {
        return syscall(SYS_GETPPID, 0);
    }

    /** {@code getsid(0)}, made as a system call. */
    public static long getsid() {
        return syscall(SYS_GETSID, 0);
    }

    /** {@code gettid()}: the calling thread's id, as {@code bpf_get_current_pid_tgid} gives it in its low 32 bits. */
    public static int gettid() {
        return (int) syscall(SYS_GETTID, 0);
    }

    /**
     * {@code getpgid(pid)} of this process, made as a system call. The pid is named rather than 0
     * because only then does the kernel ask the LSM hook {@code security_task_getpgid}.
     */
    public static long getpgid() {
        return syscall(SYS_GETPGID, ProcessHandle.current().pid());
    }

    private static long syscall(long number, long argument) {
        try {
            return (long) SYSCALL1.invokeExact(number, argument);
        } catch (Throwable t) {
            throw new IllegalStateException("syscall(" + number + ") failed", t);
        }
    }

    /** The kernel's name for a syscall's handler on this architecture, e.g. {@code __x64_sys_getpid}. */
    public static String handler(String syscall) {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "__x64_sys_" + syscall;
            case "aarch64" -> "__arm64_sys_" + syscall;
            default -> "sys_" + syscall;
        };
    }
}
