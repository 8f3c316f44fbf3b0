package dev.bpfglobals.runtime.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * libc's {@code long syscall(long number, ...)}, bound once in one shape (six long arguments, errno
 * captured) for every system call the runtime makes directly: bpf(2), perf_event_open(2), ioctl(2),
 * read(2) and openat(2) here, close(2) and fcntl(2) in {@code kernel.FdCalls}.
 *
 * <p>Why one shape: the JDK makes a downcall stub, and spins its method-handle classes, for each
 * distinct function descriptor and option set, about 10 ms each in a fresh JVM even with an AOT
 * cache (JDK 25), and caches the result by that pair. Three shapes (bpf, close, and one more) cost a
 * cold first load 30 ms; one costs 10. {@code kernel.FdCalls} links the same descriptor, so the
 * JDK's cache hands it this stub. The kernel ignores the arguments a call does not take.
 */
final class Syscall {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** The one descriptor: {@code long syscall(long number, long, long, long, long, long, long)}. */
    static final FunctionDescriptor DESCRIPTOR = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG);

    // In a holder, made on the first call: the "syscall" symbol lookup and the stub are not made by
    // commands that make no call (inspect, check).
    private static final class Handle {
        static final MethodHandle SYSCALL = LINKER.downcallHandle(LINKER.defaultLookup().find("syscall").orElseThrow(),
                DESCRIPTOR, Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
    }

    /** This architecture's numbers of the system calls made here (the kernel's unistd tables). */
    private record Numbers(long bpf, long perfEventOpen, long ioctl, long read, long openat) {
    }

    // aarch64, riscv64 and loongarch64 share asm-generic's table; -1: not known here.
    private static final Numbers NUMBERS = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> new Numbers(321, 298, 16, 0, 257);
        case "aarch64", "riscv64", "loongarch64" -> new Numbers(280, 241, 29, 63, 56);
        case "s390x" -> new Numbers(351, 331, 54, 3, 288);
        case "ppc64le" -> new Numbers(361, 319, 54, 3, 286);
        default -> new Numbers(-1, -1, -1, -1, -1);
    };

    /** {@code __NR_bpf} of this architecture, or -1 where it is not known. */
    static final long BPF = NUMBERS.bpf();
    /** {@code __NR_perf_event_open}. */
    static final long PERF_EVENT_OPEN = NUMBERS.perfEventOpen();
    /** {@code __NR_ioctl}. */
    static final long IOCTL = NUMBERS.ioctl();
    /** {@code __NR_read}. */
    static final long READ = NUMBERS.read();
    /** {@code __NR_openat}. */
    static final long OPENAT = NUMBERS.openat();

    private Syscall() {
    }

    /**
     * {@code syscall(number, a, b, c, d, e, f)} with errno captured in {@code captured}: the result,
     * or {@code -errno}.
     *
     * @throws UnsupportedOperationException naming {@code what} where this architecture's number is unknown (-1)
     */
    static long call(MemorySegment captured, long number, String what, long a, long b, long c, long d, long e, long f) {
        if (number < 0) {
            throw new UnsupportedOperationException(what + " syscall number unknown for architecture "
                    + System.getProperty("os.arch"));
        }
        try {
            long result = (long) Handle.SYSCALL.invokeExact(captured, number, a, b, c, d, e, f);
            return result >= 0 ? result : -(int) ERRNO.get(captured, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of syscall(" + what + ") failed", t);
        }
    }

    /**
     * The address of {@code segment} to pass as a long: native memory only, since a heap segment's
     * {@code address()} is an offset into its array, which the kernel would take as a pointer.
     */
    static long address(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("a system call needs native memory, not a heap segment");
        }
        return segment.address();
    }
}
