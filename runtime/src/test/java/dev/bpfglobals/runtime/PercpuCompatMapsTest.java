package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * Compat maps of custom per-CPU sections ({@code __percpu_compat_<name>}): bound to the section's
 * map when they have its shape, refused with the reason when they do not or have no section; and a
 * section of {@code const} variables, which mainline libbpf loads like any other.
 */
@RequiresBpf
class PercpuCompatMapsTest {

    @Test
    void constOnlyPercpuSectionIsAnOrdinaryWritablePercpuArrayAsMainlineLibbpfMakesIt() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("percpu_const")));
             BpfProgram program = loaded.program("first_limit");
             PerCpuArrayMap limits = loaded.percpuMap(".percpu.limits").orElseThrow();
             Arena arena = Arena.ofConfined()) {
            int cpu = GlobalPercpuDataTest.onlineCpus().getFirst();

            assertThat(limits.info().flags()).as("no BPF_F_RDONLY_PROG").isZero();
            assertThat(program.testRunOnCpu(new long[0], cpu).returnValue()).isEqualTo(7);

            // Not frozen: user space can still change it, and the program reads the new value.
            int count = PossibleCpus.system().count();
            MemorySegment slots = arena.allocate(8L * count, 8);
            for (int slot = 0; slot < count; slot++) {
                slots.set(ValueLayout.JAVA_INT, 8L * slot, 11);
            }
            limits.map().update(arena.allocate(4), slots);
            assertThat(program.testRunOnCpu(new long[0], cpu).returnValue()).isEqualTo(11);
        }
    }

    @Test
    void compatMapOfACustomSectionWithAnotherShapeIsRefusedNamingTheSectionAndSizes() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("compat_custom_mismatch"));

        assertThatThrownBy(() -> LoadedObject.load(object))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("map '__percpu_compat_events' is declared with type 6, key size 4, value size 4")
                .hasMessageContaining("stands for the .percpu.events section, which needs PERCPU_ARRAY (6), 4, 8 and 1");
    }

    @Test
    void compatMapWithoutItsSectionIsRefusedListingThePercpuSections() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("compat_without_section"));

        assertThatThrownBy(() -> LoadedObject.load(object))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("map '__percpu_compat_events' is named as the compat-mode stand-in of per-CPU section "
                        + ".percpu.events, but the object has no such section")
                .hasMessageContaining("its per-CPU sections: [.percpu.event_counts]");
    }
}
