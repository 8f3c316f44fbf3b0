package dev.bpfglobals.skeleton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.skeleton.testing.Bpftool;
import dev.bpfglobals.skeleton.testing.GeneratedSkeletons;
import dev.bpfglobals.skeleton.testing.SameValues;
import dev.bpfglobals.skeleton.testing.Selftests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Skeletons of objects nobody here wrote: mainline's selftests test_global_data, test_skeleton and
 * test_global_percpu_data (7.3's sources, built at test time), generated, compiled with javac,
 * loaded into the real kernel through their typed API (the drivers in src/test/drivers/selftest),
 * and compared value by value with what bpftool (libbpf's map calls and BTF dumper) reads from the
 * same maps.
 */
@RequiresBpf
class SelftestSkeletonTest {

    private static GeneratedSkeletons skeletons;

    @BeforeAll
    static void generate() throws Exception {
        // test_skeleton as mainline has it, with its 16 MiB .bss array huge_arr.
        skeletons = GeneratedSkeletons.build("selftest", Selftests.compile("test_global_data"), Selftests.compile("test_skeleton"),
                Selftests.compile("test_global_percpu_data"));
    }

    @Test
    void testGlobalDataReadsWhatTheProgramStoredAndWhatBpftoolReads() throws Exception {
        Map<String, Object> read = skeletons.run("selftest.GlobalDataDriver");
        try (AutoCloseable open = (AutoCloseable) read.get("skeleton")) {
            // prog_tests/global_data.c's expectations
            assertThat(read.get("result_number/1")).isEqualTo(42L);
            assertThat(read.get("result_number/4")).isEqualTo(0xffeeffL);
            assertThat(read.get("result_number/6")).isEqualTo(1234L);
            assertThat(read.get("result_number/9")).isEqualTo(0x1111111111111111L);
            assertThat(read.get("result_number/10")).isEqualTo(-1L);
            assertThat(read.get("num4")).isEqualTo(1234L);
            assertThat(read.get("struct0.c")).isEqualTo(0x1111111111111111L);
            for (String map : List.of("result_number", "result_string", "result_struct")) {
                for (Map<String, Object> entry : Bpftool.dump((Integer) read.get("id/" + map))) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> formatted = (Map<String, Object>) entry.get("formatted");
                    String key = map + "/" + formatted.get("key");
                    assertThat(read).as("the skeleton read %s", key).containsKey(key);
                    SameValues.assertSame(key, read.get(key), formatted.get("value"));
                }
            }
            for (String section : List.of(".data", ".bss", ".rodata")) {
                SameValues.assertSame(section, read.get(section), Bpftool.sectionVariables((Integer) read.get("id/" + section), section));
            }
        }
    }

    @Test
    void testSkeletonSetsGlobalsBeforeLoadAndReadsWhatTheHandlerCopied() throws Exception {
        Map<String, Object> read = skeletons.run("selftest.SkeletonDriver");
        try (AutoCloseable open = (AutoCloseable) read.get("skeleton")) {
            assertThat(read.get(".data").toString()).contains("out1=1", "out2=2");
            assertThat(read.get(".bss").toString()).contains("out3=3", "out4=4", "out6=7", "bpfSyscall=true");
            assertThat(read.get("out5").toString()).isEqualTo("S[a=5, b=6]");
            assertThat(read.get(".data.dyn").toString()).contains("outDynarr=[I@");
            for (String section : List.of(".data", ".bss", ".rodata", ".data.dyn", ".data.read_mostly", ".data.non_mmapable")) {
                SameValues.assertSame(section, read.get(section), Bpftool.sectionVariables((Integer) read.get("id/" + section), section));
            }
        }
    }

    @Test
    void testGlobalPercpuDataReadsEveryCpuAsBpftoolDoes() throws Exception {
        if (!KernelExpectations.has(KernelExpectations.Feature.NATIVE)) {
            // Its programs address .percpu directly, which only a kernel with global per-CPU data verifies.
            assertThatThrownBy(() -> skeletons.run("selftest.GlobalPercpuDataDriver"))
                    .hasMessageContaining("accesses the .percpu variable").hasMessageNotContaining("\n");
            return;
        }
        Map<String, Object> read = skeletons.run("selftest.GlobalPercpuDataDriver");
        try (AutoCloseable open = (AutoCloseable) read.get("skeleton")) {
            int cpu = (Integer) read.get("cpu");
            assertThat(read.get("percpu/" + cpu).toString()).contains("data=1", "set=true");
            for (Map<String, Object> entry : Bpftool.dump((Integer) read.get("id/.percpu"))) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> values = (List<Map<String, Object>>) ((Map<String, Object>) entry.get("formatted")).get("values");
                for (Map<String, Object> value : values) {
                    Object onCpu = value.get("cpu");
                    String path = "percpu/" + onCpu;
                    @SuppressWarnings("unchecked")
                    Map<String, Object> section = (Map<String, Object>) value.get("value");
                    Map<String, Object> variables = new java.util.LinkedHashMap<>();
                    for (Object variable : (List<?>) section.get(".percpu")) {
                        variables.putAll((Map<String, Object>) variable);
                    }
                    SameValues.assertSame(path, read.get(path), variables);
                }
            }
        }
    }
}
