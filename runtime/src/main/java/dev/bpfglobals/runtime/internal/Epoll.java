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
 * The one definition of the {@code epoll} calls the ring buffer and perf buffer readers sleep in:
 * an instance watching any number of descriptors, each tagged with a slot, so that a wake-up says
 * which one to read. Each call returns {@code -errno} on failure or throws naming it.
 */
public final class Epoll {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final VarHandle ERRNO = Linker.Option.captureStateLayout()
            .varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle EPOLL_CREATE1 = downcall("epoll_create1",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle EPOLL_CTL = downcall("epoll_ctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle EPOLL_WAIT = downcall("epoll_wait", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    /** {@code EPOLLIN}: ring and perf buffers signal readable data with it. */
    private static final int EPOLLIN = 1;
    /** {@code EPOLLOUT}: a user ring buffer signals room for records with it. */
    private static final int EPOLLOUT = 4;
    /** {@code EPOLLET}: report a descriptor once per kernel wake-up rather than while it stays ready. */
    private static final int EPOLLET = 1 << 31;
    /** {@code struct epoll_event} is packed on x86-64 (12 bytes, data at 4), naturally aligned elsewhere. */
    private static final boolean PACKED_EPOLL_EVENT = System.getProperty("os.arch").matches("amd64|x86_64");
    private static final int EPOLL_EVENT_SIZE = PACKED_EPOLL_EVENT ? 12 : 16;
    private static final int EPOLL_DATA_OFFSET = PACKED_EPOLL_EVENT ? 4 : 8;

    private Epoll() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }

    /**
     * A close-on-exec epoll instance, owned by the caller.
     *
     * @throws IllegalStateException naming the errno where the kernel refuses
     */
    public static BpfFd create(String what) {
        MemorySegment captured = CallBuffers.current().errno;
        try {
            int epoll = (int) EPOLL_CREATE1.invokeExact(captured, EPOLL_CLOEXEC);
            if (epoll < 0) {
                throw new IllegalStateException("epoll_create1 failed: " + Errno.of((int) ERRNO.get(captured, 0L)));
            }
            return BpfFd.adopt(epoll, what);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of epoll_create1 failed", t);
        }
    }

    /**
     * Adds {@code watched} to {@code epoll} for input, tagged {@code slot}: {@link #readySlot}
     * answers that slot when it wakes.
     *
     * @throws IllegalStateException naming the errno where the kernel refuses
     */
    public static void add(BpfFd epoll, BpfFd watched, int slot) {
        add(epoll, watched, slot, EPOLLIN);
    }

    /**
     * Adds {@code watched} to {@code epoll} for output, edge-triggered, tagged {@code slot}: a wait
     * wakes once when it is added (its state then) and after that only when the kernel wakes its
     * writers, not again and again while some room is left. A user ring buffer answers
     * {@code EPOLLOUT} whenever it is not entirely full, so level-triggered, a writer waiting for
     * more room than is left would spin.
     *
     * @throws IllegalStateException naming the errno where the kernel refuses
     */
    public static void addWritableEdges(BpfFd epoll, BpfFd watched, int slot) {
        add(epoll, watched, slot, EPOLLOUT | EPOLLET);
    }

    private static void add(BpfFd epoll, BpfFd watched, int slot, int events) {
        MemorySegment captured = CallBuffers.current().errno;
        int epollFd = epoll.acquire();
        int fd = watched.acquire();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(16, 8);
            event.set(ValueLayout.JAVA_INT, 0, events);
            event.set(ValueLayout.JAVA_INT_UNALIGNED, EPOLL_DATA_OFFSET, slot);
            int added = (int) EPOLL_CTL.invokeExact(captured, epollFd, EPOLL_CTL_ADD, fd, event);
            if (added < 0) {
                throw new IllegalStateException("epoll_ctl on " + watched.what() + " failed: "
                        + Errno.of((int) ERRNO.get(captured, 0L)));
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of epoll_ctl failed", t);
        } finally {
            watched.release();
            epoll.release();
        }
    }

    /** Room for {@code count} epoll events, for {@link #await}. */
    public static MemorySegment events(Arena arena, int count) {
        return arena.allocate((long) EPOLL_EVENT_SIZE * Math.max(1, count), 8);
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for watched fds to become ready: how many
     * are (0 on timeout), their slots in {@code events}, or {@code -errno} ({@code -EINTR} when a
     * signal came first).
     */
    public static int await(BpfFd epoll, MemorySegment events, int timeoutMillis) {
        MemorySegment captured = CallBuffers.current().errno;
        int fd = epoll.acquire();
        try {
            int ready = (int) EPOLL_WAIT.invokeExact(captured, fd, events,
                    (int) (events.byteSize() / EPOLL_EVENT_SIZE), timeoutMillis);
            return ready >= 0 ? ready : -(int) ERRNO.get(captured, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of epoll_wait failed", t);
        } finally {
            epoll.release();
        }
    }

    /** The slot of the {@code index}th ready fd {@link #await} stored in {@code events}. */
    public static int readySlot(MemorySegment events, int index) {
        return events.get(ValueLayout.JAVA_INT_UNALIGNED, (long) index * EPOLL_EVENT_SIZE + EPOLL_DATA_OFFSET);
    }
}
