package dev.bpfglobals.runtime;

import static dev.bpfglobals.runtime.KeyedMapKind.keyNumber;
import static dev.bpfglobals.runtime.KeyedMapKind.slot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Key walks while the map changes under them, and of what a BPF program wrote. */
@RequiresBpf
class MapIterationTest {

    private static final KeyedMapKind HASH = KeyedMapKind.HASH;

    @Test
    void aWalkWhoseCurrentKeyIsDeletedGoesOnWithoutRepeatingAKey() {
        try (BpfMap map = filled(8)) {
            List<Integer> seen = new ArrayList<>();
            Iterator<byte[]> walk = map.keys().iterator();

            // Deleting the key the walk stands on makes the kernel answer with the first key again.
            while (walk.hasNext()) {
                byte[] key = walk.next();
                seen.add(keyNumber(key));
                if (seen.size() == 4) {
                    map.delete(key);
                }
            }

            assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        }
    }

    @Test
    void aWalkWhileAnotherThreadDeletesSeesEveryKeptKeyOnceAndNoKeyTwice() throws Exception {
        for (int round = 0; round < 20; round++) {
            try (BpfMap map = filled(1000)) {
                List<Integer> doomed = IntStream.rangeClosed(1, 1000).filter(i -> i % 2 == 0).boxed()
                        .collect(Collectors.toCollection(ArrayList::new));
                Collections.shuffle(doomed, new Random(round));
                CountDownLatch started = new CountDownLatch(1);
                CompletableFuture<Void> deleter = CompletableFuture.runAsync(() -> {
                    started.countDown();
                    doomed.forEach(i -> map.delete(HASH.key(i)));
                });
                started.await();

                List<Integer> seen = new ArrayList<>();
                map.keys().forEach(key -> seen.add(keyNumber(key)));
                deleter.join();

                assertThat(seen).as("round %d", round).doesNotHaveDuplicates()
                        .containsAll(IntStream.rangeClosed(1, 1000).filter(i -> i % 2 == 1).boxed().toList());
                assertThat(seen).as("round %d", round).allMatch(i -> i >= 1 && i <= 1000);
            }
        }
    }

    @Test
    void entriesSkipAKeyDeletedBeforeItsValueIsRead() {
        try (BpfMap map = filled(3)) {
            Set<Integer> read = new HashSet<>();
            for (MapEntry entry : map.entries()) {
                read.add(keyNumber(entry.key()));
                for (int i = 1; i <= 3; i++) {
                    if (!read.contains(i)) {
                        map.delete(HASH.key(i)); // every key not yet read goes away
                    }
                }
            }

            assertThat(read).hasSize(1);
        }
    }

    @Test
    void aMapRefilledFasterThanItIsWalkedEndsTheWalkWithConcurrentModification() {
        try (BpfMap map = HASH.create(4)) {
            for (int i = 1; i <= 3; i++) {
                map.update(HASH.key(i), KeyedMapKind.value(map, i), UpdateFlag.ANY);
            }
            Iterator<byte[]> walk = map.keys().iterator();
            int[] fresh = {100};

            assertThatThrownBy(() -> {
                for (int step = 0; step < 10_000 && walk.hasNext(); step++) {
                    // Every key the walk reaches is replaced by a new one: the walk could never end.
                    map.delete(walk.next());
                    map.update(HASH.key(fresh[0]++), KeyedMapKind.value(map, 0), UpdateFlag.ANY);
                }
            }).isInstanceOf(ConcurrentModificationException.class)
                    .hasMessageStartingWith("map 'test_hash' (HASH) changed faster than its key walk could go")
                    .hasMessageEndingWith("at most 8 and 5): walk it again, or pause its writers");
        }
    }

    @Test
    void whatAProgramWritesToAHashIsReadBackByAWalk() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("hash_writes")));
             BpfProgram program = loaded.program("write_keys");
             BpfMap written = loaded.map("written")) {
            assertThat(program.testRunOnCpu(new long[] {5}, onlineCpu()).returnValue()).isZero();

            Map<Integer, Long> read = new TreeMap<>();
            for (MapEntry entry : written.entries()) {
                read.put(keyNumber(entry.key()), slot(entry.value(), 0));
            }

            assertThat(read).isEqualTo(Map.of(1, 10L, 2, 20L, 3, 30L, 4, 40L, 5, 50L));
        }
    }

    private static int onlineCpu() throws Exception {
        return PossibleCpus.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")).strip()).ids().getFirst();
    }

    /** A HASH holding keys 1 to {@code n}, each with its own number as value. */
    private static BpfMap filled(int n) {
        BpfMap map = HASH.create(Math.max(n, 16));
        for (int i = 1; i <= n; i++) {
            map.update(HASH.key(i), KeyedMapKind.value(map, i), UpdateFlag.ANY);
        }
        return map;
    }
}
