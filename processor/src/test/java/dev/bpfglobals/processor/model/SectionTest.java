package dev.bpfglobals.processor.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.contract.MapType;
import org.junit.jupiter.api.Test;

/** Every name a section gives the header, the accessor and the contract, derived from one enum. */
class SectionTest {

    @Test
    void percpuIsLibbpfsPercpuArrayAndNamesThePerCpuApi() {
        Section s = Section.PERCPU;

        assertThat(s.elfName()).isEqualTo(".percpu");
        assertThat(s.mapType()).isEqualTo(MapType.PERCPU_ARRAY);
        assertThat(s.constant("VALUE_SIZE")).isEqualTo("PERCPU_VALUE_SIZE");
        assertThat(s.partRecord()).isEqualTo("PerCpuPart");
        assertThat(s.codecClass()).isEqualTo("PerCpuCodec");
        assertThat(s.method("decode")).isEqualTo("decodePerCpu");
        assertThat(CNames.mirrorTag("xdp_stats", s)).isEqualTo("xdp_stats_percpu");
    }

    @Test
    void dataIsAnArrayAndNamesTheDataApi() {
        Section s = Section.DATA;

        assertThat(s.elfName()).isEqualTo(".data");
        assertThat(s.mapType()).isEqualTo(MapType.ARRAY);
        assertThat(s.constant("SECTION")).isEqualTo("DATA_SECTION");
        assertThat(s.partRecord()).isEqualTo("DataPart");
        assertThat(s.codecClass()).isEqualTo("DataCodec");
        assertThat(s.method("encode")).isEqualTo("encodeData");
        assertThat(CNames.mirrorTag("xdp_stats", s)).isEqualTo("xdp_stats_data");
    }

    @Test
    void bssAndRodataAreArraysAndOnlyRodataIsReadOnlyAndConstVolatile() {
        assertThat(Section.BSS.elfName()).isEqualTo(".bss");
        assertThat(Section.BSS.mapType()).isEqualTo(MapType.ARRAY);
        assertThat(Section.BSS.method("bind")).isEqualTo("bindBss");
        assertThat(Section.BSS.readOnlyAfterLoad()).isFalse();
        assertThat(Section.BSS.cQualifiers()).isEmpty();
        assertThat(Section.RODATA.elfName()).isEqualTo(".rodata");
        assertThat(Section.RODATA.mapType()).isEqualTo(MapType.ARRAY);
        assertThat(Section.RODATA.method("bind")).isEqualTo("bindRodata");
        assertThat(Section.RODATA.viewClass()).isEqualTo("RodataView");
        assertThat(Section.RODATA.imageMethod()).isEqualTo("rodataImage");
        assertThat(Section.RODATA.readOnlyAfterLoad()).isTrue();
        assertThat(CNames.definition(new dev.bpfglobals.processor.layout.CType.Scalar(
                dev.bpfglobals.processor.layout.ScalarKind.U32), "mtu", Section.RODATA))
                .isEqualTo("const volatile __u32 mtu SEC(\".rodata\")");
    }

    @Test
    void declarationOrderIsContractOrder() {
        assertThat(Section.values()).containsExactly(Section.PERCPU, Section.DATA, Section.BSS, Section.RODATA);
    }

    @Test
    void everySectionConstantIsReservedAgainstComponentConstants() {
        assertThat(JavaNames.SECTION_CONSTANTS).contains("CONTRACT", "PERCPU", "DATA", "PERCPU_LAYOUT",
                "DATA_MAP_TYPE", "PERCPU_KEY_SIZE", "DATA_ALIGNMENT").hasSize(1 + 4 * 8);
    }
}
