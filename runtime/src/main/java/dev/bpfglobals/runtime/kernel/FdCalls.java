package dev.bpfglobals.runtime.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * close(2) and fcntl(F_DUPFD_CLOEXEC), bound here so that {@link BpfFd} depends on nothing else of
 * this library. Neither is on a hot path, so each call takes its own errno buffer.
 */
final class FdCalls {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /**
     * {@code long syscall(long number, ...)} with six long arguments, which both calls go through, made
     * on the first call. The descriptor and options are those of {@code internal.Syscall}, through which
     * bpf(2) goes: the JDK caches a downcall stub by that pair, so this handle reuses bpf(2)'s stub
     * instead of spinning its own (about 10 ms in a fresh JVM, which no AOT cache of JDK 25 holds).
     */
    private static final class Syscall6 {
        static final MethodHandle HANDLE = LINKER.downcallHandle(LINKER.defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
    }

    /** fcntl's command to duplicate a descriptor with close-on-exec set. */
    private static final int F_DUPFD_CLOEXEC = 1030;

    /** __NR_close and __NR_fcntl of this architecture (asm-generic's for aarch64, riscv64 and loongarch64). */
    private static final long SYS_CLOSE;
    private static final long SYS_FCNTL;

    static {
        switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> {
                SYS_CLOSE = 3;
                SYS_FCNTL = 72;
            }
            case "s390x", "ppc64le" -> {
                SYS_CLOSE = 6;
                SYS_FCNTL = 55;
            }
            case "aarch64", "riscv64", "loongarch64" -> {
                SYS_CLOSE = 57;
                SYS_FCNTL = 25;
            }
            default -> { // no bpf(2) number either (Sys): nothing opens a BpfFd here
                SYS_CLOSE = -1;
                SYS_FCNTL = -1;
            }
        }
    }

    private FdCalls() {
    }

    /** close(fd): 0, or {@code -errno}. */
    static int close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment captured = arena.allocate(CAPTURE);
            int result = (int) (long) Syscall6.HANDLE.invokeExact(captured, SYS_CLOSE, (long) fd, 0L, 0L, 0L, 0L, 0L);
            return result == 0 ? 0 : -(int) ERRNO.get(captured, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of close failed", t);
        }
    }

    /** A close-on-exec duplicate of {@code fd}, or {@code -errno}. */
    static int dup(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment captured = arena.allocate(CAPTURE);
            int result = (int) (long) Syscall6.HANDLE.invokeExact(captured, SYS_FCNTL, (long) fd, (long) F_DUPFD_CLOEXEC,
                    0L, 0L, 0L, 0L);
            return result >= 0 ? result : -(int) ERRNO.get(captured, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of fcntl failed", t);
        }
    }
}
