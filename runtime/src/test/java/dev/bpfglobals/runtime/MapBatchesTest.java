package dev.bpfglobals.runtime;

import static dev.bpfglobals.runtime.KeyedMapKind.keyNumber;
import static dev.bpfglobals.runtime.KeyedMapKind.slot;
import static dev.bpfglobals.runtime.KeyedMapKind.value;
import static dev.bpfglobals.runtime.MapOperationsTest.walk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The batch commands and their per-element fallback, on real kernel maps. Every kernel of the
 * matrix (6.1 and later) has the batch commands of HASH and ARRAY maps (5.6+) and LPM tries, so
 * their batch path is asserted, not detected; the per-element path is called directly to hold it to the same results.
 */
@RequiresBpf
class MapBatchesTest {

    private static final KeyedMapKind HASH = KeyedMapKind.HASH;

    @Test
    void aHashIsReadWholeByTheBatchCommands() {
        try (BpfMap map = filled(HASH, 600)) {
            MapBatches.Read read = map.batches().lookupAll();

            assertThat(read.path()).isEqualTo(MapBatches.Path.BATCH_COMMANDS);
            assertThat(numbers(read.entries())).isEqualTo(expected(600));
        }
    }

    @Test
    void thePerElementPathReadsTheSameAsTheBatchPath() {
        try (BpfMap map = filled(HASH, 300)) {
            assertThat(numbers(map.batches().lookupPerElement(false))).isEqualTo(numbers(map.batches().lookupAll().entries()));
        }
    }

    @Test
    void anEmptyHashIsReadAsNoEntries() {
        try (BpfMap map = HASH.create(16)) {
            assertThat(map.batches().lookupAll()).isEqualTo(new MapBatches.Read(List.of(), MapBatches.Path.BATCH_COMMANDS));
        }
    }

    @Test
    void lookupAndDeleteAllEmptiesAHashByTheBatchCommands() {
        try (BpfMap map = filled(HASH, 100)) {
            MapBatches.Read read = map.batches().lookupAndDeleteAll();

            assertThat(read.path()).isEqualTo(MapBatches.Path.BATCH_COMMANDS);
            assertThat(numbers(read.entries())).isEqualTo(expected(100));
            assertThat(walk(map)).isEmpty();
        }
    }

    @Test
    void thePerElementLookupAndDeleteEmptiesAHashToo() {
        try (BpfMap map = filled(HASH, 100)) {
            assertThat(numbers(map.batches().lookupPerElement(true))).isEqualTo(expected(100));
            assertThat(walk(map)).isEmpty();
        }
    }

    @Test
    void updateAllWritesEveryEntryByTheBatchCommands() {
        try (BpfMap map = HASH.create(64)) {
            MapBatches.Written written = map.batches().updateAll(entries(map, 1, 50), UpdateFlag.ANY);

            assertThat(written).isEqualTo(new MapBatches.Written(50, MapBatches.Path.BATCH_COMMANDS));
            assertThat(numbers(map.batches().lookupAll().entries())).isEqualTo(expected(50));
        }
    }

    @Test
    void thePerElementUpdateWritesTheSame() {
        try (BpfMap map = HASH.create(64)) {
            assertThat(map.batches().writePerElement(BpfCommand.BPF_MAP_UPDATE_BATCH, entries(map, 1, 50), UpdateFlag.ANY))
                    .isEqualTo(50);
            assertThat(numbers(map.batches().lookupAll().entries())).isEqualTo(expected(50));
        }
    }

    @Test
    void updateAllUnderNoexistStopsAtThePresentKeySayingHowManyWereWritten() {
        try (BpfMap map = HASH.create(64)) {
            map.update(HASH.key(3), value(map, 3), UpdateFlag.ANY);

            // The kernel's UPDATE_BATCH takes no BPF_NOEXIST (EINVAL before any element), so this goes per element.
            assertThatThrownBy(() -> map.batches().updateAll(entries(map, 1, 5), UpdateFlag.NOEXIST))
                    .isInstanceOfSatisfying(BpfException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.EEXIST);
                        assertThat(e.command()).isEqualTo(BpfCommand.BPF_MAP_UPDATE_ELEM);
                    })
                    .hasMessageContaining("element 2 of 5 was refused, after 2 were done");
            assertThat(walk(map)).hasSize(3);
        }
    }

    @Test
    void updateAllUnderNoexistWritesNewKeys() {
        try (BpfMap map = HASH.create(64)) {
            assertThat(map.batches().updateAll(entries(map, 1, 5), UpdateFlag.NOEXIST).count()).isEqualTo(5);

            assertThat(numbers(map.batches().lookupAll().entries())).isEqualTo(expected(5));
        }
    }

    @Test
    void deleteAllRemovesTheKeysByTheBatchCommands() {
        try (BpfMap map = filled(HASH, 10)) {
            MapBatches.Written deleted = map.batches().deleteAll(IntStream.rangeClosed(1, 5).mapToObj(HASH::key).toList());

            assertThat(deleted).isEqualTo(new MapBatches.Written(5, MapBatches.Path.BATCH_COMMANDS));
            assertThat(numbers(map.batches().lookupAll().entries()).keySet()).containsExactly(6, 7, 8, 9, 10);
        }
    }

    @Test
    void deletingAMissingKeyStopsEitherPathWithEnoent() {
        try (BpfMap map = filled(HASH, 4)) {
            List<byte[]> keys = List.of(HASH.key(1), HASH.key(99), HASH.key(2));

            assertThatThrownBy(() -> map.batches().deleteAll(keys))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
                    .hasMessageContaining("element 1 of 3 was refused, after 1 were done");
            assertThatThrownBy(() -> map.batches().writePerElement(BpfCommand.BPF_MAP_DELETE_BATCH,
                    keys.stream().map(k -> new MapEntry(k, null)).toList(), UpdateFlag.ANY))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
                    .hasMessageContaining("element 0 of 3 was refused, after 0 were done");
        }
    }

    @Test
    void perCpuHashValuesComeOneSlotPerPossibleCpuInBatchesToo() {
        try (BpfMap map = filled(KeyedMapKind.PERCPU_HASH, 20)) {
            MapBatches.Read read = map.batches().lookupAll();

            assertThat(read.path()).isEqualTo(MapBatches.Path.BATCH_COMMANDS);
            int lastSlot = PossibleCpus.system().count() - 1;
            assertThat(read.entries()).hasSize(20)
                    .allSatisfy(e -> assertThat(slot(e.value(), lastSlot)).isEqualTo(keyNumber(e.key()) + lastSlot));
        }
    }

    @Test
    void anArrayIsReadWholeByTheBatchCommands() {
        try (BpfMap map = filled(KeyedMapKind.ARRAY, KeyedMapKind.ARRAY_ENTRIES)) {
            MapBatches.Read read = map.batches().lookupAll();

            assertThat(read.path()).isEqualTo(MapBatches.Path.BATCH_COMMANDS);
            assertThat(numbers(read.entries())).isEqualTo(Map.of(0, 0L, 1, 1L, 2, 2L, 3, 3L));
        }
    }

    @Test
    void anLpmTrieIsReadAndEmptiedByTheBatchCommands() {
        KeyedMapKind trie = KeyedMapKind.LPM_TRIE;
        try (BpfMap map = filled(trie, 5)) {
            MapBatches.Read read = map.batches().lookupAll();
            MapBatches.Written deleted = map.batches().deleteAll(read.entries().stream().map(MapEntry::key).toList());

            assertThat(read.path()).isEqualTo(MapBatches.Path.BATCH_COMMANDS);
            assertThat(read.entries()).extracting(e -> slot(e.value(), 0)).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
            assertThat(deleted).isEqualTo(new MapBatches.Written(5, MapBatches.Path.BATCH_COMMANDS));
            assertThat(walk(map)).isEmpty();
        }
    }

    @Test
    void anArrayHasNoDeleteBatchSoTheFallbackIsTakenAndRefusedPerElement() {
        try (BpfMap map = filled(KeyedMapKind.ARRAY, KeyedMapKind.ARRAY_ENTRIES)) {
            // ENOTSUPP for DELETE_BATCH sends the call per element, where the kernel names the real refusal.
            assertThatThrownBy(() -> map.batches().deleteAll(List.of(KeyedMapKind.ARRAY.key(0))))
                    .isInstanceOfSatisfying(BpfException.class, e -> {
                        assertThat(e.command()).isEqualTo(BpfCommand.BPF_MAP_DELETE_ELEM);
                        assertThat(e.errno()).isEqualTo(Errno.EINVAL);
                    })
                    .hasMessageContaining("array elements cannot be deleted");
        }
    }

    @Test
    void anLpmTrieCannotBeReadAndDeletedInOneCallEitherWay() {
        try (BpfMap map = filled(KeyedMapKind.LPM_TRIE, 2)) {
            // ENOTSUPP for LOOKUP_AND_DELETE_BATCH sends it per element, where the element command is refused too.
            assertThatThrownBy(() -> map.batches().lookupAndDeleteAll())
                    .isInstanceOfSatisfying(BpfException.class, e -> {
                        assertThat(e.command()).isEqualTo(BpfCommand.BPF_MAP_LOOKUP_AND_DELETE_ELEM);
                        assertThat(e.errno()).isEqualTo(Errno.ENOTSUPP);
                    })
                    .hasMessageContaining("look up, then delete");
            assertThat(walk(map)).hasSize(2);
        }
    }

    /** A map of {@code kind} holding keys 1 to {@code n} (an array: 0 to n - 1), each with its own number as value. */
    private static BpfMap filled(KeyedMapKind kind, int n) {
        BpfMap map = kind.create(Math.max(n, 16));
        int first = kind.isArray() ? 0 : 1;
        for (int i = first; i < first + n; i++) {
            map.update(kind.key(i), value(map, i), UpdateFlag.ANY);
        }
        return map;
    }

    private static List<MapEntry> entries(BpfMap map, int first, int last) {
        return IntStream.rangeClosed(first, last).mapToObj(i -> new MapEntry(HASH.key(i), value(map, i))).toList();
    }

    private static Map<Integer, Long> numbers(List<MapEntry> entries) {
        Map<Integer, Long> numbers = new TreeMap<>();
        entries.forEach(e -> assertThat(numbers.put(keyNumber(e.key()), slot(e.value(), 0))).as("a key twice").isNull());
        return numbers;
    }

    private static Map<Integer, Long> expected(int n) {
        Map<Integer, Long> expected = new TreeMap<>();
        IntStream.rangeClosed(1, n).forEach(i -> expected.put(i, (long) i));
        return expected;
    }
}
