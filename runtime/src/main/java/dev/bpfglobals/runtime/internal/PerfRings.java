package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;

/**
 * The calls a perf buffer reader needs beyond {@link RingSyscalls} and {@link Epoll}: the per-CPU
 * {@code PERF_COUNT_SW_BPF_OUTPUT} event {@code bpf_perf_event_output} writes into, its enabling
 * ioctl, and the deletion of a PERF_EVENT_ARRAY slot when the reader closes.
 */
public final class PerfRings {

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


    private PerfRings() {
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
}
