package dev.bpfglobals.runtime.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Perf events a test opens itself, as a caller of the library would before handing the descriptor
 * over: {@code perf_event_open(2)} through {@code syscall(2)}, written here rather than borrowed from
 * the runtime so the test does not take the code under test's word for what it opened.
 */
public final class PerfEventFds {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SYSCALL5 = LINKER.downcallHandle(LINKER.defaultLookup().find("syscall").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    /** x86-64's {@code __NR_perf_event_open}. */
    private static final long SYS_PERF_EVENT_OPEN = 298;
    /** {@code PERF_FLAG_FD_CLOEXEC}. */
    private static final long FD_CLOEXEC = 8;

    private PerfEventFds() {
    }

    /**
     * A software CPU-clock event of thread {@code tid} on any CPU, sampling every {@code periodNanos}
     * of its CPU time, opened disabled (whoever attaches must enable it).
     *
     * @return the event's descriptor, the caller's to close with {@link #close}
     */
    public static int disabledCpuClockOfThread(int tid, long periodNanos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(128, 8);
            attr.set(ValueLayout.JAVA_INT, 0, 1); // PERF_TYPE_SOFTWARE
            attr.set(ValueLayout.JAVA_INT, 4, 112); // PERF_ATTR_SIZE_VER5
            attr.set(ValueLayout.JAVA_LONG, 8, 0); // PERF_COUNT_SW_CPU_CLOCK
            attr.set(ValueLayout.JAVA_LONG, 16, periodNanos); // sample_period
            attr.set(ValueLayout.JAVA_LONG, 40, 1); // disabled
            long fd = (long) SYSCALL5.invokeExact(SYS_PERF_EVENT_OPEN, attr, tid, -1, -1, FD_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException("perf_event_open of the test's own CPU clock failed");
            }
            return (int) fd;
        } catch (Throwable t) {
            throw t instanceof RuntimeException e ? e : new IllegalStateException(t);
        }
    }

    /** Closes a descriptor {@link #disabledCpuClockOfThread} opened; {@code true} if it was still open. */
    public static boolean close(int fd) {
        try {
            return (int) CLOSE.invokeExact(fd) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
