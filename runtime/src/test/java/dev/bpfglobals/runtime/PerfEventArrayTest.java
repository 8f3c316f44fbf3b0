package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.kernel.MapInfo;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import org.junit.jupiter.api.Test;

/** A PERF_EVENT_ARRAY declared without {@code max_entries} is sized as libbpf sizes it: one entry per possible CPU. */
@RequiresBpf
class PerfEventArrayTest {

    @Test
    void aPerfEventArrayWithoutMaxEntriesGetsOneEntryPerPossibleCpu() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("perf_events"));

        assertThat(object.map("events").orElseThrow().maxEntries()).as("as declared").isZero();
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("emit")) {
            var info = mapInfo(loaded, "events");

            assertThat(info.type()).contains(MapType.PERF_EVENT_ARRAY);
            assertThat(info.maxEntries()).isEqualTo(PossibleCpus.system().count());
            assertThat(program.testRun(new byte[64], 1, PossibleCpus.system().cpuAt(0)).returnValue()).isEqualTo(2);
        }
    }

    @Test
    void aPerfEventArrayWithMaxEntriesKeepsIt() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("perf_events")))) {
            assertThat(mapInfo(loaded, "sized_events").maxEntries()).isEqualTo(1);
        }
    }

    /** What the kernel says about the map the object made for {@code name}. */
    private static MapInfo mapInfo(LoadedObject loaded, String name) {
        try (BpfMap map = loaded.map(name)) {
            return map.info();
        }
    }
}
