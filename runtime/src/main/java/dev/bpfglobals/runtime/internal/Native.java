package dev.bpfglobals.runtime.internal;

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
 * The libc calls attachment needs beyond bpf(2): {@code perf_event_open} (through {@code syscall}),
 * {@code ioctl}, {@code open}, {@code read}, {@code setsockopt} and {@code if_nametoindex}. Like {@link Sys}, each
 * captures errno with the call and returns {@code -errno} on failure.
 */
public final class Native {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // Each call's handle lives in its own holder class, made on its first call: making a downcall
    // handle spins its stub classes (a few milliseconds cold each), and most commands make none of
    // these calls. A static final field in a holder is as constant to the JIT as one here.

    /** {@code long syscall(long number, ...)} with five long arguments (unused ones are ignored by the kernel). */
    private static final class Syscall5 {
        static final MethodHandle HANDLE = LINKER.downcallHandle(
                LINKER.defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
    }

    /** {@code int ioctl(int fd, unsigned long request, ...)} with one long argument. */
    private static final class Ioctl {
        static final MethodHandle HANDLE = LINKER.downcallHandle(
                LINKER.defaultLookup().find("ioctl").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));
    }

    /** {@code int open(const char *path, int flags, ...)} without a mode. */
    private static final class Open {
        static final MethodHandle HANDLE = LINKER.downcallHandle(
                LINKER.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));
    }

    /** {@code int setsockopt(int fd, int level, int name, const void *value, socklen_t length)}. */
    private static final class Setsockopt {
        static final MethodHandle HANDLE = LINKER.downcallHandle(
                LINKER.defaultLookup().find("setsockopt").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                Linker.Option.captureCallState("errno"));
    }

    /** {@code unsigned int if_nametoindex(const char *name)}. */
    private static final class IfNameToIndex {
        static final MethodHandle HANDLE = LINKER.downcallHandle(
                LINKER.defaultLookup().find("if_nametoindex").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
                Linker.Option.captureCallState("errno"));
    }

    /** {@code ssize_t read(int fd, void *buf, size_t count)}. */
    private static final class Read {
        static final MethodHandle HANDLE = LINKER.downcallHandle(
                LINKER.defaultLookup().find("read").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                Linker.Option.captureCallState("errno"));
    }

    /** {@code __NR_perf_event_open} of this architecture. */
    private static final long SYS_PERF_EVENT_OPEN = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 298;
        case "aarch64", "riscv64", "loongarch64" -> 241;
        case "s390x" -> 331;
        case "ppc64le" -> 319;
        default -> -1;
    };

    /** {@code O_RDONLY | O_DIRECTORY | O_CLOEXEC} (x86-64 and the generic ABI). */
    public static final int O_DIRECTORY_RDONLY_CLOEXEC = 0x10000 | 0x80000;

    /** {@code O_RDONLY | O_CLOEXEC}. */
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    private Native() {
    }

    /** {@code syscall(number, a, b, c, d, e)}: the result, or {@code -errno}. */
    static long syscall(long number, long a, long b, long c, long d, long e) {
        MemorySegment captured = CallBuffers.current().errno;
        try {
            long result = (long) Syscall5.HANDLE.invokeExact(captured, number, a, b, c, d, e);
            return result >= 0 ? result : -(int) ERRNO.get(captured, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of syscall(" + number + ") failed", t);
        }
    }

    /** {@code perf_event_open(attr, pid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC)}: the event's fd, or {@code -errno}. */
    public static int perfEventOpen(MemorySegment attr, int pid, int cpu) {
        if (SYS_PERF_EVENT_OPEN < 0) {
            throw new UnsupportedOperationException("perf_event_open syscall number unknown for architecture "
                    + System.getProperty("os.arch"));
        }
        return (int) syscall(SYS_PERF_EVENT_OPEN, attr.address(), pid, cpu, -1, 8 /* PERF_FLAG_FD_CLOEXEC */);
    }

    /** {@code ioctl(fd, request, argument)}: the result, or {@code -errno}. */
    static int ioctl(int fd, long request, long argument) {
        MemorySegment captured = CallBuffers.current().errno;
        try {
            int result = (int) Ioctl.HANDLE.invokeExact(captured, fd, request, argument);
            return result >= 0 ? result : -(int) ERRNO.get(captured, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of ioctl failed", t);
        }
    }

    /** {@code read(fd, buffer, buffer.byteSize())}: the bytes read (0 at the end), or {@code -errno}. */
    public static long read(int fd, MemorySegment buffer) {
        MemorySegment captured = CallBuffers.current().errno;
        try {
            long result = (long) Read.HANDLE.invokeExact(captured, fd, buffer, buffer.byteSize());
            return result >= 0 ? result : -(int) ERRNO.get(captured, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of read failed", t);
        }
    }

    /** {@code open(path, flags)}: the fd, or {@code -errno}. */
    static int open(String path, int flags) {
        MemorySegment captured = CallBuffers.current().errno;
        try (Arena arena = Arena.ofConfined()) {
            int result = (int) Open.HANDLE.invokeExact(captured, arena.allocateFrom(path), flags);
            return result >= 0 ? result : -(int) ERRNO.get(captured, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of open failed", t);
        }
    }

    /**
     * Opens directory {@code path} read-only (a cgroup v2 directory a link attaches to).
     *
     * @throws IllegalArgumentException naming {@code what} and the errno where it cannot be opened
     */
    public static dev.bpfglobals.runtime.kernel.BpfFd openDirectory(String path, String what) {
        int fd = open(path, O_DIRECTORY_RDONLY_CLOEXEC);
        if (fd < 0) {
            throw new IllegalArgumentException(what + ": cannot open the directory: "
                    + dev.bpfglobals.runtime.kernel.Errno.of(-fd));
        }
        return dev.bpfglobals.runtime.kernel.BpfFd.adopt(fd, "directory " + path);
    }

    /**
     * Opens {@code path} read-only (a network namespace file a link attaches to, e.g. {@code /proc/self/ns/net}).
     *
     * @throws IllegalArgumentException naming {@code what} and the errno where it cannot be opened
     */
    public static dev.bpfglobals.runtime.kernel.BpfFd openReadOnly(String path, String what) {
        int fd = open(path, O_RDONLY_CLOEXEC);
        if (fd < 0) {
            throw new IllegalArgumentException(what + ": cannot open " + path + ": " + dev.bpfglobals.runtime.kernel.Errno.of(-fd));
        }
        return dev.bpfglobals.runtime.kernel.BpfFd.adopt(fd, "file " + path);
    }

    /** {@code setsockopt(socket, level, name, &fd, 4)} with {@code value}'s number: 0, or {@code -errno}. */
    public static int setsockopt(int socket, int level, int name, dev.bpfglobals.runtime.kernel.BpfFd value) {
        return Bpf.using(value, fd -> setsockopt(socket, level, name, fd));
    }

    /** {@code setsockopt(fd, level, name, &value, 4)} with an int value: 0, or {@code -errno}. */
    public static int setsockopt(int fd, int level, int name, int value) {
        MemorySegment captured = CallBuffers.current().errno;
        try (Arena arena = Arena.ofConfined()) {
            int result = (int) Setsockopt.HANDLE.invokeExact(captured, fd, level, name,
                    arena.allocateFrom(ValueLayout.JAVA_INT, value), 4);
            return result >= 0 ? result : -(int) ERRNO.get(captured, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of setsockopt failed", t);
        }
    }

    /** {@code if_nametoindex(name)}: the interface's index, or {@code -errno} when there is none. */
    public static int ifNameToIndex(String name) {
        MemorySegment captured = CallBuffers.current().errno;
        try (Arena arena = Arena.ofConfined()) {
            int result = (int) IfNameToIndex.HANDLE.invokeExact(captured, arena.allocateFrom(name));
            return result > 0 ? result : -(int) ERRNO.get(captured, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of if_nametoindex failed", t);
        }
    }
}
