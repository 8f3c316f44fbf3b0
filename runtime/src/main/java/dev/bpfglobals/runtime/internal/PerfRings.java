package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.kernel.BpfCommand;
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
import java.util.Optional;

/**
 * The calls a perf buffer reader needs beyond {@link RingSyscalls}: the per-CPU
 * {@code PERF_COUNT_SW_BPF_OUTPUT} event {@code bpf_perf_event_output} writes into, its enabling
 * ioctl, one epoll instance watching many events (each tagged with its slot, so a wake-up says
 * which ring to read), and the deletion of a PERF_EVENT_ARRAY slot when the reader closes.
 */
public final class PerfRings {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final VarHandle ERRNO = Linker.Option.captureStateLayout()
            .varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle EPOLL_CREATE1 = downcall("epoll_create1",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle EPOLL_CTL = downcall("epoll_ctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle EPOLL_WAIT = downcall("epoll_wait", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /** {@code PERF_TYPE_SOFTWARE}. */
    private static final int TYPE_SOFTWARE = 1;
    /** {@code PERF_COUNT_SW_BPF_OUTPUT}: the event whose samples {@code bpf_perf_event_output} writes. */
    private static final int COUNT_SW_BPF_OUTPUT = 10;
    /** {@code PERF_SAMPLE_RAW}: each sample is a u32 size and the program's bytes. */
    private static final long SAMPLE_RAW = 1L << 10;
    /** Bytes of {@code struct perf_event_attr} passed ({@code PERF_ATTR_SIZE_VER5}), as {@link PerfEvents} does. */
    private static final int ATTR_SIZE = 112;
    /** {@code PERF_EVENT_IOC_ENABLE}: {@code _IO('$', 0)}. */
    private static final long IOC_ENABLE = 0x2400;

    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLLIN = 1;
    /** {@code struct epoll_event} is packed on x86-64 (12 bytes, data at 4), naturally aligned elsewhere. */
    private static final boolean PACKED_EPOLL_EVENT = System.getProperty("os.arch").matches("amd64|x86_64");
    private static final int EPOLL_EVENT_SIZE = PACKED_EPOLL_EVENT ? 12 : 16;
    private static final int EPOLL_DATA_OFFSET = PACKED_EPOLL_EVENT ? 4 : 8;

    private PerfRings() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }

    /**
     * The BPF output event of CPU {@code cpu}, for all processes, waking its reader on every sample
     * ({@code wakeup_events = 1}), as libbpf's {@code perf_buffer__new} opens it; enabled. Empty for
     * a possible CPU that is offline ({@code ENODEV}).
     *
     * @throws IllegalStateException naming the errno and its likely cause where the kernel refuses
     */
    public static Optional<BpfFd> openBpfOutput(int cpu) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(128, 8);
            attr.set(ValueLayout.JAVA_INT, 0, TYPE_SOFTWARE);
            attr.set(ValueLayout.JAVA_INT, 4, ATTR_SIZE);
            attr.set(ValueLayout.JAVA_LONG, 8, COUNT_SW_BPF_OUTPUT); // config
            attr.set(ValueLayout.JAVA_LONG, 16, 1); // sample_period: every output is a sample
            attr.set(ValueLayout.JAVA_LONG, 24, SAMPLE_RAW); // sample_type
            attr.set(ValueLayout.JAVA_INT, 48, 1); // wakeup_events
            int fd = Native.perfEventOpen(attr, -1, cpu);
            if (fd == -Errno.ENODEV.number()) {
                return Optional.empty();
            }
            if (fd < 0) {
                Errno errno = Errno.of(-fd);
                throw new IllegalStateException("perf_event_open of the BPF output event on CPU " + cpu
                        + " failed with " + errno + (errno == Errno.EPERM || errno == Errno.EACCES
                        ? ": this process lacks CAP_PERFMON (or root), or kernel.perf_event_paranoid forbids it" : ""));
            }
            BpfFd event = BpfFd.adopt(fd, "BPF output event on CPU " + cpu);
            int enabled = Native.ioctl(fd, IOC_ENABLE, 0);
            if (enabled < 0) {
                event.close();
                throw new IllegalStateException("enabling the BPF output event on CPU " + cpu + " failed with "
                        + Errno.of(-enabled));
            }
            return Optional.of(event);
        }
    }

    /**
     * BPF_MAP_DELETE_ELEM of 4-byte {@code key}: 0, or {@code -errno} (ENOENT when the slot is
     * already empty, as it is once the kernel dropped an event whose file closed).
     */
    public static long deleteSlot(BpfFd map, int key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment keySegment = arena.allocateFrom(ValueLayout.JAVA_INT, key);
            MemorySegment attr = Bpf.attr();
            int fd = map.acquire();
            try {
                attr.set(ValueLayout.JAVA_INT, 0, fd);
                attr.set(ValueLayout.JAVA_LONG, 8, keySegment.address());
                return Sys.bpf(BpfCommand.BPF_MAP_DELETE_ELEM.number(), attr, Bpf.ATTR_SIZE);
            } finally {
                map.release();
            }
        }
    }

    /**
     * A close-on-exec epoll instance, owned by the caller.
     *
     * @throws IllegalStateException naming the errno where the kernel refuses
     */
    public static BpfFd epollCreate(String what) {
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
    public static void epollAdd(BpfFd epoll, BpfFd watched, int slot) {
        MemorySegment captured = CallBuffers.current().errno;
        int epollFd = epoll.acquire();
        int fd = watched.acquire();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(16, 8);
            event.set(ValueLayout.JAVA_INT, 0, EPOLLIN);
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

    /** Room for {@code count} epoll events, for {@link #epollWait}. */
    public static MemorySegment epollEvents(Arena arena, int count) {
        return arena.allocate((long) EPOLL_EVENT_SIZE * Math.max(1, count), 8);
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for watched fds to become readable: how many
     * are (0 on timeout), their slots in {@code events}, or {@code -errno} ({@code -EINTR} when a
     * signal came first).
     */
    public static int epollWait(BpfFd epoll, MemorySegment events, int timeoutMillis) {
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

    /** The slot of the {@code index}th ready fd {@link #epollWait} stored in {@code events}. */
    public static int readySlot(MemorySegment events, int index) {
        return events.get(ValueLayout.JAVA_INT_UNALIGNED, (long) index * EPOLL_EVENT_SIZE + EPOLL_DATA_OFFSET);
    }
}
