package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.kernel.BpfFd;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The libc calls a ring buffer consumer needs beyond {@link Sys} (which maps the ring): an
 * {@link Epoll} instance to sleep in until the kernel signals data, and the page size.
 */
public final class RingSyscalls {

    /** {@code _SC_PAGESIZE} of glibc and musl. */
    private static final int SC_PAGESIZE = 30;

    /** {@code AT_PAGESZ}: the auxiliary vector's entry for the page size. */
    private static final long AT_PAGESZ = 6;

    /** The page size, read on first use. */
    private static final class PageSize {
        static final long VALUE = readPageSize();
    }

    private RingSyscalls() {
    }

    /**
     * The system's page size, as the kernel handed it to this process ({@code AT_PAGESZ} in
     * {@code /proc/self/auxv}, where libc's {@code sysconf(_SC_PAGESIZE)} reads it too). Read as a
     * file rather than through a libc downcall: a downcall of a shape no other call has spins its own
     * stub, about 10 ms of a cold load of an object with a ring buffer.
     */
    public static long pageSize() {
        return PageSize.VALUE;
    }

    private static long readPageSize() {
        try {
            // Pairs of native-order unsigned longs (a 64-bit process): type, value; AT_NULL (0) ends it.
            ByteBuffer entries = ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/self/auxv"))).order(ByteOrder.nativeOrder());
            while (entries.remaining() >= 16) {
                long type = entries.getLong();
                long value = entries.getLong();
                if (type == AT_PAGESZ) {
                    return value;
                }
                if (type == 0) {
                    break;
                }
            }
        } catch (IOException unreadable) {
            // A process that changed its credentials (an exporter run as another user) is not dumpable,
            // and its /proc/self is root's: libc answers then.
        }
        return sysconfPageSize();
    }

    /** {@code sysconf(_SC_PAGESIZE)}, the fallback: a downcall shape of its own, made only here. */
    static long sysconfPageSize() {
        Linker linker = Linker.nativeLinker();
        MethodHandle sysconf = linker.downcallHandle(linker.defaultLookup().find("sysconf").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        try {
            return (long) sysconf.invokeExact(SC_PAGESIZE);
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
