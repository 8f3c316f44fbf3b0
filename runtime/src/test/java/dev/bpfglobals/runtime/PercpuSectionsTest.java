package dev.bpfglobals.runtime;

import static dev.bpfglobals.runtime.GlobalPercpuDataTest.EXTRA;
import static dev.bpfglobals.runtime.GlobalPercpuDataTest.PERCPU;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.contract.MapNames;
import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.internal.loader.Relocation;
import org.junit.jupiter.api.Test;

/**
 * Custom {@code .percpu.<name>} sections as the object reader sees them, without a kernel: each is
 * a per-CPU global section of its own with the map name mainline libbpf gives it, and its initial
 * image can be replaced before load only by one of its exact size.
 */
class PercpuSectionsTest {

    @Test
    void everyPercpuSectionIsAGlobalSectionMappedToAPercpuArrayOfItsOwn() throws Exception {
        ObjectSpec object = GlobalPercpuDataTest.nativeForm();

        assertThat(object.globalSections()).extracting(GlobalSection::name)
                .containsExactly(PERCPU, EXTRA, ".data.percpu", ".bss");
        assertThat(object.globalSections()).extracting(GlobalSection::mapType)
                .containsExactly(MapType.PERCPU_ARRAY, MapType.PERCPU_ARRAY, MapType.ARRAY, MapType.ARRAY);
        assertThat(object.globalSections()).extracting(GlobalSection::size).containsExactly(80, 12, 4, 4);
        assertThat(object.globalSection(EXTRA).orElseThrow().layout().mapType()).isEqualTo(MapType.PERCPU_ARRAY);
    }

    @Test
    void variablesOfBothPercpuSectionsSitWhereClangPutThem() throws Exception {
        ObjectSpec object = GlobalPercpuDataTest.compatForm();
        GlobalSection percpu = object.globalSection(PERCPU).orElseThrow();
        GlobalSection extra = object.globalSection(EXTRA).orElseThrow();

        assertThat(percpu.variables()).extracting(GlobalVariable::name)
                .containsExactly("cpu_seen", "value", "flag", "label", "counts", "record");
        assertThat(percpu.variables()).extracting(GlobalVariable::offset).containsExactly(
                GlobalPercpuDataTest.CPU_SEEN, GlobalPercpuDataTest.VALUE, GlobalPercpuDataTest.FLAG,
                GlobalPercpuDataTest.LABEL, 16, GlobalPercpuDataTest.RECORD_SET);
        assertThat(percpu.variable("record").orElseThrow().cType()).isEqualTo("struct <anonymous>");
        assertThat(percpu.variable("flag").orElseThrow().cType()).isEqualTo("_Bool");
        assertThat(extra.variables()).extracting(GlobalVariable::name, GlobalVariable::offset)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("stamp", GlobalPercpuDataTest.STAMP),
                        org.assertj.core.groups.Tuple.tuple("extra_runs", GlobalPercpuDataTest.EXTRA_RUNS));
    }

    @Test
    void referencesIntoACustomSectionAreGlobalDataLikeThoseIntoPercpu() throws Exception {
        ProgramSpec bump = GlobalPercpuDataTest.nativeForm().program("bump_extra").orElseThrow();

        assertThat(bump.relocations()).extracting(Relocation::kind, Relocation::symbol, Relocation::section)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Relocation.Kind.GLOBAL_DATA, "extra_runs", EXTRA));
    }

    @Test
    void mapNamesAreTheSectionNamesCutTo15CharactersAndSanitisedAsLibbpfDoes() {
        assertThat(MapNames.ofSection(PERCPU)).isEqualTo(".percpu");
        assertThat(MapNames.ofSection(EXTRA)).isEqualTo(".percpu.extra_c");
        assertThat(MapNames.ofSection(".percpu.data")).isEqualTo(".percpu.data");
        assertThat(MapNames.ofSection(".percpu.rx-q")).isEqualTo(".percpu.rx_q");
        assertThat(MapNames.ofSection(".percpu.é")).isEqualTo(".percpu._");
        assertThat(new GlobalSection(EXTRA, 0, 1, java.util.List.of(), new byte[0], 0).kernelMapName())
                .isEqualTo(".percpu.extra_c");
    }

    @Test
    void onlyPercpuAndPercpuDotNamesArePerCpu() {
        assertThat(GlobalSection.isPerCpu(PERCPU)).isTrue();
        assertThat(GlobalSection.isPerCpu(EXTRA)).isTrue();
        assertThat(GlobalSection.isPerCpu(".data.percpu")).isFalse();
        assertThat(GlobalSection.isPerCpu(".percpufoo")).isFalse();
        assertThat(GlobalSection.isGlobalData(EXTRA)).isTrue();
    }

    @Test
    void compatMapNamesStandForTheirSectionsAsCIdentifiers() {
        assertThat(LoadedObject.percpuCompatMapName(PERCPU)).isEqualTo("__percpu_compat");
        assertThat(LoadedObject.percpuCompatMapName(EXTRA)).isEqualTo("__percpu_compat_extra_counters");
        assertThat(LoadedObject.percpuCompatMapName(".percpu.rx-q.0")).isEqualTo("__percpu_compat_rx_q_0");
        assertThatThrownBy(() -> LoadedObject.percpuCompatMapName(".data.percpu"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'.data.percpu' is not a per-CPU section");
    }

    @Test
    void initialImageOfTheWrongSizeIsRefusedNamingSectionAndBothSizes() throws Exception {
        ObjectSpec object = GlobalPercpuDataTest.compatForm();

        assertThatThrownBy(() -> object.withGlobalImage(PERCPU, new byte[79]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initial image for section .percpu is 79 bytes, but the section is 80 bytes");
        assertThatThrownBy(() -> object.withGlobalImage(EXTRA, new byte[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initial image for section .percpu.extra_counters is 16 bytes, but the section is 12 bytes");
    }

    @Test
    void initialImageOfTheRightSizeReplacesOnlyThatSectionAndLeavesTheObjectAsItWas() throws Exception {
        ObjectSpec object = GlobalPercpuDataTest.compatForm();
        byte[] image = new byte[12];
        image[0] = 100;

        ObjectSpec changed = object.withGlobalImage(EXTRA, image);
        image[0] = 1; // the caller's array is copied, not kept

        assertThat(changed.globalSection(EXTRA).orElseThrow().initialImage()[0]).isEqualTo((byte) 100);
        assertThat(object.globalSection(EXTRA).orElseThrow().initialImage()[0]).isEqualTo((byte) 40);
        assertThat(changed.globalSection(PERCPU)).isEqualTo(object.globalSection(PERCPU));
    }
}
