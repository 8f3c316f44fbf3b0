package dev.bpfglobals.skeleton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.LoadOptions;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.skeleton.testing.GeneratedSkeletons;
import dev.bpfglobals.skeleton.testing.Selftests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mainline's test_global_percpu_data (7.3's sources) with its skeleton generated as
 * {@code gen skeleton --light} makes it: {@code load()} goes through the light loader, and the
 * program then counts on the CPU it ran on while every other CPU keeps the initial image, as
 * through the normal load. Where the kernel has no native {@code .percpu} access, the light load is
 * refused with the normal load's line. Its iterator program ({@code iter/bpf_map_elem}, CO-RE
 * against the running kernel) is one the light loader refuses yet: the driver leaves it out.
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
        assertThatThrownBy(() -> ObjectSpec.open(object).loadLight(LoadOptions.defaults()))
                .isInstanceOf(UnsupportedOperationException.class).hasMessage("the light loader does not support CO-RE relocations"
                        + " against the running kernel yet (program 'dump_percpu_data'); load the object with LoadedObject.load");
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
