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
import java.lang.ref.Reference;

/**
 * The calls attachment needs beyond bpf(2): {@code perf_event_open}, {@code ioctl}, {@code openat} and
 * {@code read} through {@link Syscall}'s one downcall shape, and libc's {@code setsockopt} and
 * {@code if_nametoindex}. Like {@link Sys}, each captures errno with the call and returns {@code -errno} on failure.
 */
public final class Native {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // Each libc function's handle lives in its own holder class, made on its first call: a downcall
    // handle of a new shape spins its stub classes (about 10 ms cold), and most commands make none
    // of these calls. A static final field in a holder is as constant to the JIT as one here.

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

    /** {@code O_RDONLY | O_DIRECTORY | O_CLOEXEC} (x86-64 and the generic ABI). */
    public static final int O_DIRECTORY_RDONLY_CLOEXEC = 0x10000 | 0x80000;

    /** {@code O_RDONLY | O_CLOEXEC}. */
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    /** {@code AT_FDCWD}: openat(2) resolves a relative path from the working directory. */
    private static final int AT_FDCWD = -100;

    private Native() {
    }

    /** {@code perf_event_open(attr, pid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC)}: the event's fd, or {@code -errno}. */
    public static int perfEventOpen(MemorySegment attr, int pid, int cpu) {
        long fd = Syscall.call(CallBuffers.current().errno, Syscall.PERF_EVENT_OPEN, "perf_event_open", Syscall.address(attr),
                pid, cpu, -1, 8 /* PERF_FLAG_FD_CLOEXEC */, 0);
        Reference.reachabilityFence(attr);
        return (int) fd;
    }

    /** {@code ioctl(fd, request, argument)}: the result, or {@code -errno}. */
    static int ioctl(int fd, long request, long argument) {
        return (int) Syscall.call(CallBuffers.current().errno, Syscall.IOCTL, "ioctl", fd, request, argument, 0, 0, 0);
    }

    /** {@code read(fd, buffer, buffer.byteSize())}: the bytes read (0 at the end), or {@code -errno}. */
    public static long read(int fd, MemorySegment buffer) {
        long result = Syscall.call(CallBuffers.current().errno, Syscall.READ, "read", fd, Syscall.address(buffer),
                buffer.byteSize(), 0, 0, 0);
        Reference.reachabilityFence(buffer);
        return result;
    }

    /** {@code openat(AT_FDCWD, path, flags)}: the fd, or {@code -errno}. */
    static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) Syscall.call(CallBuffers.current().errno, Syscall.OPENAT, "openat", AT_FDCWD,
                    arena.allocateFrom(path).address(), flags, 0, 0, 0);
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
