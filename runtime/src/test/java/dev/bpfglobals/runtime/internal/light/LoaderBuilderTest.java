package dev.bpfglobals.runtime.internal.light;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.btf.SectionBtfWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the builder plans, without a kernel: the steps in order, the per-CPU fill, the limits it refuses. */
class LoaderBuilderTest {

    @Test
    void theStepsFollowTheNormalLoadersOrderBtfThenEachMapCreatedFilledAndFrozenThenThePrograms() {
        SectionBtfWriter.Encoded btf = LightFixture.percpuBtf();
        LoaderProgram loader = LoaderBuilder.build(new LightPlan(LightFixture.maps("lb", btf),
                List.of(LightFixture.reader("lb_reader")), btf.bytes(), true, 4));

        assertThat(loader.steps()).extracting(LoaderStep::describe).containsExactly(
                "BTF load",
                "map 0 'lb.percpu' create",
                "map 0 'lb.percpu' initial value update (BPF_F_ALL_CPUS, one 16-byte slot)",
                "map 1 'lb.rodata' create",
                "map 1 'lb.rodata' initial value update (4 bytes)",
                "map 1 'lb.rodata' freeze",
                "program 'lb_reader' load");
    }

    @Test
    void withoutAllCpusAPerCpuImageIsCopiedIntoOnePaddedSlotPerPossibleCpu() {
        SectionBtfWriter.Encoded btf = LightFixture.percpuBtf();
        LoaderProgram loader = LoaderBuilder.build(new LightPlan(LightFixture.maps("lb", btf), List.of(), btf.bytes(), false, 3));

        LoaderStep fill = loader.steps(LoaderStep.Kind.MAP_UPDATE).getFirst();
        assertThat(fill.updateFlags()).isZero();
        assertThat(fill.valueBytes()).isEqualTo(3 * 16);
        byte[] slots = new byte[3 * 16];
        for (int cpu = 0; cpu < 3; cpu++) {
            System.arraycopy(LightFixture.percpuImage(), 0, slots, cpu * 16, LightFixture.PERCPU_VALUE_SIZE);
        }
        assertThat(indexOf(loader.blob(), slots)).as("the three padded slots in the blob").isNotNegative();
    }

    @Test
    void dataLargerThanOneMapValueIsRefusedNamingBothSizes() {
        LightMap huge = new LightMap("lb_huge", LightMap.ARRAY, 4, 5 << 20, 1, 0, 0, 0, new byte[5 << 20], false);

        assertThatThrownBy(() -> LoaderBuilder.build(new LightPlan(List.of(huge), List.of(), null, false, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loader data is 52")
                .hasMessageContaining("at most " + (4 << 20));
    }

    @Test
    void anImageOfTheWrongSizeIsRefused() {
        // Two maps may share a kernel name (LightLoadTest loads such an object); two programs may not.
        assertThatThrownBy(() -> new LightMap("lb_short", LightMap.ARRAY, 4, 8, 1, 0, 0, 0, new byte[4], false))
                .hasMessage("map 'lb_short': initial value has 4 bytes, its value size is 8");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
