package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** QUEUE and STACK maps through push, pop and peek, on real kernel maps. */
@RequiresBpf
class MapQueueTest {

    @Test
    void aQueuePopsTheOldestValueFirst() {
        try (BpfMap map = create(MapType.QUEUE, 4)) {
            map.queue().push(value(1));
            map.queue().push(value(2));
            map.queue().push(value(3));

            assertThat(popAll(map)).isEqualTo("1 2 3");
        }
    }

    @Test
    void aStackPopsTheNewestValueFirst() {
        try (BpfMap map = create(MapType.STACK, 4)) {
            map.queue().push(value(1));
            map.queue().push(value(2));
            map.queue().push(value(3));

            assertThat(popAll(map)).isEqualTo("3 2 1");
        }
    }

    @Test
    void peekShowsWhatPopWouldTakeAndLeavesIt() {
        try (BpfMap map = create(MapType.QUEUE, 4)) {
            map.queue().push(value(7));
            map.queue().push(value(8));

            assertThat(map.queue().peek().map(MapQueueTest::number)).contains(7L);
            assertThat(map.queue().peek().map(MapQueueTest::number)).contains(7L);
            assertThat(popAll(map)).isEqualTo("7 8");
        }
    }

    @Test
    void anEmptyQueueAnswersEmptyToPopAndPeek() {
        try (BpfMap map = create(MapType.QUEUE, 4)) {
            assertThat(map.queue().pop()).isEmpty();
            assertThat(map.queue().peek()).isEmpty();
        }
    }

    @Test
    void aFullQueueRefusesAPushWithE2big() {
        try (BpfMap map = create(MapType.QUEUE, 2)) {
            map.queue().push(value(1));
            map.queue().push(value(2));

            assertThatThrownBy(() -> map.queue().push(value(3)))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.E2BIG))
                    .hasMessageContaining("the map is full (max_entries 2)");
        }
    }

    @Test
    void pushOverwritingDropsTheOldestValueOfAFullQueue() {
        try (BpfMap map = create(MapType.QUEUE, 2)) {
            map.queue().push(value(1));
            map.queue().push(value(2));

            map.queue().pushOverwriting(value(3));

            assertThat(popAll(map)).isEqualTo("2 3");
        }
    }

    @Test
    void segmentFormsPushAndPopThroughTheCallersBuffer() {
        try (BpfMap map = create(MapType.STACK, 4); Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(ValueLayout.JAVA_LONG);
            buffer.set(ValueLayout.JAVA_LONG, 0, 41);
            map.queue().push(buffer, UpdateFlag.ANY);
            buffer.set(ValueLayout.JAVA_LONG, 0, 0);

            assertThat(map.queue().peek(buffer)).isTrue();
            assertThat(map.queue().pop(buffer)).isTrue();
            assertThat(buffer.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(41);
            assertThat(map.queue().pop(buffer)).as("empty").isFalse();
        }
    }

    @Test
    void aMapOfAnotherTypeHasNoQueueView() {
        try (BpfMap map = BpfMap.create(MapType.HASH, 4, 8, 4, 0, 0, "test_hash")) {
            assertThatThrownBy(map::queue)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("map 'test_hash' (HASH) has no push, pop and peek; only [QUEUE, STACK] maps do");
        }
    }

    @Test
    void aQueueHasNoKeysToWalk() {
        try (BpfMap map = create(MapType.QUEUE, 4)) {
            assertThatThrownBy(map::keys)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("map 'test_queue' (QUEUE) has no keys to walk; use BpfMap.queue() or BpfMap.bloomFilter()");
        }
    }

    private static BpfMap create(MapType type, int entries) {
        return BpfMap.create(type, 0, 8, entries, 0, 0, "test_" + type.name().toLowerCase());
    }

    static byte[] value(long n) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(n).array();
    }

    static long number(byte[] value) {
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong();
    }

    private static String popAll(BpfMap map) {
        StringBuilder popped = new StringBuilder();
        for (Optional<byte[]> next = map.queue().pop(); next.isPresent(); next = map.queue().pop()) {
            popped.append(popped.isEmpty() ? "" : " ").append(number(next.get()));
        }
        return popped.toString();
    }
}
