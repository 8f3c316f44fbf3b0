package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Maps of maps declared with {@code __array(values, ...)} and initialised with {@code .values}:
 * made with a template inner map, their slots filled from {@code .rel.maps} once every map exists,
 * reached by programs through {@code bpf_map_lookup_elem}, and swapped from Java.
 */
@RequiresBpf
class MapInMapTest {

    @Test
    void innerDefinitionAndInitialSlotsAreReadIntoTheMapSpec() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("map_in_map"));
        MapSpec outer = object.map("outer_array").orElseThrow();

        assertThat(outer.mapType()).contains(MapType.ARRAY_OF_MAPS);
        assertThat(outer.valueSize()).isEqualTo(4);
        assertThat(outer.slots()).isEqualTo(Map.of(0, "inner_a", 3, "inner_b"));
        MapSpec inner = outer.innerMap().orElseThrow();
        assertThat(List.of(inner.type(), inner.keySize(), inner.valueSize(), inner.maxEntries()))
                .containsExactly(MapType.ARRAY.kernelValue(), 4, 8, 1);
        assertThat(object.map("outer_hash").orElseThrow().slots()).isEqualTo(Map.of(5, "inner_c"));
    }

    @Test
    void programsCountIntoTheInnerMapsTheirValuesSlotsHold() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("map_in_map")));
             BpfProgram array = loaded.program("count_in_array_slot");
             BpfProgram hash = loaded.program("count_in_hash_slot")) {
            assertThat(run(array, 0)).isZero();
            assertThat(run(array, 3)).isZero();
            assertThat(run(array, 3)).isZero();
            assertThat(run(array, 1)).as("an empty slot").isEqualTo(-1);
            assertThat(run(hash, 5)).isZero();
            assertThat(run(hash, 0)).as("an absent key").isEqualTo(-1);

            assertThat(count(loaded.map("inner_a"))).isEqualTo(1);
            assertThat(count(loaded.map("inner_b"))).isEqualTo(2);
            assertThat(count(loaded.map("inner_c"))).isEqualTo(1);
        }
    }

    @Test
    void slotLookupGivesTheInnerMapsIdWhichOpensIt() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("map_in_map")));
             BpfProgram array = loaded.program("count_in_array_slot")) {
            BpfMap outer = loaded.map("outer_array");

            OptionalInt id = outer.innerMapId(3);
            assertThat(id).hasValue(loaded.map("inner_b").info().id());
            assertThat(outer.innerMapId(1)).isEmpty();
            assertThat(loaded.map("outer_hash").innerMapId(5)).hasValue(loaded.map("inner_c").info().id());
            run(array, 3);
            try (BpfMap opened = BpfMap.openById(id.getAsInt(), MapAccess.READ_ONLY)) {
                assertThat(count(opened)).isEqualTo(1);
            }
        }
    }

    @Test
    void aMapSwappedInFromJavaTakesTheProgramsNextRuns() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("map_in_map")));
             BpfProgram array = loaded.program("count_in_array_slot");
             BpfProgram hash = loaded.program("count_in_hash_slot");
             BpfMap replacement = BpfMap.create(MapType.ARRAY, 4, 8, 1, false, "replacement")) {
            run(array, 0);
            loaded.map("outer_array").updateInner(0, replacement);
            run(array, 0);
            run(array, 0);
            loaded.map("outer_hash").updateInner(2, replacement);
            run(hash, 2);

            assertThat(count(loaded.map("inner_a"))).isEqualTo(1);
            assertThat(count(replacement)).isEqualTo(3);
            assertThat(loaded.map("outer_array").innerMapId(0)).hasValue(replacement.info().id());
        }
    }

    @Test
    void aMapOfAnotherShapeIsRefusedForASlot() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("map_in_map")));
             BpfMap wrongShape = BpfMap.create(MapType.ARRAY, 4, 16, 1, false, "wrong_shape")) {
            assertThatThrownBy(() -> loaded.map("outer_array").updateInner(0, wrongShape))
                    .hasMessageContaining("EINVAL");
        }
    }

    @Test
    void updateInnerOnAnOrdinaryMapIsRefusedNamingTheMap() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("map_in_map")))) {
            assertThatThrownBy(() -> loaded.map("inner_a").updateInner(0, loaded.map("inner_b")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("map 'inner_a' is not a map of maps");
        }
    }

    @Test
    void anInnerDefinitionWithoutMaxEntriesIsLeftToTheKernelAsLibbpfLeavesIt() throws Exception {
        Path variant = BpfObjects.compileVariant("map_in_map", "no_inner_entries", "-DNO_INNER_ENTRIES");
        ObjectSpec object = ObjectSpec.open(variant);

        assertThat(object.map("outer_array").orElseThrow().innerMap().orElseThrow().maxEntries()).isZero();
        // An ARRAY needs entries: the kernel refuses the template as it refuses libbpf's.
        assertThatThrownBy(() -> LoadedObject.load(object).close()).hasMessageContaining("EINVAL");
    }

    @Test
    void aValuesSlotPointingAtANonMapIsRefused() throws Exception {
        Path variant = BpfObjects.compileVariant("map_in_map", "not_a_map", "-DNOT_A_MAP");

        assertThatThrownBy(() -> ObjectSpec.open(variant))
                .isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("map 'outer_array': .values holds 'not_a_map', which is not a map declared in SEC(\".maps\")");
    }

    @Test
    void aValuesSlotBeyondMaxEntriesIsRefused() throws Exception {
        Path variant = BpfObjects.compileVariant("map_in_map", "beyond_entries", "-DBEYOND_ENTRIES");

        assertThatThrownBy(() -> ObjectSpec.open(variant))
                .isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("map 'outer_array': .values sets slot [4], beyond its max_entries 4");
    }

    @Test
    void aMapOfMapsOfMapsIsRefused() throws Exception {
        Path variant = BpfObjects.compileVariant("map_in_map", "nested", "-DNESTED");

        assertThatThrownBy(() -> ObjectSpec.open(variant))
                .isInstanceOf(BpfFormatException.class)
                .hasMessageContaining("map 'outer_array.inner': its inner map declares values of its own");
    }

    private static int run(BpfProgram program, long slot) throws Exception {
        return program.testRunOnCpu(new long[] {slot}, GlobalPercpuDataTest.onlineCpus().getFirst()).returnValue();
    }

    private static long count(BpfMap inner) {
        return ByteBuffer.wrap(inner.lookup(0)).order(ByteOrder.nativeOrder()).getLong();
    }
}
