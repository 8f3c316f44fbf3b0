package dev.bpfglobals.skeleton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadOptions;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.ProgramSpec;
import dev.bpfglobals.runtime.kernel.ProgramInfo;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.skeleton.testing.GeneratedSkeletons;
import dev.bpfglobals.skeleton.testing.Selftests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mainline's test_global_percpu_data (7.3's sources) with its skeleton generated as
 * {@code gen skeleton --light} makes it: {@code load()} goes through the light loader, and the
 * program then counts on the CPU it ran on while every other CPU keeps the initial image, as
 * through the normal load. Where the kernel has no native {@code .percpu} access, the light load is
 * refused with the normal load's line. Every program loads light, its iterator
 * ({@code iter/bpf_map_elem}: CO-RE relocations the kernel applies, an attach id the loader finds)
 * included, and the kernel holds the same programs with the same per-CPU values as after a normal load.
 */
@RequiresBpf
class LightSelftestSkeletonTest {

    private static Path object;
    private static GeneratedSkeletons skeletons;

    @BeforeAll
    static void generate() throws Exception {
        object = Selftests.compile("test_global_percpu_data");
        skeletons = GeneratedSkeletons.build("lightselftest", true, object);
    }

    @Test
    void everyProgramLoadsLightAsTheNormalLoadMakesItAndRunsToTheSamePerCpuValues() throws Exception {
        if (!KernelExpectations.has(KernelExpectations.Feature.NATIVE)) {
            return; // the normal load refuses the object there (the test below holds the light load to that)
        }
        ObjectSpec spec = ObjectSpec.open(object);
        int cpu = PossibleCpus.system().cpuAt(PossibleCpus.system().count() - 1);
        Map<String, String> normal;
        try (LoadedObject loaded = LoadedObject.load(spec)) {
            normal = programsAndPercpuAfterARun(loaded, spec, cpu);
        }
        try (LoadedObject light = spec.loadLight(LoadOptions.defaults())) {
            Map<String, String> view = programsAndPercpuAfterARun(light, spec, cpu);
            assertThat(view.keySet()).contains("program dump_percpu_data", "program update_percpu_data");
            assertThat(view).isEqualTo(normal);
        }
    }

    @Test
    void theIteratorSumsTheValueTheLightLoaderWroteToEveryCpu() throws Exception {
        if (!KernelExpectations.has(KernelExpectations.Feature.NATIVE) || !KernelExpectations.has(KernelExpectations.Feature.MAP_ITER)) {
            return; // needs native .percpu access (the object) and map element iterators (the subtest)
        }
        Map<String, Object> read = skeletons.run("lightselftest.LightGlobalPercpuDataIterDriver");
        try (AutoCloseable open = (AutoCloseable) read.get("skeleton")) {
            assertThat(read.get("runIter")).isEqualTo(true);
            assertThat(read.get("sum")).as("0xc0de times " + read.get("cpus") + " CPUs").isEqualTo(0xc0de * (Integer) read.get("cpus"));
        }
    }

    /**
     * The kernel's facts of each loaded program (type, BTF, func and line info, translated length),
     * then every CPU's .percpu bytes after update_percpu_data ran once on {@code cpu}.
     */
    private static Map<String, String> programsAndPercpuAfterARun(LoadedObject loaded, ObjectSpec spec, int cpu) {
        Map<String, String> out = new TreeMap<>();
        for (ProgramSpec program : spec.programs()) {
            if (program.autoload()) {
                try (BpfProgram loadedProgram = loaded.program(program.name())) {
                    ProgramInfo info = loadedProgram.info();
                    out.put("program " + program.name(), "type " + info.kernelType() + ", btf " + (info.btfId() != 0)
                            + ", func_info " + info.funcInfoCount() + ", line_info " + info.lineInfoCount() + ", "
                            + info.xlatedLength() + " translated bytes");
                }
            }
        }
        try (BpfProgram update = loaded.program("update_percpu_data"); BpfMap percpu = loaded.map(".percpu")) {
            update.testRunOnCpu(new long[0], cpu);
            out.put(".percpu after a run on CPU " + cpu, HexFormat.of().formatHex(percpu.lookup(0)));
        }
        return out;
    }

    @Test
    void theGeneratedLoadGoesThroughTheLightLoader() throws Exception {
        String source = Files.readString(Path.of("target/skeletons/lightselftest/src/lightselftest/TestGlobalPercpuData.java"));
        assertThat(source).contains("with.loadLight(LoadOptions.defaults())", "with.loadLight(options)")
                .doesNotContain("LoadedObject.load(");
    }

    @Test
    void testGlobalPercpuDataLoadsLightWhereNativeAndIsRefusedAsTheNormalLoadRefusesItElsewhere() throws Exception {
        if (!KernelExpectations.has(KernelExpectations.Feature.NATIVE)) {
            String normal;
            try {
                LoadedObject.load(ObjectSpec.open(object)).close();
                throw new AssertionError("the normal load took test_global_percpu_data without native .percpu access");
            } catch (IllegalStateException e) {
                normal = e.getMessage();
            }
            assertThat(normal).contains("accesses the .percpu variable").doesNotContain("\n");
            assertThatThrownBy(() -> skeletons.run("lightselftest.LightGlobalPercpuDataDriver")).hasMessage(normal);
            return;
        }
        Map<String, Object> read = skeletons.run("lightselftest.LightGlobalPercpuDataDriver");
        try (AutoCloseable open = (AutoCloseable) read.get("skeleton")) {
            int cpu = (Integer) read.get("cpu");
            assertThat(cpu).as("the CPU the program ran on").isNotNegative();
            for (Map.Entry<String, Object> entry : read.entrySet()) {
                if (entry.getKey().startsWith("percpu/")) {
                    String expected = entry.getKey().equals("percpu/" + cpu) ? "data=1" : "data=-1";
                    assertThat(entry.getValue().toString()).as(entry.getKey()).contains(expected);
                }
            }
        }
    }
}
