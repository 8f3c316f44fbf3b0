package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.testing.BpfObjects;
import org.junit.jupiter.api.Test;

/** BTF-defined maps of real clang output. */
class MapsTest {

    @Test
    void everyMapTypeTheLoaderSupportsIsRead() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("all_maps"));

        assertThat(object.maps()).extracting(m -> m.mapType().orElseThrow(), MapSpec::keySize, MapSpec::valueSize, MapSpec::maxEntries)
                .containsExactly(
                        tuple(MapType.ARRAY, 4, 8, 4),
                        tuple(MapType.PERCPU_ARRAY, 4, 8, 4),
                        tuple(MapType.HASH, 4, 8, 16),
                        tuple(MapType.PERCPU_HASH, 4, 8, 16),
                        tuple(MapType.LRU_HASH, 4, 8, 16),
                        tuple(MapType.RINGBUF, 0, 0, 4096));
        assertThat(object.maps()).extracting(MapSpec::name)
                .containsExactly("array", "percpu_array", "hash", "percpu_hash", "lru_hash", "events");
    }

    @Test
    void keyAndValueTypesAreNamedInTheObjectsBtf() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("all_maps"));
        Btf btf = object.btf().orElseThrow();
        MapSpec hash = object.map("hash").orElseThrow();

        assertThat(btf.cName(hash.keyTypeId())).isEqualTo("__u32");
        assertThat(btf.cName(hash.valueTypeId())).isEqualTo("__u64");
        assertThat(object.map("events").orElseThrow().keyTypeId()).isZero();
    }

    @Test
    void pinningByNameIsRead() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("calls"));

        assertThat(object.map("pinned").orElseThrow().pinning()).isEqualTo(MapSpec.Pinning.BY_NAME);
        assertThat(ObjectSpec.open(BpfObjects.compile("all_maps")).map("hash").orElseThrow().pinning()).isEqualTo(MapSpec.Pinning.NONE);
    }

    @Test
    void sizesGivenAsNumbersWork() throws Exception {
        MapSpec compat = ObjectSpec.open(BpfObjects.compile("compat_counter")).map("__percpu_compat").orElseThrow();

        assertThat(compat).isEqualTo(new MapSpec("__percpu_compat", 6, 4, 16, 1, 0, MapSpec.Pinning.NONE, 0, 0));
    }
}
