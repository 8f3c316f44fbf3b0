package dev.bpfglobals.runtime;

import static dev.bpfglobals.runtime.MapQueueTest.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * BLOOM_FILTER maps through push and mightContain, on real kernel maps. The filters are made with
 * BPF_F_ZERO_SEED, so the kernel hashes the same way every run and the absent values stay absent.
 */
@RequiresBpf
class BloomFilterTest {

    /** BPF_F_ZERO_SEED: hash with seed 0 rather than a random one. */
    private static final int ZERO_SEED = 1 << 6;

    @Test
    void pushedValuesMightBeContained() {
        try (BpfMap map = create()) {
            LongStream.rangeClosed(1, 10).forEach(n -> map.bloomFilter().push(value(n)));

            assertThat(LongStream.rangeClosed(1, 10).filter(n -> !map.bloomFilter().mightContain(value(n)))).isEmpty();
        }
    }

    @Test
    void valuesNeverPushedAreCertainlyAbsent() {
        try (BpfMap map = create()) {
            map.bloomFilter().push(value(1));

            assertThat(map.bloomFilter().mightContain(value(2))).isFalse();
            assertThat(map.bloomFilter().mightContain(value(1_000_000))).isFalse();
        }
    }

    @Test
    void segmentFormsTestTheCallersBuffer() {
        try (BpfMap map = create(); Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocateFrom(ValueLayout.JAVA_LONG, 5);
            map.bloomFilter().push(buffer);

            assertThat(map.bloomFilter().mightContain(buffer)).isTrue();
            buffer.set(ValueLayout.JAVA_LONG, 0, 6);
            assertThat(map.bloomFilter().mightContain(buffer)).isFalse();
        }
    }

    @Test
    void aMapOfAnotherTypeHasNoBloomFilterView() {
        try (BpfMap map = BpfMap.create(MapType.QUEUE, 0, 8, 4, 0, 0, "test_queue")) {
            assertThatThrownBy(map::bloomFilter)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("map 'test_queue' (QUEUE) has no push and mightContain; only [BLOOM_FILTER] maps do");
        }
    }

    private static BpfMap create() {
        // 1000 entries and 3 hashes (map_extra) for 10 values: a false positive is vanishingly rare, and seed 0 makes it fixed.
        return BpfMap.create(MapType.BLOOM_FILTER, 0, 8, 1000, ZERO_SEED, 3, "test_bloom");
    }
}
