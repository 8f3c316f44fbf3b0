package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A {@code .percpu} section loaded from clang output: C initialisers on every CPU, then per-CPU counting. */
@RequiresBpf
class PercpuLoadTest {

    /** The kernel hands out per-CPU values in 8-byte-aligned slots: the 20-byte section takes 24. */
    private static final int SLOT = 24;

    @ParameterizedTest(name = "per-CPU flags probed: {0}")
    @ValueSource(booleans = {true, false})
    void everyCpuStartsFromTheInitialisersAndCountsOnlyItsOwnRuns(boolean useProbedFlags) throws Exception {
        PossibleCpus cpus = PossibleCpus.system();
        Assumptions.assumeTrue(cpus.count() >= 2, "needs two CPUs");
        BpfFeatures features = useProbedFlags ? BpfFeatures.probe() : BpfFeatures.probe().withoutPerCpuFlags();
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("percpu_initial")), features);
             BpfProgram program = loaded.program("count");
             PerCpuArrayMap map = loaded.percpuMap().orElseThrow();
             Arena arena = Arena.ofConfined()) {
            MemorySegment all = arena.allocate((long) SLOT * cpus.count(), 8);
            map.lookupAll(all);
            for (int slot = 0; slot < cpus.count(); slot++) {
                assertThat(all.get(ValueLayout.JAVA_LONG, (long) slot * SLOT)).as("packets, slot %d", slot).isEqualTo(5);
                assertThat(all.get(ValueLayout.JAVA_LONG, (long) slot * SLOT + 8)).as("bytes, slot %d", slot).isEqualTo(1000);
                assertThat(all.get(ValueLayout.JAVA_INT, (long) slot * SLOT + 16)).as("limit, slot %d", slot).isEqualTo(1500);
            }

            int first = cpus.cpuAt(0);
            int second = cpus.cpuAt(1);
            program.testRun(new byte[100], 7, first);
            program.testRun(new byte[64], 11, second);
            map.lookupAll(all);

            assertThat(all.get(ValueLayout.JAVA_LONG, (long) cpus.slotOf(first) * SLOT)).isEqualTo(5 + 7);
            assertThat(all.get(ValueLayout.JAVA_LONG, (long) cpus.slotOf(second) * SLOT)).isEqualTo(5 + 11);
            assertThat(all.get(ValueLayout.JAVA_LONG, (long) cpus.slotOf(first) * SLOT + 8)).isEqualTo(1000 + 7 * 100);
            assertThat(all.get(ValueLayout.JAVA_LONG, (long) cpus.slotOf(second) * SLOT + 8)).isEqualTo(1000 + 11 * 64);
        }
    }

    @org.junit.jupiter.api.Test
    void theInitialImageStaysReadableAfterLoadButCannotBeWritten() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("percpu_initial")));
             PerCpuArrayMap map = loaded.percpuMap().orElseThrow()) {
            MemorySegment image = map.initialImage().orElseThrow();

            assertThat(image.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(5);
            assertThatThrownBy(() -> image.set(ValueLayout.JAVA_LONG, 0, 6)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @org.junit.jupiter.api.Test
    void aCompatMapOfAnotherShapeThanTheSectionIsRefused() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("compat_mismatch"));

        assertThatThrownBy(() -> LoadedObject.load(object))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("map '__percpu_compat' is declared with type 6, key size 4, value size 8")
                .hasMessageContaining("needs PERCPU_ARRAY (6), 4, 16 and 1")
                .hasMessageContaining("regenerate");
    }
}
