package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mainline's contract for global per-CPU data, checked with {@code global_percpu_data.bpf.c}: the
 * program runs once on every online CPU ({@code BPF_F_TEST_RUN_ON_CPU}) and each CPU's copy then
 * holds exactly what mainline's selftest asserts, in compat mode on every kernel and natively where
 * the kernel has native access. Where it has not, the native form is refused before the verifier.
 */
@RequiresBpf
class GlobalPercpuDataTest {

    static final String PERCPU = ".percpu";
    static final String EXTRA = ".percpu.extra_counters";
    // Offsets in .percpu, asserted against the object in PercpuSectionsTest and, for the compat
    // struct, by _Static_assert in the C source.
    static final int CPU_SEEN = 0;
    static final int VALUE = 4;
    static final int FLAG = 8;
    static final int LABEL = 9;
    static final int COUNTS_6 = 16 + 6 * 4;
    static final int RECORD_SET = 44;
    static final int RECORD_I = 48;
    static final int RECORD_NUMS_6 = 52 + 6 * 4;
    // Offsets in .percpu.extra_counters.
    static final int STAMP = 0;
    static final int EXTRA_RUNS = 8;

    static ObjectSpec compatForm() throws Exception {
        return ObjectSpec.open(BpfObjects.compileVariant("global_percpu_data", "compat", "-DCOMPAT"));
    }

    static ObjectSpec nativeForm() throws Exception {
        return ObjectSpec.open(BpfObjects.compile("global_percpu_data"));
    }

    @Test
    void compatFormRunsOnEveryCpuAndEachCpuReadsBackWhatMainlineAsserts() throws Exception {
        ObjectSpec object = compatForm();
        try (LoadedObject loaded = LoadedObject.load(object)) {
            runOnEveryCpuAndCheck(loaded, object);
        }
    }

    @Test
    void nativeFormRunsOnEveryCpuWhereTheKernelHasNativeAccessAndIsRefusedNamingProgramVariableAndSectionElsewhere()
            throws Exception {
        ObjectSpec object = nativeForm();
        if (BpfFeatures.probe().nativePercpuGlobals()) {
            try (LoadedObject loaded = LoadedObject.load(object)) {
                runOnEveryCpuAndCheck(loaded, object);
            }
            return;
        }
        assertThatThrownBy(() -> LoadedObject.load(object))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("program 'update_percpu' accesses the .percpu variable 'counts' directly")
                .hasMessageContaining("no direct value access support for this map type")
                .hasMessageContaining("-DBPF_GLOBALS_COMPAT");
    }

    @Test
    void aDirectReferenceToACustomSectionCountsWhereNativeAndIsRefusedNamingItAndItsCompatMapElsewhere()
            throws Exception {
        ObjectSpec object = nativeForm();
        ObjectSpec bumpOnly = object.withPrograms(List.of(object.program("bump_extra").orElseThrow()));
        if (BpfFeatures.probe().nativePercpuGlobals()) {
            assertBumpCountsOnEveryCpu(bumpOnly, BpfFeatures.probe());
            return;
        }
        assertThatThrownBy(() -> LoadedObject.load(bumpOnly))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("program 'bump_extra' accesses the .percpu.extra_counters variable 'extra_runs' directly")
                .hasMessageContaining("map named '__percpu_compat_extra_counters' of its shape (PERCPU_ARRAY, key 4, value 12, 1 entry)")
                .hasMessageNotContaining("externs");
    }

    @Test
    void withNativeAccessADirectReferenceToACustomSectionReachesTheKernelAsAMapValue() throws Exception {
        BpfFeatures probed = BpfFeatures.probe();
        BpfFeatures claimed = probed.claimingNativePercpuGlobals();
        ObjectSpec object = nativeForm();
        ObjectSpec bumpOnly = object.withPrograms(List.of(object.program("bump_extra").orElseThrow()));
        if (probed.nativePercpuGlobals()) {
            assertBumpCountsOnEveryCpu(bumpOnly, claimed);
            return;
        }
        // Told the kernel has native access, the loader emits BPF_PSEUDO_MAP_VALUE on the custom
        // section's own PERCPU_ARRAY; this kernel's verifier then answers as its probe recorded.
        assertThatThrownBy(() -> LoadedObject.load(bumpOnly, claimed))
                .isInstanceOf(dev.bpfglobals.runtime.kernel.BpfException.class)
                .hasMessageContaining("program 'bump_extra'")
                .hasMessageContaining("no direct value access support for this map type");
    }

    /** bump_extra, run once on each online CPU, counts 1 in that CPU's copy of the custom section. */
    private static void assertBumpCountsOnEveryCpu(ObjectSpec bumpOnly, BpfFeatures features) throws Exception {
        try (LoadedObject loaded = LoadedObject.load(bumpOnly, features);
             BpfProgram program = loaded.program("bump_extra")) {
            for (int cpu : onlineCpus()) {
                assertThat(program.testRunOnCpu(new long[] {0}, cpu).returnValue()).isZero();
                ByteBuffer extra = ByteBuffer.wrap(slot(loaded, EXTRA, PossibleCpus.system().slotOf(cpu)))
                        .order(ByteOrder.nativeOrder());
                assertThat(extra.getInt(EXTRA_RUNS)).as("extra_runs on CPU %d", cpu).isEqualTo(1);
            }
        }
    }

    @Test
    void customSectionBecomesAPercpuArrayOfItsOwnNamedAsLibbpfNamesIt() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(compatForm());
             PerCpuArrayMap extra = loaded.percpuMap(EXTRA).orElseThrow();
             PerCpuArrayMap percpu = loaded.percpuMap().orElseThrow()) {

            assertThat(loaded.percpuSections()).containsExactly(PERCPU, EXTRA);
            assertThat(extra.info().type()).contains(MapType.PERCPU_ARRAY);
            assertThat(List.of(extra.info().keySize(), extra.info().valueSize(), extra.info().maxEntries()))
                    .containsExactly(4, 12, 1);
            assertThat(extra.info().name()).isEqualTo(".percpu.extra_c");
            assertThat(percpu.info().name()).isEqualTo(".percpu");
            assertThat(percpu.info().valueSize()).isEqualTo(80);
            assertThat(extra.info().id()).isNotEqualTo(percpu.info().id());
            assertThat(extra.btfLayout().orElseThrow().variables()).extracting(v -> v.name())
                    .containsExactly("stamp", "extra_runs");
            // The full section name survives the kernel's cut, in the map's BTF DATASEC.
            assertThat(extra.btfLayout().orElseThrow().name()).isEqualTo(EXTRA);
        }
    }

    @Test
    void anonymousStructInAPercpuSectionLoadsWithItsBtfAndStaysNameless() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(compatForm());
             PerCpuArrayMap percpu = loaded.percpuMap().orElseThrow()) {
            var record = percpu.btfLayout().orElseThrow().variable("record").orElseThrow();

            assertThat(record.cType()).isEqualTo("struct <anonymous>");
            assertThat(record.size()).isEqualTo(36);
        }
    }

    @ParameterizedTest(name = "per-CPU flags probed: {0}")
    @ValueSource(booleans = {true, false})
    void initialImagesSetBeforeLoadReachEveryCpuOfBothSections(boolean useProbedFlags) throws Exception {
        BpfFeatures features = useProbedFlags ? BpfFeatures.probe() : BpfFeatures.probe().withoutPerCpuFlags();
        ObjectSpec object = withMainlinesInitialValues(compatForm());

        try (LoadedObject loaded = LoadedObject.load(object, features)) {
            int count = PossibleCpus.system().count();
            byte[] percpu = object.globalSection(PERCPU).orElseThrow().initialImage();
            byte[] extra = object.globalSection(EXTRA).orElseThrow().initialImage();
            for (int slot = 0; slot < count; slot++) {
                assertThat(slot(loaded, PERCPU, slot)).as(".percpu, slot %d", slot).isEqualTo(percpu);
                assertThat(slot(loaded, EXTRA, slot)).as(".percpu.extra_counters, slot %d", slot).isEqualTo(extra);
            }
        }
    }

    @Test
    void initialImagesAreReadableAfterLoadButNeverWritable() throws Exception {
        ObjectSpec object = withMainlinesInitialValues(compatForm());
        try (LoadedObject loaded = LoadedObject.load(object);
             PerCpuArrayMap percpuMap = loaded.percpuMap(PERCPU).orElseThrow();
             PerCpuArrayMap extraMap = loaded.percpuMap(EXTRA).orElseThrow()) {
            MemorySegment percpu = percpuMap.initialImage().orElseThrow();
            MemorySegment extra = extraMap.initialImage().orElseThrow();

            assertThat(percpu.get(ValueLayout.JAVA_INT, VALUE)).isEqualTo(2);
            assertThat(extra.get(ValueLayout.JAVA_LONG, STAMP)).isEqualTo(100);
            assertThat(percpu.isReadOnly()).isTrue();
            assertThat(extra.isReadOnly()).isTrue();
            assertThatThrownBy(() -> percpu.set(ValueLayout.JAVA_INT, VALUE, 3)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> extra.set(ValueLayout.JAVA_LONG, STAMP, 3)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Mainline's init subtest sets data 2, nums[6] -1, struct_data.i 2, struct_data.nums[6] -1; ours adds a stamp of 100. */
    static ObjectSpec withMainlinesInitialValues(ObjectSpec object) {
        ByteBuffer percpu = ByteBuffer.wrap(object.globalSection(PERCPU).orElseThrow().initialImage()).order(ByteOrder.nativeOrder());
        percpu.putInt(VALUE, 2).putInt(COUNTS_6, -1).putInt(RECORD_I, 2).putInt(RECORD_NUMS_6, -1);
        ByteBuffer extra = ByteBuffer.wrap(object.globalSection(EXTRA).orElseThrow().initialImage()).order(ByteOrder.nativeOrder());
        extra.putLong(STAMP, 100);
        return object.withGlobalImage(PERCPU, percpu.array()).withGlobalImage(EXTRA, extra.array());
    }

    /**
     * Mainline's check, per online CPU in order: run once there, then that CPU's copy holds the
     * program's values and the shared {@code .bss} counter has counted every run so far. We also
     * check that CPUs not run yet still hold the initial image, and the custom section.
     */
    static void runOnEveryCpuAndCheck(LoadedObject loaded, ObjectSpec object) throws Exception {
        PossibleCpus possible = PossibleCpus.system();
        byte[] percpuImage = object.globalSection(PERCPU).orElseThrow().initialImage();
        byte[] extraImage = object.globalSection(EXTRA).orElseThrow().initialImage();
        long stamp = ByteBuffer.wrap(extraImage).order(ByteOrder.nativeOrder()).getLong(STAMP);
        List<Integer> online = onlineCpus();
        int run = 0;
        try (BpfProgram program = loaded.program("update_percpu")) {
            for (int cpu : online) {
                assertThat(program.testRunOnCpu(new long[] {0x1234, 0x5678}, cpu).returnValue()).as("return value on CPU %d", cpu).isZero();
                run++;
                ByteBuffer data = ByteBuffer.wrap(slot(loaded, PERCPU, possible.slotOf(cpu))).order(ByteOrder.nativeOrder());
                ByteBuffer extra = ByteBuffer.wrap(slot(loaded, EXTRA, possible.slotOf(cpu))).order(ByteOrder.nativeOrder());

                assertThat(loaded.globalData(".bss").get(ValueLayout.JAVA_INT, 0)).as("runs").isEqualTo(run);
                assertThat(data.getInt(CPU_SEEN)).as("cpu_seen[0] on CPU %d", cpu).isEqualTo(cpu);
                assertThat(data.getInt(VALUE)).as("value on CPU %d", cpu).isEqualTo(1);
                assertThat(data.get(FLAG)).as("flag on CPU %d", cpu).isEqualTo((byte) 1);
                assertThat(new String(data.array(), LABEL, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ran");
                assertThat(data.getInt(COUNTS_6)).as("counts[6] on CPU %d", cpu).isEqualTo(0xc0de);
                assertThat(data.getInt(RECORD_I)).as("record.i on CPU %d", cpu).isEqualTo(1);
                assertThat(data.get(RECORD_SET)).as("record.set on CPU %d", cpu).isEqualTo((byte) 1);
                assertThat(data.getInt(RECORD_NUMS_6)).as("record.nums[6] on CPU %d", cpu).isEqualTo(0xc0de);
                assertThat(extra.getLong(STAMP)).as("stamp on CPU %d", cpu).isEqualTo(stamp + 2);
                assertThat(extra.getInt(EXTRA_RUNS)).as("extra_runs on CPU %d", cpu).isEqualTo(1);
                for (int later : online.subList(online.indexOf(cpu) + 1, online.size())) {
                    assertThat(slot(loaded, PERCPU, possible.slotOf(later))).as("CPU %d, not run yet", later).isEqualTo(percpuImage);
                    assertThat(slot(loaded, EXTRA, possible.slotOf(later))).as("CPU %d, not run yet", later).isEqualTo(extraImage);
                }
            }
        }
        assertThat(run).isEqualTo(online.size());
    }

    /**
     * One possible CPU's copy of a per-CPU section, as mainline's selftest reads it: with
     * {@code BPF_F_CPU} where the kernel has it (7.3), else from one lookup of every CPU.
     */
    static byte[] slot(LoadedObject loaded, String section, int slot) {
        try (PerCpuArrayMap map = loaded.percpuMap(section).orElseThrow();
             Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(map.info().valueSize(), 8);
            map.lookupCpu(PossibleCpus.system().cpuAt(slot), value, BpfFeatures.probe());
            return value.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** The kernel runs a test only on an online CPU (ENXIO otherwise), as mainline's test reads them. */
    static List<Integer> onlineCpus() throws Exception {
        return PossibleCpus.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")).strip()).ids();
    }
}
