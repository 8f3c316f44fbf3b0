package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc calls a ring buffer consumer needs beyond {@link Sys} (which maps the ring): {@code epoll}
 * to sleep until the kernel signals data, and the page size. Like {@link Sys}, each returns
 * {@code -errno} on failure.
 */
public final class RingSyscalls {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final VarHandle ERRNO = Linker.Option.captureStateLayout()
            .varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle EPOLL_CREATE1 = downcall("epoll_create1",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle EPOLL_CTL = downcall("epoll_ctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle EPOLL_WAIT = downcall("epoll_wait", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SYSCONF = LINKER.downcallHandle(LINKER.defaultLookup().find("sysconf").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    /** {@code EPOLLIN}: the kernel's ring buffer signals readable data with it. */
    private static final int EPOLLIN = 1;
    private static final int SC_PAGESIZE = 30;
    /** {@code struct epoll_event}: 12 bytes packed on x86-64, 16 elsewhere; the larger always fits. */
    private static final int EPOLL_EVENT_SIZE = 16;

    private RingSyscalls() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }

    private static int errno(MemorySegment captured) {
        return (int) ERRNO.get(captured, 0L);
    }

    /** The system's page size ({@code sysconf(_SC_PAGESIZE)}). */
    public static long pageSize() {
        try {
            return (long) SYSCONF.invokeExact(SC_PAGESIZE);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of sysconf failed", t);
        }
    }

    /**
     * A close-on-exec epoll instance watching {@code watched} for input, owned by the caller.
     *
     * @throws IllegalStateException naming the errno where the kernel refuses
     */
    public static BpfFd epollFor(BpfFd watched) {
        MemorySegment captured = CallBuffers.current().errno;
        int fd = watched.acquire();
        try (Arena arena = Arena.ofConfined()) {
            int epoll = (int) EPOLL_CREATE1.invokeExact(captured, EPOLL_CLOEXEC);
            if (epoll < 0) {
                throw new IllegalStateException("epoll_create1 failed: " + Errno.of(errno(captured)));
            }
            MemorySegment event = arena.allocate(EPOLL_EVENT_SIZE, 8);
            event.set(ValueLayout.JAVA_INT, 0, EPOLLIN);
            int added = (int) EPOLL_CTL.invokeExact(captured, epoll, EPOLL_CTL_ADD, fd, event);
            if (added < 0) {
                int error = errno(captured);
                BpfFd.adopt(epoll, "epoll").close();
                throw new IllegalStateException("epoll_ctl on " + watched.what() + " failed: " + Errno.of(error));
            }
            return BpfFd.adopt(epoll, "epoll of " + watched.what());
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of epoll_create1/epoll_ctl failed", t);
        } finally {
            watched.release();
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for the watched fd to become readable: the
     * number of ready fds (0 on timeout), or {@code -errno} ({@code -EINTR} when a signal came first).
     */
    public static int epollWait(BpfFd epoll, int timeoutMillis) {
        MemorySegment captured = CallBuffers.current().errno;
        int fd = epoll.acquire();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(EPOLL_EVENT_SIZE, 8);
            int ready = (int) EPOLL_WAIT.invokeExact(captured, fd, events, 1, timeoutMillis);
            return ready >= 0 ? ready : -errno(captured);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of epoll_wait failed", t);
        } finally {
            epoll.release();
        }
    }
}
