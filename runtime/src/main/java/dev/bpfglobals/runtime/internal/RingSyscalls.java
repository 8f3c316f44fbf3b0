package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.kernel.BpfFd;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The libc calls a ring buffer consumer needs beyond {@link Sys} (which maps the ring): an
 * {@link Epoll} instance to sleep in until the kernel signals data, and the page size.
 */
public final class RingSyscalls {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SYSCONF = LINKER.downcallHandle(LINKER.defaultLookup().find("sysconf").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

    private static final int SC_PAGESIZE = 30;

    private RingSyscalls() {
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
        BpfFd epoll = Epoll.create("epoll of " + watched.what());
        try {
            Epoll.add(epoll, watched, 0);
            return epoll;
        } catch (RuntimeException e) {
            epoll.close();
            throw e;
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for the watched fd to become readable: the
     * number of ready fds (0 on timeout), or {@code -errno} ({@code -EINTR} when a signal came first).
     */
    public static int epollWait(BpfFd epoll, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            return Epoll.await(epoll, Epoll.events(arena, 1), timeoutMillis);
        }
    }
}
