package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.fixtures.FixturePrograms;
import dev.bpfglobals.fixtures.SectionMixGlobals.BssPart;
import dev.bpfglobals.fixtures.SectionMixGlobals.PerCpuPart;
import dev.bpfglobals.fixtures.SectionMixGlobals.RodataPart;
import dev.bpfglobals.fixtures.SectionMixGlobals;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import org.junit.jupiter.api.Test;

/**
 * The generated typed views of {@code .data}, {@code .bss} and {@code .rodata} against a real
 * program (section_mix.bpf.c): {@code .rodata} set before load through {@code rodataImage},
 * {@code .data} and {@code .bss} written per variable after load and seen by the program, the
 * program's own writes read back through the views, and the frozen {@code .rodata} refusing writes.
 */
@RequiresBpf
class TypedSectionViewsTest {

    private static final RodataPart CONFIG = new RodataPart(7, new short[] {3, 5});

    private static LoadedObject loadConfigured() throws Exception {
        ObjectSpec object = ObjectSpec.open(FixturePrograms.compile("section_mix"));
        return LoadedObject.load(object.withGlobalImage(SectionMixGlobals.RODATA_SECTION, SectionMixGlobals.rodataImage(CONFIG)));
    }

    @Test
    void theProgramSeesRodataSetBeforeLoadAndDataAndBssWrittenPerVariableAfterIt() throws Exception {
        int cpu = PossibleCpus.system().cpuAt(0);
        try (LoadedObject loaded = loadConfigured(); BpfProgram program = loaded.program("mix")) {
            SectionMixGlobals.DataView data = SectionMixGlobals.bindData(loaded);
            SectionMixGlobals.BssView bss = SectionMixGlobals.bindBss(loaded);
            SectionMixGlobals.RodataView rodata = SectionMixGlobals.bindRodata(loaded);
            assertThat(rodata.read()).as("the .rodata image Java encoded before load").isEqualTo(CONFIG);
            assertThat(bss.read()).as(".bss starts zeroed").isEqualTo(new BssPart(0, 0, 0));

            data.limit(42);
            bss.input(9);
            program.testRun(new byte[64], 3, cpu);

            assertThat(data.observed()).as("threshold, input and limit as the program read them")
                    .isEqualTo(7_000_009_042L);
            assertThat(bss.seen()).isEqualTo(3);
            assertThat(bss.lastWeighted()).isEqualTo(9L * 3 + 5);
            assertThat(data.limit()).as("the program only reads limit").isEqualTo(42);
            try (PerCpuGlobals<PerCpuPart> percpu = PerCpuGlobals.bind(loaded.percpuMap().orElseThrow(), SectionMixGlobals.PERCPU)) {
                assertThat(percpu.sum().runs()).isEqualTo(3);
            }
        }
    }

    @Test
    void aBssSetterWritesOnlyItsVariable() throws Exception {
        int cpu = PossibleCpus.system().cpuAt(0);
        try (LoadedObject loaded = loadConfigured(); BpfProgram program = loaded.program("mix")) {
            SectionMixGlobals.BssView bss = SectionMixGlobals.bindBss(loaded);
            bss.input(2);
            program.testRun(new byte[64], 1, cpu);

            bss.input(100);

            assertThat(bss.read()).isEqualTo(new BssPart(1, 100, 2L * 3 + 5));
        }
    }

    @Test
    void aWriteThroughTheRodataViewIsRefusedNamingTheSectionAndHowToSetIt() throws Exception {
        try (LoadedObject loaded = loadConfigured()) {
            SectionMixGlobals.RodataView rodata = SectionMixGlobals.bindRodata(loaded);
            GlobalDataView<RodataPart> raw = rodata.view();

            assertThatThrownBy(() -> raw.setInt(raw.variable("threshold"), 0, 1))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("variable 'threshold' cannot be written: .rodata is read-only after load")
                    .hasMessageContaining("ObjectSpec.withGlobalImage(\".rodata\", image)");
            assertThatThrownBy(() -> raw.write(CONFIG)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining(".rodata is read-only after load");
            assertThat(rodata.threshold()).isEqualTo(7);
        }
    }
}
