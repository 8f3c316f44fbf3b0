package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.fixtures.CompatCounterGlobals.PerCpuPart;
import dev.bpfglobals.fixtures.CompatCounterGlobals;
import dev.bpfglobals.fixtures.FixturePrograms;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import org.junit.jupiter.api.Test;

/**
 * The one ownership rule, end to end: what a loaded object hands out is a new owner, so closing it
 * (directly or through the binding that took it over) never closes the object's own maps, and it
 * stays usable after the object is closed.
 */
@RequiresBpf
class OwnershipTest {

    @Test
    void closingABindingOfTheHandedOutMapLeavesTheObjectsMapServingItsProgram() throws Exception {
        int cpu = PossibleCpus.system().cpuAt(0);
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(FixturePrograms.compile("compat_counter")));
             BpfProgram program = loaded.program("count")) {
            PerCpuGlobals<PerCpuPart> first = PerCpuGlobals.bind(loaded.percpuMap().orElseThrow(), CompatCounterGlobals.PERCPU);
            first.close();
            assertThatThrownBy(first::sum).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");

            program.testRun(new byte[64], 3, cpu);

            try (PerCpuGlobals<PerCpuPart> second = PerCpuGlobals.bind(loaded.percpuMap().orElseThrow(), CompatCounterGlobals.PERCPU)) {
                assertThat(second.sum().hits()).as("the object's map was never closed").isEqualTo(3);
            }
        }
    }

    @Test
    void aHandedOutMapOutlivesTheObjectThatMadeIt() throws Exception {
        PerCpuArrayMap percpu;
        BpfMap byName;
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(FixturePrograms.compile("compat_counter")))) {
            percpu = loaded.percpuMap().orElseThrow();
            byName = loaded.map(".percpu");
        }

        try (percpu; byName) {
            assertThat(byName.info().id()).isEqualTo(percpu.info().id());
            assertThat(byName.lookup(0)).hasSize((int) byName.valueBytes());
            assertThat(percpu.initialImage()).as("a dup keeps the image it was populated from").isPresent();
        }
    }

    @Test
    void aLoadedObjectNamesTheMapsItMadeWhenAskedForAnother() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(FixturePrograms.compile("compat_counter")))) {
            assertThat(loaded.mapNames()).contains(".percpu");
            assertThatThrownBy(() -> loaded.map("nope")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no map named 'nope'").hasMessageContaining(".percpu");
        }
    }
}
