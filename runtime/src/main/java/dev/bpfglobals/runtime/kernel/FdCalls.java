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

    /** {@code close}, made on its first call (see {@link Fcntl}). */
    private static final class Close {
        static final MethodHandle HANDLE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.captureCallState("errno"));
    }

    /**
     * {@code fcntl}, made on its first call: a downcall handle spins its stub classes (milliseconds
     * cold), which a command that never duplicates a descriptor should not pay.
     */
    private static final class Fcntl {
        static final MethodHandle HANDLE = LINKER.downcallHandle(LINKER.defaultLookup().find("fcntl").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));
    }

    /** fcntl's command to duplicate a descriptor with close-on-exec set. */
    private static final int F_DUPFD_CLOEXEC = 1030;

    private FdCalls() {
    }

    /** close(fd): 0, or {@code -errno}. */
    static int close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment captured = arena.allocate(CAPTURE);
            int result = (int) Close.HANDLE.invokeExact(captured, fd);
            return result == 0 ? 0 : -(int) ERRNO.get(captured, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of close failed", t);
        }
    }

    /** A close-on-exec duplicate of {@code fd}, or {@code -errno}. */
    static int dup(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment captured = arena.allocate(CAPTURE);
            int result = (int) Fcntl.HANDLE.invokeExact(captured, fd, F_DUPFD_CLOEXEC, 0);
            return result >= 0 ? result : -(int) ERRNO.get(captured, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of fcntl failed", t);
        }
    }
}
