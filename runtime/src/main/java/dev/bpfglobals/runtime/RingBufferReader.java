package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.internal.RingSyscalls;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads the records BPF programs write into a {@code BPF_MAP_TYPE_RINGBUF} map
 * ({@code bpf_ringbuf_output}, {@code bpf_ringbuf_reserve} + {@code bpf_ringbuf_submit}), in the
 * order they were committed, as libbpf's {@code ring_buffer__poll} reads them: straight from the
 * kernel's memory (the consumer page mapped read-write, the producer page and data read-only, the
 * data twice in a row so a record that wraps around the end reads as one piece), sleeping in
 * {@code epoll} until the kernel signals data. Discarded records ({@code bpf_ringbuf_discard}) are
 * skipped; a record still being written stops the read until it is committed.
 *
 * <p>One thread reads at a time: the methods are synchronized, and {@link #close()} waits for a
 * {@link #poll} in progress to return.
 */
public final class RingBufferReader implements AutoCloseable {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final BpfMap map;
    private final BpfFd epoll;
    private final RingMemory ring;

    private RingBufferReader(BpfMap map, String what) {
        this.map = map;
        this.ring = RingMemory.takeOver(map, what, MapType.RINGBUF, true);
        try {
            epoll = RingSyscalls.epollFor(map.fd());
        } catch (RuntimeException e) {
            ring.arena().close();
            map.close();
            throw e;
        }
    }

    /**
     * A reader of {@code map}, which it takes over: closing the reader closes the map.
     *
     * @param map an open RINGBUF map, from now on the reader's
     * @return the reader, to close
     * @throws IllegalArgumentException if {@code map} is not a RINGBUF (the map is closed then)
     */
    public static RingBufferReader of(BpfMap map) {
        return new RingBufferReader(Objects.requireNonNull(map, "map"), map.toString());
    }

    /**
     * A reader of the ring buffer map behind {@code fd}, which is duplicated (the caller keeps its own).
     *
     * @param fd an open RINGBUF map descriptor, which stays the caller's
     * @return the reader, to close
     */
    public static RingBufferReader openFd(int fd) {
        return new RingBufferReader(BpfMap.openFd(fd, MapAccess.READ_WRITE), "map fd " + fd);
    }

    /**
     * A reader of the ring buffer map pinned at {@code path}.
     *
     * @param path the pinned map's path on a bpffs mount
     * @return the reader, to close
     * @throws IllegalArgumentException if what is pinned there is not a ring buffer map
     */
    public static RingBufferReader openPinned(Path path) {
        return new RingBufferReader(BpfMap.openPinned(path, MapAccess.READ_WRITE), "the map pinned at " + path);
    }

    /** {@return the data area's size in bytes: the map's {@code max_entries}} */
    public long capacity() {
        return ring.mask() + 1;
    }

    /**
     * Hands every committed record to {@code handler}, oldest first, without waiting. Each record is
     * a read-only view of the kernel's memory, valid only during the call: copy what you keep. If the
     * handler throws, the records before it and that record count as read, and the exception propagates.
     *
     * @param handler receives each record's bytes
     * @return the number of records handed over (discarded ones not counted)
     */
    public synchronized int consume(Consumer<MemorySegment> handler) {
        Objects.requireNonNull(handler, "handler");
        if (!ring.arena().scope().isAlive()) {
            throw new IllegalStateException("the ring buffer reader of " + map + " is closed");
        }
        int count = 0;
        long consumer = (long) LONG.getAcquire(ring.consumerPage(), 0L);
        boolean more;
        do {
            more = false;
            long producer = (long) LONG.getAcquire(ring.producerPage(), 0L);
            while (consumer < producer) {
                long at = consumer & ring.mask();
                int header = (int) INT.getAcquire(ring.data(), at);
                if ((header & RingMemory.BUSY_BIT) != 0) {
                    return count; // reserved, not yet committed: what follows waits for it
                }
                more = true;
                int length = header & ~(RingMemory.BUSY_BIT | RingMemory.DISCARD_BIT);
                consumer += (length + RingMemory.HEADER_SIZE + 7) & ~7L;
                if ((header & RingMemory.DISCARD_BIT) == 0) {
                    try {
                        handler.accept(ring.data().asSlice(at + RingMemory.HEADER_SIZE, length).asReadOnly());
                    } finally {
                        LONG.setRelease(ring.consumerPage(), 0L, consumer);
                    }
                    count++;
                } else {
                    LONG.setRelease(ring.consumerPage(), 0L, consumer);
                }
            }
        } while (more);
        return count;
    }

    /**
     * Waits up to {@code timeout} for the kernel to signal new records, then reads every committed
     * record as {@link #consume} does. Records already waiting are read at once.
     *
     * @param timeout how long to wait at most; zero or negative does not wait
     * @param handler receives each record's bytes
     * @return the number of records handed over; 0 when the timeout passed with none
     * @throws IllegalStateException if waiting fails (a signal interrupting it returns 0 instead)
     */
    public synchronized int poll(Duration timeout, Consumer<MemorySegment> handler) {
        Objects.requireNonNull(handler, "handler");
        int read = consume(handler);
        if (read > 0) {
            return read;
        }
        long millis = Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis()));
        int ready = RingSyscalls.epollWait(epoll, (int) millis);
        if (ready < 0 && Errno.of(-ready) != Errno.EINTR) {
            throw new IllegalStateException("epoll_wait on the ring buffer failed: " + Errno.of(-ready));
        }
        return consume(handler);
    }

    /** Unmaps the ring buffer and closes the reader's descriptors; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (ring.arena().scope().isAlive()) {
            ring.arena().close();
            epoll.close();
            map.close();
        }
    }
}
