package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.internal.RingSyscalls;
import dev.bpfglobals.runtime.internal.Sys;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The memory of a RINGBUF or USER_RINGBUF map as the kernel lays it out for mmap: a consumer
 * page, a producer page, then the data area mapped twice in a row, so that a record wrapping
 * around the end reads as one piece. Only one side of the ring is writable from user space: the
 * consumer page of a RINGBUF (Java consumes), the producer page and data of a USER_RINGBUF (Java produces).
 *
 * @param arena        owns the two mappings; closing it unmaps them
 * @param consumerPage the consumer position, at offset 0
 * @param producerPage the producer position, at offset 0
 * @param data         the data area, twice its size ({@code max_entries}) long
 * @param mask         {@code max_entries - 1}: positions modulo the data size
 */
record RingMemory(Arena arena, MemorySegment consumerPage, MemorySegment producerPage, MemorySegment data, long mask) {

    /** {@code BPF_RINGBUF_BUSY_BIT}: the producer has reserved the record but not committed it. */
    static final int BUSY_BIT = 1 << 31;
    /** {@code BPF_RINGBUF_DISCARD_BIT}: the producer threw the record away. */
    static final int DISCARD_BIT = 1 << 30;
    /** {@code BPF_RINGBUF_HDR_SZ}: the length word and the kernel's page offset before each record. */
    static final int HEADER_SIZE = 8;

    /**
     * Maps {@code map}'s ring, described as {@code what} in errors; Java writes the consumer page
     * when {@code javaConsumes}, else the producer page and data.
     *
     * @throws IllegalStateException naming the errno where the kernel refuses a mapping
     */
    private static RingMemory map(BpfMap map, String what, boolean javaConsumes) {
        long page = RingSyscalls.pageSize();
        long size = Integer.toUnsignedLong(map.info().maxEntries());
        Arena arena = Arena.ofShared();
        try {
            int[] error = new int[1];
            MemorySegment consumer = mapped(Sys.mmap(map.fd(), 0, page, javaConsumes, arena, error),
                    "consumer page", what, error);
            MemorySegment producer = mapped(Sys.mmap(map.fd(), page, page + 2 * size, !javaConsumes, arena, error),
                    "producer page and data", what, error);
            return new RingMemory(arena, consumer, producer.asSlice(0, page), producer.asSlice(page, 2 * size), size - 1);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Maps the ring of {@code map}, which the caller takes over, once it is a {@code type} map: the
     * start every reader and writer shares. The map is closed when it is of another type or the
     * mapping fails, so the caller owns nothing then.
     *
     * @throws IllegalArgumentException if {@code map} is not a {@code type} map
     * @throws IllegalStateException naming the errno where the kernel refuses a mapping
     */
    static RingMemory takeOver(BpfMap map, String what, MapType type, boolean javaConsumes) {
        MapInfo info = map.info();
        if (info.kernelType() != type.kernelValue()) {
            map.close();
            throw new IllegalArgumentException(what + " is a " + info.typeName() + " map, not a " + type.name());
        }
        try {
            return map(map, what, javaConsumes);
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
    }

    private static MemorySegment mapped(MemorySegment segment, String part, String what, int[] error) {
        if (segment.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("mmap of the " + part + " of " + what + " failed: " + Errno.of(-error[0]));
        }
        return segment;
    }
}
