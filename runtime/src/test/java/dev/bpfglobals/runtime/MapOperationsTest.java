package dev.bpfglobals.runtime;

import static dev.bpfglobals.runtime.KeyedMapKind.slot;
import static dev.bpfglobals.runtime.KeyedMapKind.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Element operations on real kernel maps of every keyed type: write and read back, key walks,
 * delete, and the update flags' refusals named by errno.
 */
@RequiresBpf
class MapOperationsTest {

    @ParameterizedTest
    @EnumSource(KeyedMapKind.class)
    void writtenValuesAreReadBack(KeyedMapKind kind) {
        try (BpfMap map = kind.create(16)) {
            for (int i = 1; i <= 3; i++) {
                map.update(kind.key(i), value(map, i * 100), UpdateFlag.ANY);
            }

            for (int i = 1; i <= 3; i++) {
                assertThat(map.elements().lookup(kind.key(i)).orElseThrow()).isEqualTo(value(map, i * 100));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyedMapKind.class, names = {"ARRAY", "PERCPU_ARRAY"}, mode = EnumSource.Mode.EXCLUDE)
    void aMissingKeyIsLookedUpAsEmpty(KeyedMapKind kind) {
        try (BpfMap map = kind.create(16)) {
            map.update(kind.key(1), value(map, 1), UpdateFlag.ANY);

            assertThat(map.elements().lookup(kind.key(2))).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(KeyedMapKind.class)
    void keysWalkExactlyTheKeysOfTheMap(KeyedMapKind kind) {
        try (BpfMap map = kind.create(16)) {
            List<Integer> written = kind.isArray() ? List.of(0, 1, 2, 3) : List.of(3, 7, 11, 200);
            for (int i : written) {
                map.update(kind.key(i), value(map, i), UpdateFlag.ANY);
            }

            assertThat(walk(map)).containsExactlyInAnyOrderElementsOf(written.stream().map(i -> hex(kind.key(i))).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(KeyedMapKind.class)
    void entriesPairEachKeyWithItsValue(KeyedMapKind kind) {
        try (BpfMap map = kind.create(16)) {
            for (int i = 0; i < 3; i++) {
                map.update(kind.key(i), value(map, 1000 + i), UpdateFlag.ANY);
            }

            Map<String, Long> read = new HashMap<>();
            for (MapEntry entry : map.entries()) {
                read.put(hex(entry.key()), slot(entry.value(), 0));
            }

            for (int i = 0; i < 3; i++) {
                assertThat(read).containsEntry(hex(kind.key(i)), 1000L + i);
            }
            assertThat(read).hasSize(kind.isArray() ? KeyedMapKind.ARRAY_ENTRIES : 3);
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyedMapKind.class, names = {"ARRAY", "PERCPU_ARRAY"}, mode = EnumSource.Mode.EXCLUDE)
    void deleteRemovesAPresentKeyAndAnswersFalseForAMissingOne(KeyedMapKind kind) {
        try (BpfMap map = kind.create(16)) {
            map.update(kind.key(1), value(map, 1), UpdateFlag.ANY);
            map.update(kind.key(2), value(map, 2), UpdateFlag.ANY);

            assertThat(map.delete(kind.key(1))).isTrue();
            assertThat(map.delete(kind.key(1))).as("already gone").isFalse();
            assertThat(walk(map)).containsExactly(hex(kind.key(2)));
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyedMapKind.class, names = {"ARRAY", "PERCPU_ARRAY"})
    void arraysRefuseDeletesWithEinvalSayingToOverwrite(KeyedMapKind kind) {
        try (BpfMap map = kind.create(16)) {
            assertThatThrownBy(() -> map.delete(kind.key(1)))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                    .hasMessageContaining("BPF_MAP_DELETE_ELEM failed with EINVAL")
                    .hasMessageContaining("array elements cannot be deleted");
        }
    }

    @ParameterizedTest
    @EnumSource(KeyedMapKind.class)
    void noexistOnAPresentKeyIsRefusedWithEexist(KeyedMapKind kind) {
        try (BpfMap map = kind.create(16)) {
            map.update(kind.key(1), value(map, 1), UpdateFlag.ANY);

            assertThatThrownBy(() -> map.update(kind.key(1), value(map, 2), UpdateFlag.NOEXIST))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST))
                    .hasMessageContaining("EEXIST")
                    .hasMessageContaining("BPF_NOEXIST");
            assertThat(slot(map.elements().lookup(kind.key(1)).orElseThrow(), 0)).as("unchanged").isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyedMapKind.class, names = {"ARRAY", "PERCPU_ARRAY"}, mode = EnumSource.Mode.EXCLUDE)
    void existOnAMissingKeyIsRefusedWithEnoent(KeyedMapKind kind) {
        try (BpfMap map = kind.create(16)) {
            assertThatThrownBy(() -> map.update(kind.key(1), value(map, 1), UpdateFlag.EXIST))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
                    .hasMessageContaining("ENOENT")
                    .hasMessageContaining("BPF_EXIST");
            map.update(kind.key(1), value(map, 1), UpdateFlag.NOEXIST);
            map.update(kind.key(1), value(map, 2), UpdateFlag.EXIST);
            assertThat(slot(map.elements().lookup(kind.key(1)).orElseThrow(), 0)).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyedMapKind.class, names = {"HASH", "LRU_HASH", "PERCPU_HASH", "LRU_PERCPU_HASH"})
    void lookupAndDeleteTakesTheValueOut(KeyedMapKind kind) {
        try (BpfMap map = kind.create(16)) {
            map.update(kind.key(5), value(map, 50), UpdateFlag.ANY);

            assertThat(map.elements().lookupAndDelete(kind.key(5))).hasValueSatisfying(v -> assertThat(v).isEqualTo(value(map, 50)));
            assertThat(map.elements().lookupAndDelete(kind.key(5))).isEmpty();
            assertThat(walk(map)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyedMapKind.class, names = {"PERCPU_HASH", "LRU_PERCPU_HASH", "PERCPU_ARRAY"})
    void perCpuValuesHoldOneEightByteSlotPerPossibleCpu(KeyedMapKind kind) {
        try (BpfMap map = kind.create(16)) {
            int cpus = PossibleCpus.system().count();
            map.update(kind.key(1), value(map, 70), UpdateFlag.ANY);

            byte[] read = map.elements().lookup(kind.key(1)).orElseThrow();

            assertThat(read).hasSize(8 * cpus);
            assertThat(IntStream.range(0, cpus).mapToLong(s -> slot(read, s)).boxed().toList())
                    .isEqualTo(IntStream.range(0, cpus).mapToObj(s -> 70L + s).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyedMapKind.class, names = {"ARRAY", "PERCPU_ARRAY"}, mode = EnumSource.Mode.EXCLUDE)
    void segmentFormsWorkOnTheCallersBuffers(KeyedMapKind kind) {
        try (BpfMap map = kind.create(16); Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocateFrom(ValueLayout.JAVA_BYTE, kind.key(9));
            MemorySegment value = arena.allocateFrom(ValueLayout.JAVA_BYTE, value(map, 90));
            MemorySegment read = arena.allocate(map.valueBytes(), 8);
            MemorySegment next = arena.allocate(key.byteSize(), 8);

            map.elements().update(key, value, UpdateFlag.NOEXIST);

            assertThat(map.elements().lookup(key, read)).isTrue();
            assertThat(read.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(90);
            assertThat(map.elements().nextKey(MemorySegment.NULL, next)).isTrue();
            assertThat(next.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(kind.key(9));
            assertThat(map.elements().nextKey(next, next)).as("the only key is the last").isFalse();
            assertThat(map.elements().delete(key)).isTrue();
            assertThat(map.elements().lookup(key, read)).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyedMapKind.class, names = "HASH")
    void aFullHashRefusesANewKeyWithE2big(KeyedMapKind kind) {
        try (BpfMap map = BpfMap.create(kind.type, 4, 8, 2, 0, 0, "test_full")) {
            map.update(kind.key(1), value(map, 1), UpdateFlag.ANY);
            map.update(kind.key(2), value(map, 2), UpdateFlag.ANY);

            assertThatThrownBy(() -> map.update(kind.key(3), value(map, 3), UpdateFlag.ANY))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.E2BIG))
                    .hasMessageContaining("the map is full (max_entries 2)");
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyedMapKind.class, names = "LPM_TRIE")
    void anLpmTrieLookupFindsTheLongestMatchingPrefix(KeyedMapKind kind) {
        try (BpfMap map = kind.create(16)) {
            map.update(littleEndianPrefix(kind, 8), value(map, 8), UpdateFlag.ANY);
            map.update(littleEndianPrefix(kind, 24), value(map, 24), UpdateFlag.ANY);

            assertThat(slot(map.elements().lookup(kind.key(7)).orElseThrow(), 0)).as("10.0.0.7 in 10.0.0.0/24").isEqualTo(24);
            assertThat(map.elements().lookup(ByteBuffer.wrap(kind.key(0)).put(4, (byte) 11).array())).as("11.0.0.0").isEmpty();
            assertThat(slot(map.elements().lookup(ByteBuffer.wrap(kind.key(7)).put(6, (byte) 1).array()).orElseThrow(), 0))
                    .as("10.0.1.7 in 10.0.0.0/8 only").isEqualTo(8);
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyedMapKind.class, names = "HASH")
    void keySizesOtherThanTheMapsAreRefusedNamingBoth(KeyedMapKind kind) {
        try (BpfMap map = kind.create(16)) {
            assertThatThrownBy(() -> map.update(new byte[3], value(map, 1), UpdateFlag.ANY))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("map 'test_hash' (HASH) has 4-byte keys; got 3 bytes");
            assertThatThrownBy(() -> map.update(kind.key(1), new byte[4], UpdateFlag.ANY))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("map 'test_hash' (HASH) takes 8-byte values; got 4 bytes");
        }
    }

    private static byte[] littleEndianPrefix(KeyedMapKind kind, int prefixLength) {
        byte[] key = kind.key(0);
        ByteBuffer.wrap(key).order(ByteOrder.nativeOrder()).putInt(0, prefixLength);
        return key;
    }

    static List<String> walk(BpfMap map) {
        List<String> keys = new ArrayList<>();
        map.keys().forEach(key -> keys.add(hex(key)));
        return keys;
    }

    static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
