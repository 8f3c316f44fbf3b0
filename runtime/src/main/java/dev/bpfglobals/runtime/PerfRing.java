package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.internal.RingSyscalls;
import dev.bpfglobals.runtime.internal.Sys;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * One CPU's perf ring as the kernel lays it out for mmap: a metadata page ({@code struct
 * perf_event_mmap_page}, whose {@code data_head} the kernel advances and whose {@code data_tail}
 * the reader advances), then a power-of-two number of data pages the records go round. Mapped
 * read-write, which tells the kernel not to overwrite unread records: when the ring is full it
 * counts the samples it drops and reports them in a {@code PERF_RECORD_LOST} record once there is room.
 *
 * @param cpu   the CPU whose event writes this ring
 * @param event the perf event, which owns the ring
 * @param meta  the metadata page
 * @param data  the data pages
 */
record PerfRing(int cpu, BpfFd event, MemorySegment meta, MemorySegment data) {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    /** Offsets of {@code data_head} and {@code data_tail} in {@code struct perf_event_mmap_page}. */
    private static final long DATA_HEAD = 1024;
    private static final long DATA_TAIL = 1032;
    /** {@code struct perf_event_header}: u32 type, u16 misc, u16 size. */
    private static final int HEADER_SIZE = 8;
    private static final int RECORD_LOST = 2;
    private static final int RECORD_SAMPLE = 9;
    /** The largest record: {@code perf_event_header.size} is a u16. */
    static final int MAX_RECORD = 0xffff;

    /**
     * Maps {@code event}'s ring of {@code pages} data pages into {@code arena}.
     *
     * @throws IllegalStateException naming the errno where the kernel refuses the mapping
     */
    static PerfRing map(int cpu, BpfFd event, int pages, Arena arena) {
        long page = RingSyscalls.pageSize();
        int[] error = new int[1];
        MemorySegment all = Sys.mmap(event, 0, page * (pages + 1), true, arena, error);
        if (all.equals(MemorySegment.NULL)) {
            Errno errno = Errno.of(-error[0]);
            throw new IllegalStateException("mmap of the " + pages + "-page perf ring of CPU " + cpu + " failed with "
                    + errno + (errno == Errno.EPERM || errno == Errno.ENOMEM
                    ? ": the rings exceed what this process may lock (kernel.perf_event_mlock_kb, RLIMIT_MEMLOCK);"
                    + " use fewer pages per CPU or raise the limit" : ""));
        }
        return new PerfRing(cpu, event, all.asSlice(0, page), all.asSlice(page));
    }

    /** What a ring read hands on: each sample's bytes and each count of samples the kernel dropped. */
    interface Records {
        void sample(int cpu, MemorySegment data);

        void lost(int cpu, long count);
    }

    /**
     * Hands every record between {@code data_tail} and {@code data_head} to {@code records}, oldest
     * first, advancing {@code data_tail} past each before the next (so a handler that throws leaves
     * the records after its own unread). A record that wraps round the end of the ring is first
     * copied whole into {@code scratch} ({@link #MAX_RECORD} bytes).
     *
     * @return the number of samples handed over
     */
    int read(Records records, MemorySegment scratch) {
        long size = data.byteSize();
        // Acquire: the kernel writes a record and then publishes it by advancing data_head.
        long head = (long) LONG.getAcquire(meta, DATA_HEAD);
        long tail = meta.get(ValueLayout.JAVA_LONG, DATA_TAIL);
        int samples = 0;
        while (tail < head) {
            long at = tail & (size - 1);
            // Records are 8-byte aligned and the ring is pages long, so a header never wraps.
            int type = data.get(ValueLayout.JAVA_INT, at);
            int length = Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT, at + 6));
            if (length < HEADER_SIZE) {
                throw new IllegalStateException("corrupt perf ring of CPU " + cpu + ": a record of " + length
                        + " bytes");
            }
            MemorySegment record;
            if (at + length <= size) {
                record = data.asSlice(at, length);
            } else {
                long first = size - at;
                MemorySegment.copy(data, at, scratch, 0, first);
                MemorySegment.copy(data, 0, scratch, first, length - first);
                record = scratch.asSlice(0, length);
            }
            tail += length;
            try {
                if (type == RECORD_SAMPLE) {
                    int raw = record.get(ValueLayout.JAVA_INT, HEADER_SIZE);
                    samples++;
                    records.sample(cpu, record.asSlice(HEADER_SIZE + 4, raw).asReadOnly());
                } else if (type == RECORD_LOST) {
                    records.lost(cpu, record.get(ValueLayout.JAVA_LONG, HEADER_SIZE + 8));
                }
            } finally {
                // Release: the kernel may reuse the bytes only after the reader is done with them.
                LONG.setRelease(meta, DATA_TAIL, tail);
            }
        }
        return samples;
    }
}
