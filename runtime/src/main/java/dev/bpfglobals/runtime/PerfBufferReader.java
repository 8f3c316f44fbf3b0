package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.internal.Epoll;
import dev.bpfglobals.runtime.internal.PerfRings;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the samples BPF programs write with {@code bpf_perf_event_output} into a
 * {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} map, as libbpf's {@code perf_buffer__poll} reads them: one
 * ring per CPU, each the mmap of that CPU's {@code PERF_COUNT_SW_BPF_OUTPUT} perf event, which the
 * reader stores in the map under the CPU's number; {@code epoll} sleeps until a ring has data. Samples
 * of one CPU arrive in the order they were written; samples of different CPUs are not ordered.
 *
 * <p>When a ring is full the kernel drops samples rather than overwrite unread ones, and reports
 * how many it dropped once the ring has room again: {@link #lostSamples()} totals them, and
 * {@link SampleHandler#onLost} hears of each report.
 *
 * <p>One thread reads at a time: the methods are synchronized, and {@link #close()} waits for a
 * {@link #poll} in progress to return.
 */
public final class PerfBufferReader implements AutoCloseable {

    /** Receives what {@link #poll} and {@link #consume} read. */
    @FunctionalInterface
    public interface SampleHandler {
        /**
         * One sample written on {@code cpu}: a read-only view valid only during the call (copy what
         * you keep). The kernel pads each sample so that it and its 4-byte size end on an 8-byte
         * boundary, so {@code data} may be up to 7 bytes longer than the program wrote.
         *
         * @param cpu the CPU the program wrote the sample on
         * @param data the sample's bytes, read-only and valid only during the call
         */
        void onSample(int cpu, MemorySegment data);

        /**
         * The kernel dropped {@code count} samples of {@code cpu} because its ring was full; by default ignored.
         *
         * @param cpu the CPU whose ring was full
         * @param count how many samples the kernel dropped
         */
        default void onLost(int cpu, long count) {
        }
    }

    private final BpfMap map;
    private final Arena arena;
    private final List<PerfRing> rings;
    private final BpfFd epoll;
    private final MemorySegment events;
    private final MemorySegment scratch;
    private long lost;

    private PerfBufferReader(BpfMap map, int pagesPerCpu) {
        this.map = map;
        this.arena = Arena.ofShared();
        this.rings = new ArrayList<>();
        BpfFd opened = null;
        try {
            int slots = map.info().maxEntries();
            for (int cpu : PossibleCpus.system().ids()) {
                if (cpu >= slots) {
                    break; // libbpf too reads only the CPUs the map has slots for
                }
                Optional<BpfFd> event = PerfRings.openBpfOutput(cpu);
                if (event.isEmpty()) {
                    continue; // offline: it writes nothing
                }
                PerfRing ring;
                try {
                    ring = PerfRing.map(cpu, event.get(), pagesPerCpu, arena);
                } catch (RuntimeException e) {
                    event.get().close();
                    throw e;
                }
                rings.add(ring);
                storeInMap(cpu, ring.event());
            }
            opened = Epoll.create("epoll of the perf buffer of " + map);
            for (int slot = 0; slot < rings.size(); slot++) {
                Epoll.add(opened, rings.get(slot).event(), slot);
            }
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            release();
            throw e;
        }
        this.epoll = opened;
        this.events = Epoll.events(arena, rings.size());
        this.scratch = arena.allocate(PerfRing.MAX_RECORD, 8);
    }

    /**
     * A reader of {@code map} with {@code pagesPerCpu} data pages in each CPU's ring; it takes the
     * map over (closing the reader closes it) and fills its slots, one per possible CPU.
     *
     * @param map an open PERF_EVENT_ARRAY map, from now on the reader's
     * @param pagesPerCpu data pages in each CPU's ring, a power of two
     * @return the reader, to close
     * @throws IllegalArgumentException if {@code map} is not a PERF_EVENT_ARRAY or {@code pagesPerCpu}
     *                                  is not a power of two (the map is closed then)
     * @throws IllegalStateException    naming the errno where the kernel refuses an event or its ring
     *                                  (EPERM, EACCES: no CAP_PERFMON; the map is closed then)
     */
    public static PerfBufferReader of(BpfMap map, int pagesPerCpu) {
        Objects.requireNonNull(map, "map");
        if (map.info().kernelType() != MapType.PERF_EVENT_ARRAY.kernelValue()) {
            map.close();
            throw new IllegalArgumentException(map + " is a " + map.info().typeName() + " map, not a PERF_EVENT_ARRAY");
        }
        if (pagesPerCpu <= 0 || Integer.bitCount(pagesPerCpu) != 1) {
            map.close();
            throw new IllegalArgumentException("a perf buffer needs a power of two (1, 2, 4, ...) of pages per CPU,"
                    + " not " + pagesPerCpu + ": the kernel maps each ring as 2^n data pages");
        }
        return new PerfBufferReader(map, pagesPerCpu);
    }

    private void storeInMap(int cpu, BpfFd event) {
        try (Arena call = Arena.ofConfined()) {
            int fd = event.acquire();
            try {
                map.update(call.allocateFrom(ValueLayout.JAVA_INT, cpu), call.allocateFrom(ValueLayout.JAVA_INT, fd));
            } finally {
                event.release();
            }
        }
    }

    /**
     * The CPUs this reader has a ring for, ascending: the possible CPUs that were online when it
     * opened and have a slot in the map.
     *
     * @return the CPU numbers, ascending
     */
    public List<Integer> cpus() {
        return rings.stream().map(PerfRing::cpu).toList();
    }

    /**
     * The samples the kernel reported dropped so far, over all CPUs.
     *
     * @return the total the kernel reported dropped since the reader opened
     */
    public synchronized long lostSamples() {
        return lost;
    }

    /**
     * Hands every sample now in the rings to {@code handler}, CPU by CPU, without waiting. If the
     * handler throws, the samples before it and that sample count as read, and the exception propagates.
     *
     * @param handler receives each sample (and each report of dropped ones)
     * @return the number of samples handed over
     */
    public synchronized int consume(SampleHandler handler) {
        Objects.requireNonNull(handler, "handler");
        requireOpen();
        int count = 0;
        for (PerfRing ring : rings) {
            count += read(ring, handler);
        }
        return count;
    }

    /**
     * Waits up to {@code timeout} for the kernel to signal new samples, then reads the rings that
     * have some. Samples already waiting are read at once.
     *
     * @param timeout how long to wait at most; zero or negative does not wait
     * @param handler receives each sample (and each report of dropped ones)
     * @return the number of samples handed over; 0 when the timeout passed with none
     * @throws IllegalStateException if waiting fails (a signal interrupting it returns 0 instead)
     */
    public synchronized int poll(Duration timeout, SampleHandler handler) {
        Objects.requireNonNull(handler, "handler");
        int read = consume(handler);
        if (read > 0) {
            return read;
        }
        long millis = Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis()));
        int ready = Epoll.await(epoll, events, (int) millis);
        if (ready < 0 && Errno.of(-ready) != Errno.EINTR) {
            throw new IllegalStateException("epoll_wait on the perf buffer of " + map + " failed: " + Errno.of(-ready));
        }
        for (int i = 0; i < ready; i++) {
            read += read(rings.get(Epoll.readySlot(events, i)), handler);
        }
        return read;
    }

    private int read(PerfRing ring, SampleHandler handler) {
        return ring.read(new PerfRing.Records() {
            @Override
            public void sample(int cpu, MemorySegment data) {
                handler.onSample(cpu, data);
            }

            @Override
            public void lost(int cpu, long count) {
                lost += count;
                handler.onLost(cpu, count);
            }
        }, scratch);
    }

    private void requireOpen() {
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException("the perf buffer reader of " + map + " is closed");
        }
    }

    /**
     * Empties the map's slots this reader filled, unmaps the rings and closes the events, the epoll
     * instance and the map; later calls do nothing.
     */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            epoll.close();
            release();
        }
    }

    private void release() {
        for (PerfRing ring : rings) {
            // ENOENT (already empty) is fine; another failure leaves an event the map's close frees.
            long ignored = PerfRings.deleteSlot(map.fd(), ring.cpu());
        }
        arena.close();
        rings.forEach(ring -> ring.event().close());
        map.close();
    }
}
