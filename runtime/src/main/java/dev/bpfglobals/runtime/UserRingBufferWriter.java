package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.internal.Epoll;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Writes records into a {@code BPF_MAP_TYPE_USER_RINGBUF} map for BPF programs to drain
 * ({@code bpf_user_ringbuf_drain}), as libbpf's {@code user_ring_buffer__reserve} and
 * {@code __submit} write them: the consumer page mapped read-only (the kernel moves it), the
 * producer page and data read-write with the data mapped twice so a record that wraps reads whole;
 * each record reserved with the busy bit set, filled, then committed by clearing it.
 *
 * <p>One producer: the methods are synchronized. {@link #offer(int, Consumer)} does not wait for
 * room: it answers {@code false} when the ring is too full, as libbpf's reserve answers
 * {@code ENOSPC}. {@link #offer(int, Duration, Consumer)} waits for it, as libbpf's
 * {@code user_ring_buffer__reserve_blocking} does: in {@code epoll} on the map, which the kernel
 * wakes each time {@code bpf_user_ringbuf_drain} has consumed records.
 */
public final class UserRingBufferWriter implements AutoCloseable {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final BpfMap map;
    private final RingMemory ring;
    /** Made by the first blocking offer: an epoll instance watching the map for room, closed with the writer. */
    private BpfFd roomEvents;

    private UserRingBufferWriter(BpfMap map, String what) {
        this.map = map;
        this.ring = RingMemory.takeOver(map, what, MapType.USER_RINGBUF, false);
    }

    /**
     * A writer into {@code map}, which it takes over: closing the writer closes the map.
     *
     * @param map an open USER_RINGBUF map, from now on the writer's
     * @return the writer, to close
     * @throws IllegalArgumentException if {@code map} is not a USER_RINGBUF (the map is closed then)
     */
    public static UserRingBufferWriter of(BpfMap map) {
        return new UserRingBufferWriter(Objects.requireNonNull(map, "map"), map.toString());
    }

    /**
     * A writer into the user ring buffer map behind {@code fd}, which is duplicated (the caller keeps its own).
     *
     * @param fd an open USER_RINGBUF map descriptor, which stays the caller's
     * @return the writer, to close
     */
    public static UserRingBufferWriter openFd(int fd) {
        return new UserRingBufferWriter(BpfMap.openFd(fd, MapAccess.READ_WRITE), "map fd " + fd);
    }

    /** {@return the data area's size in bytes: the map's {@code max_entries}} */
    public long capacity() {
        return ring.mask() + 1;
    }

    /**
     * Reserves a record of {@code size} bytes, lets {@code fill} write it (a view valid only during
     * the call), and commits it; if {@code fill} throws, the record is committed as discarded, so
     * the program skips it, and the exception propagates.
     *
     * @param size the record's size in bytes
     * @param fill writes the record's bytes into the reserved space
     * @return {@code false} when the ring has no room for it now (the program has not drained enough)
     * @throws IllegalArgumentException when the record can never fit: larger than the ring, or 2^30 bytes or more
     */
    public synchronized boolean offer(int size, Consumer<MemorySegment> fill) {
        Objects.requireNonNull(fill, "fill");
        if (!ring.arena().scope().isAlive()) {
            throw new IllegalStateException("the user ring buffer writer of " + map + " is closed");
        }
        if (size < 0 || (size & (RingMemory.BUSY_BIT | RingMemory.DISCARD_BIT)) != 0) {
            throw new IllegalArgumentException("a user ring buffer record of " + size + " bytes cannot be written: "
                    + "the length word keeps its top two bits for the kernel");
        }
        long total = (size + RingMemory.HEADER_SIZE + 7L) & ~7L;
        if (total > capacity()) {
            throw new IllegalArgumentException("a record of " + size + " bytes (" + total + " with its header) does not fit "
                    + "a user ring buffer of " + capacity() + " bytes");
        }
        long consumer = (long) LONG.getAcquire(ring.consumerPage(), 0L);
        long producer = (long) LONG.getAcquire(ring.producerPage(), 0L);
        if (capacity() - (producer - consumer) < total) {
            return false;
        }
        long header = producer & ring.mask();
        INT.set(ring.data(), header, size | RingMemory.BUSY_BIT);
        INT.set(ring.data(), header + 4, 0);
        LONG.setRelease(ring.producerPage(), 0L, producer + total);
        boolean filled = false;
        try {
            fill.accept(ring.data().asSlice(header + RingMemory.HEADER_SIZE, size));
            filled = true;
        } finally {
            INT.getAndSet(ring.data(), header, filled ? size : size | RingMemory.DISCARD_BIT);
        }
        return true;
    }

    /**
     * As {@link #offer(int, Consumer)}, but where the ring has no room for the record yet, waits up
     * to {@code timeout} for a BPF program to drain enough of it ({@code bpf_user_ringbuf_drain}
     * wakes the writer after each drain that consumed records), then writes it. The wait holds no
     * lock; a writer closed meanwhile ends it when its timeout ends.
     *
     * @param size the record's size in bytes
     * @param timeout how long to wait at most for room; zero or negative tries once
     * @param fill writes the record's bytes into the reserved space
     * @return {@code true} once the record is written, {@code false} when {@code timeout} passed
     *         without room for it: then nothing was written
     * @throws IllegalArgumentException when the record can never fit: larger than the ring, or 2^30 bytes or more
     * @throws InterruptedException when the thread is interrupted while it waits; nothing was written
     */
    public boolean offer(int size, Duration timeout, Consumer<MemorySegment> fill) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long start = System.nanoTime();
        long waitNanos = nanosOf(timeout);
        BpfFd events = roomEvents();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ready = Epoll.events(arena, 1);
            while (!offer(size, fill)) {
                long left = waitNanos - (System.nanoTime() - start);
                if (left <= 0) {
                    return false;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for room in the user ring buffer " + map);
                }
                // Rounded up, so that a wait under a millisecond does not spin through zero-length waits.
                int millis = (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
                int woken = Epoll.await(events, ready, millis);
                if (woken < 0 && woken != -Errno.EINTR.number()) {
                    throw new IllegalStateException("epoll_wait on the user ring buffer " + map + " failed: " + Errno.of(-woken));
                }
            }
            return true;
        }
    }

    /**
     * {@link #offer(int, Duration, Consumer)} of a copy of {@code bytes}.
     *
     * @param bytes the record
     * @param timeout how long to wait at most for room
     * @return {@code false} when {@code timeout} passed without room for it; nothing was written then
     * @throws InterruptedException when the thread is interrupted while it waits; nothing was written
     */
    public boolean offer(byte[] bytes, Duration timeout) throws InterruptedException {
        return offer(bytes.length, timeout, record -> MemorySegment.copy(bytes, 0, record, ValueLayout.JAVA_BYTE, 0, bytes.length));
    }

    /** {@code timeout} in nanoseconds: 0 when negative, and a thousand days at most, so that sums cannot overflow. */
    private static long nanosOf(Duration timeout) {
        Duration longest = Duration.ofDays(1000);
        return timeout.isNegative() ? 0 : (timeout.compareTo(longest) > 0 ? longest : timeout).toNanos();
    }

    private synchronized BpfFd roomEvents() {
        if (!ring.arena().scope().isAlive()) {
            throw new IllegalStateException("the user ring buffer writer of " + map + " is closed");
        }
        if (roomEvents == null) {
            BpfFd epoll = Epoll.create("epoll for room in " + map);
            try {
                Epoll.addWritableEdges(epoll, map.fd(), 0);
            } catch (RuntimeException e) {
                epoll.close();
                throw e;
            }
            roomEvents = epoll;
        }
        return roomEvents;
    }

    /**
     * {@link #offer} of a copy of {@code bytes}.
     *
     * @param bytes the record
     * @return {@code false} when the ring has no room for it now
     */
    public boolean offer(byte[] bytes) {
        return offer(bytes.length, record -> MemorySegment.copy(bytes, 0, record, ValueLayout.JAVA_BYTE, 0, bytes.length));
    }

    /** Unmaps the ring buffer and closes the writer's descriptor; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (ring.arena().scope().isAlive()) {
            ring.arena().close();
            map.close();
            if (roomEvents != null) {
                roomEvents.close();
            }
        }
    }
}
