package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.internal.RingSyscalls;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import org.junit.jupiter.api.Test;

/**
 * Template inner maps libbpf makes and this loader once refused (gaps the selftest parity corpus
 * found): a task-storage template with no {@code max_entries}, bloom filters with {@code map_extra},
 * and ring buffers whose size is not a power-of-2 multiple of the page size.
 */
@RequiresBpf
class InnerMapTemplateTest {

    @Test
    void aTaskStorageTemplateWithoutMaxEntriesIsMade() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileVariant("map_in_map", "storage_inner", "-DSTORAGE_INNER"));

        try (LoadedObject loaded = LoadedObject.load(object)) {
            assertThat(loaded.map("outer_storage").info().kernelType()).isEqualTo(MapType.ARRAY_OF_MAPS.kernelValue());
        }
    }

    @Test
    void mapExtraAndAValueOnlyBtfTypeArePassedAsLibbpfPassesThem() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileVariant("map_in_map", "bloom_inner", "-DBLOOM_INNER"));

        try (LoadedObject loaded = LoadedObject.load(object)) {
            assertThat(loaded.map("bloom_a").info().mapExtra()).isEqualTo(3);
            // Typed by its value alone (a bloom filter has no key), as libbpf makes it.
            assertThat(loaded.map("bloom_a").info().btfValueTypeId()).isNotZero();
            assertThat(loaded.map("outer_bloom").info().kernelType()).isEqualTo(MapType.ARRAY_OF_MAPS.kernelValue());
        }
    }

    @Test
    void ringBufferSizesAreRoundedUpToAPowerOf2PageMultipleAsLibbpfDoes() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileVariant("map_in_map", "ringbuf_inner", "-DRINGBUF_INNER"));

        assertThat(object.map("ring_a").orElseThrow().maxEntries()).isEqualTo(1000);
        try (LoadedObject loaded = LoadedObject.load(object)) {
            assertThat(loaded.map("ring_a").info().maxEntries()).isEqualTo((int) RingSyscalls.pageSize());
        }
    }
}
