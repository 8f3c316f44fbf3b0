package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.MapInfo;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * {@code .rodata} and the other global sections made as libbpf makes them: read-only data with
 * {@code BPF_F_RDONLY_PROG|BPF_F_MMAPABLE} (0x480) and frozen, so the verifier refuses stores into
 * it and reads {@code const volatile} values as constants; custom {@code .data.*}, {@code .bss.*}
 * and {@code .rodata.*} sections as maps of their own under libbpf's names.
 */
@RequiresBpf
class ReadOnlyDataTest {

    private static final int RDONLY_PROG_MMAPABLE = 0x480;

    @Test
    void aProgramWritingIntoRodataIsRefusedByTheVerifier() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("rodata_write"));

        assertThatThrownBy(() -> LoadedObject.load(object))
                .isInstanceOf(BpfException.class)
                .hasMessageContaining("program 'write_rodata'")
                .hasMessageContaining("write into map forbidden");
    }

    @Test
    void aLoopBoundedByAConstVolatileValueLoadsAndRunsThatManyTimes() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("rodata_limit"));

        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("bounded_by_rodata")) {
            program.testRun(new byte[64], 1, PossibleCpus.system().cpuAt(0));

            assertThat(loaded.globalData(".bss").get(ValueLayout.JAVA_LONG, 0)).isEqualTo(8);
        }
    }

    @Test
    void rodataValuesSetBeforeLoadAreTheConstantsTheProgramSees() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("rodata_limit"))
                .withGlobalImage(".rodata", ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(5).array());

        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("bounded_by_rodata")) {
            program.testRun(new byte[64], 2, PossibleCpus.system().cpuAt(0));

            assertThat(loaded.globalData(".rodata").get(ValueLayout.JAVA_INT, 0)).isEqualTo(5);
            assertThat(loaded.globalData(".bss").get(ValueLayout.JAVA_LONG, 0)).as("5 iterations, 2 runs").isEqualTo(10);
        }
    }

    @Test
    void readOnlySectionsAreReadOnlyToProgramsMmapableAndFrozen() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("rodata_limit"));

        try (LoadedObject loaded = LoadedObject.load(object)) {
            for (String section : new String[] {".rodata", ".rodata.extra"}) {
                try (BpfMap map = loaded.map(section);
                     java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                    BpfFd fd = map.fd();
                    assertThat(BpfMaps.info(fd).flags()).as(section).isEqualTo(RDONLY_PROG_MMAPABLE);
                    assertThat(BpfMaps.updateRaw(fd, arena.allocate(4), arena.allocate(4), 0)).as(section + " is frozen")
                            .isEqualTo(-dev.bpfglobals.runtime.kernel.Errno.EPERM.number());
                }
            }
            assertThat(mapInfo(loaded, ".data.rx-limits").flags()).isEqualTo(BpfMaps.F_MMAPABLE);
        }
    }

    @Test
    void writingRodataFromJavaIsRefusedNamingTheSectionAndWhatToDoInstead() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("rodata_limit"));

        try (LoadedObject loaded = LoadedObject.load(object)) {
            MemorySegment rodata = loaded.globalData(".rodata");

            assertThat(rodata.isReadOnly()).isTrue();
            assertThatThrownBy(() -> rodata.set(ValueLayout.JAVA_INT, 0, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> loaded.writableGlobalData(".rodata.extra"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("section '.rodata.extra' is read-only after load (programs see it as constants, and the "
                            + "kernel froze it): set its values before load with ObjectSpec.withGlobalImage(\".rodata.extra\", "
                            + "image), or move the variable to .data");
            assertThat(loaded.writableGlobalData(".data.rx-limits").isReadOnly()).isFalse();
        }
    }

    @Test
    void customDataBssAndRodataSectionsAreMapsOfTheirOwnUnderLibbpfsNames() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("rodata_limit"));

        assertThat(object.globalSections()).extracting(GlobalSection::name).containsExactly(
                ".rodata", ".data.rx-limits", ".rodata.extra", ".bss", ".bss.counters_of_runs");
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("bounded_by_rodata")) {
            MapInfo data = mapInfo(loaded, ".data.rx-limits");
            MapInfo bss = mapInfo(loaded, ".bss.counters_of_runs");
            MapInfo rodata = mapInfo(loaded, ".rodata.extra");
            assertThat(data.name()).isEqualTo(".data.rx_limits");
            assertThat(bss.name()).isEqualTo(".bss.counters_o");
            assertThat(rodata.name()).isEqualTo(".rodata.extra");

            loaded.writableGlobalData(".data.rx-limits").set(ValueLayout.JAVA_INT, 0, 13);
            program.testRun(new byte[64], 3, PossibleCpus.system().cpuAt(0));

            assertThat(loaded.globalData(".bss.counters_of_runs").get(ValueLayout.JAVA_LONG, 0))
                    .as("3 runs of data_step 13 plus rodata_bonus 7").isEqualTo(60);
        }
    }

    /** What the kernel says about the map the object made for {@code name}. */
    private static MapInfo mapInfo(LoadedObject loaded, String name) {
        try (BpfMap map = loaded.map(name)) {
            return map.info();
        }
    }
}
