package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.btf.BtfSupport;
import dev.bpfglobals.runtime.internal.loader.Instructions;
import dev.bpfglobals.runtime.kernel.MapInfo;
import dev.bpfglobals.runtime.kernel.ProgramInfo;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.BpfPins;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** bpf-to-bpf calls, callbacks and the object's BTF, loaded into the real kernel. */
@RequiresBpf
class LinkedProgramsTest {

    private static final int XDP_PASS = 2;

    /** calls.bpf.c pins its map 'pinned' by name: here, not under /sys/fs/bpf, and each test on a fresh one. */
    private final Path pinRoot = BpfPins.path("linked-programs");

    @AfterEach
    void removePins() throws IOException {
        Files.deleteIfExists(pinRoot.resolve("pinned"));
        Files.deleteIfExists(pinRoot);
    }

    private LoadedObject loadCalls(ObjectSpec object) {
        return LoadedObject.load(object, LoadOptions.defaults().withPinRoot(pinRoot));
    }

    @Test
    void subprogramsCalledFromSeveralProgramsRunWithTheirGlobals() throws Exception {
        try (LoadedObject loaded = loadCalls(supportedOnly("calls"));
             BpfProgram onPacket = loaded.program("on_packet");
             BpfProgram onSkb = loaded.program("on_skb")) {
            int cpu = PossibleCpus.system().cpuAt(0);

            // add(3) = 3 + flags (2); global_add(4) = (4 + 2) * 2: 5 + 12 > 5.
            assertThat(onPacket.testRun(new byte[64], 10, cpu).returnValue()).isEqualTo(XDP_PASS);
            assertThat(onSkb.testRun(new byte[64], 1, cpu).returnValue()).as("add(1) = 1 + flags").isEqualTo(3);
            // counter starts at 1; each on_packet run adds 3 + 4, the on_skb run 1.
            assertThat(loaded.globalData(".data").get(ValueLayout.JAVA_LONG, 0)).isEqualTo(1 + 10 * 7 + 1);
        }
    }

    @Test
    void programsCarryTheObjectsBtfWithOneFuncInfoPerFunctionAndTheirSourceLines() throws Exception {
        try (LoadedObject loaded = loadCalls(supportedOnly("calls"));
             BpfProgram onPacket = loaded.program("on_packet");
             BpfProgram onSocket = loaded.program("on_socket")) {
            ProgramInfo info = onPacket.info();

            assertThat(loaded.btfRefusal()).isEmpty();
            assertThat(info.btfId()).isPositive();
            assertThat(info.funcInfoCount()).as("on_packet, add, global_add").isEqualTo(3);
            assertThat(info.lineInfoCount()).isGreaterThan(3);
            assertThat(onSocket.info().funcInfoCount()).isEqualTo(1);
        }
    }

    @Test
    void globalSectionMapsAreTypedByTheirDatasec() throws Exception {
        ObjectSpec object = supportedOnly("calls");
        int datasec = object.btf().orElseThrow().datasecId(".data").orElseThrow();
        try (LoadedObject loaded = loadCalls(object)) {
            MapInfo data = mapInfo(loaded, ".data");

            assertThat(data.btfValueTypeId()).isEqualTo(datasec);
            assertThat(mapInfo(loaded, "pinned").btfValueTypeId())
                    .isEqualTo(object.map("pinned").orElseThrow().valueTypeId());
        }
    }

    @Test
    void aCallbackPassedByAddressAndTheSubprogramItCallsAreLinked() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("callback")));
             BpfProgram program = loaded.program("sum_squares")) {
            assertThat(program.testRun(new byte[64], 1, PossibleCpus.system().cpuAt(0)).returnValue()).isEqualTo(XDP_PASS);

            assertThat(loaded.globalData(".bss").get(ValueLayout.JAVA_LONG, 0)).isEqualTo(1 + 4 + 9 + 16);
            assertThat(program.info().funcInfoCount()).as("sum_squares, add_square, square").isEqualTo(3);
        }
    }

    @Test
    void onAKernelWithoutNewerBtfKindsTheSanitisedBtfLoadsAndProgramsRunWithoutFuncInfo() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("btf_kinds"));
        try (LoadedObject loaded = LoadedObject.load(object, BpfFeatures.probe(), BtfSupport.NONE);
             BpfProgram program = loaded.program("kinds")) {
            assertThat(loaded.btfRefusal()).as("the kernel took the sanitised BTF").isEmpty();
            // Without FUNC support no func info is passed, and then the kernel keeps no BTF with the program.
            assertThat(program.info().funcInfoCount()).isZero();
            assertThat(program.info().btfId()).isZero();
            assertThat(mapInfo(loaded, ".data").btfValueTypeId()).as("no DATASEC to type it by").isZero();
            assertThat(program.testRun(new byte[64], 1, PossibleCpus.system().cpuAt(0)).returnValue()).isEqualTo(XDP_PASS);
        }
    }

    @Test
    void theSameObjectLoadsWithItsBtfUnchangedWhereTheKernelKnowsEveryKind() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("btf_kinds"));
        try (LoadedObject loaded = LoadedObject.load(object, BpfFeatures.probe(), BtfSupport.ALL);
             BpfProgram program = loaded.program("kinds")) {
            assertThat(program.info().funcInfoCount()).as("kinds, twice").isEqualTo(2);
            assertThat(program.testRun(new byte[64], 1, PossibleCpus.system().cpuAt(0)).returnValue()).isEqualTo(XDP_PASS);
        }
    }

    @Test
    void anObjectWithoutBtfLoadsWithoutAndSaysWhy() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithoutDebugInfo("btf_kinds"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("kinds")) {
            assertThat(loaded.btfRefusal()).hasValueSatisfying(why -> assertThat(why).contains("no .BTF section"));
            assertThat(program.info().btfId()).isZero();
            assertThat(program.testRun(new byte[64], 1, PossibleCpus.system().cpuAt(0)).returnValue()).isEqualTo(XDP_PASS);
        }
    }

    @Test
    void aCallbackWithoutBtfIsRefusedBeforeTheVerifierWithTheFix() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithoutDebugInfo("callback"));

        assertThatThrownBy(() -> LoadedObject.load(object))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("program 'sum_squares' passes function 'add_square' by address")
                .hasMessageContaining("compile with -g");
    }

    @Test
    void aBigEndianObjectOpensButIsNotLoadedIntoThisLittleEndianKernel() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileBigEndian("compat_counter"));

        assertThat(object.globalSection(".percpu")).isPresent();
        assertThatThrownBy(() -> LoadedObject.load(object))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("BIG_ENDIAN (clang -target bpfeb)")
                .hasMessageContaining("compile with -target bpf");
    }

    @Test
    void aPercpuMapAndEveryOtherFdAreClosedWhenALaterProgramIsRefused() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("compat_counter"));
        long before = openFds();
        PerCpuArrayMap[] seen = new PerCpuArrayMap[1];
        ObjectSpec broken = object.withPrograms(object.programs().stream()
                .map(p -> new ProgramSpec(p.name(), p.section(), p.type(), p.sectionOffset(), new long[] {Instructions.of(0x95, 0, 0, 0, 0)},
                        java.util.List.of(), p.btfExt()))
                .toList());

        assertThatThrownBy(() -> seen[0] = LoadedObject.load(broken).percpuMap().orElseThrow())
                .isInstanceOf(dev.bpfglobals.runtime.kernel.BpfException.class)
                .hasMessageContaining("program 'count'");
        assertThat(openFds()).isEqualTo(before);
    }

    private static long openFds() throws Exception {
        try (var list = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return list.count();
        }
    }

    private static ObjectSpec supportedOnly(String name) throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile(name));
        return object.withPrograms(object.programs().stream().filter(p -> LoadedObject.SUPPORTED.contains(p.type())).toList());
    }

    /** What the kernel says about the map the object made for {@code name}. */
    private static MapInfo mapInfo(LoadedObject loaded, String name) {
        try (BpfMap map = loaded.map(name)) {
            return map.info();
        }
    }
}
