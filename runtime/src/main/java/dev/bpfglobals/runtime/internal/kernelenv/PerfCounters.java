package dev.bpfglobals.runtime.internal.kernelenv;

import dev.bpfglobals.runtime.internal.Native;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;

/**
 * Opens the sampling perf events PERF_EVENT programs run on ({@code perf_event_open} of a
 * hardware or software counter), as libbpf's users open them for {@code bpf_program__attach_perf_event}:
 * per CPU for every process, or per thread on any CPU.
 */
public final class PerfCounters {

    /** {@code PERF_TYPE_HARDWARE}. */
    public static final int TYPE_HARDWARE = 0;
    /** Bytes of {@code struct perf_event_attr} passed ({@code PERF_ATTR_SIZE_VER5}); the rest of ours is zero. */
    private static final int ATTR_SIZE = 112;
    /** {@code perf_event_attr.freq}, bit 10 of the flag word: the sample field is a frequency, not a period. */
    private static final long FREQ = 1L << 10;

    private PerfCounters() {
    }

    /**
     * Opens counter {@code config} of {@code type}, sampling every {@code sample} counted events or,
     * with {@code frequency}, {@code sample} times a second; on CPU {@code cpu} for every process
     * ({@code pid} -1), or for thread {@code pid} on any CPU ({@code cpu} -1).
     *
     * @param name the counter's name, as refusals name it (e.g. {@code cycles})
     * @return the event, or empty for a possible CPU that is offline ({@code ENODEV})
     * @throws UnsupportedOperationException where the machine has no such hardware counter
     *         ({@code ENOENT}, {@code EOPNOTSUPP}: no PMU counts it, as in most virtual machines)
     * @throws IllegalArgumentException for a thread that does not exist ({@code ESRCH})
     * @throws IllegalStateException naming the errno for any other refusal
     */
    public static Optional<BpfFd> open(int type, long config, String name, long sample, boolean frequency, int pid, int cpu) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(128, 8);
            attr.set(ValueLayout.JAVA_INT, 0, type);
            attr.set(ValueLayout.JAVA_INT, 4, ATTR_SIZE);
            attr.set(ValueLayout.JAVA_LONG, 8, config);
            attr.set(ValueLayout.JAVA_LONG, 16, sample); // sample_period, or sample_freq with FREQ
            attr.set(ValueLayout.JAVA_LONG, 40, frequency ? FREQ : 0);
            int fd = Native.perfEventOpen(attr, pid, cpu);
            String where = pid < 0 ? "CPU " + cpu : "thread " + pid;
            if (fd == -Errno.ENODEV.number() && pid < 0) {
                return Optional.empty();
            }
            if (fd < 0) {
                Errno errno = Errno.of(-fd);
                if (type == TYPE_HARDWARE && (errno == Errno.ENOENT || errno == Errno.EOPNOTSUPP)) {
                    throw new UnsupportedOperationException("no hardware counter " + name + " on this machine (" + errno
                            + "): the kernel drives no PMU that counts it (/sys/bus/event_source/devices has no cpu; "
                            + "virtual machines often have none); sample a software clock (PerfCounter.CPU_CLOCK) instead");
                }
                if (errno == Errno.ESRCH) {
                    throw new IllegalArgumentException("perf_event_open of " + name + " for thread " + pid
                            + " failed with ESRCH: no such thread");
                }
                throw new IllegalStateException("perf_event_open of " + name + " on " + where + " failed with " + errno
                        + (errno == Errno.EACCES || errno == Errno.EPERM
                        ? ": this process lacks CAP_PERFMON (or root), or kernel.perf_event_paranoid forbids it" : ""));
            }
            return Optional.of(BpfFd.adopt(fd, name + " event on " + where));
        }
    }
}
