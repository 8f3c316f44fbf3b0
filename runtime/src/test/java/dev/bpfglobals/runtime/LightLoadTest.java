package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.internal.light.LightMap;
import dev.bpfglobals.runtime.internal.light.LoaderBuilder;
import dev.bpfglobals.runtime.internal.light.LoaderProgram;
import dev.bpfglobals.runtime.internal.light.LoaderStep;
import dev.bpfglobals.runtime.internal.loader.LightPlanner;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A whole object loaded through the light loader ({@link ObjectSpec#loadLight}): the kernel holds
 * the same maps as after a normal load, the programs the same instructions, and every CPU's copy of
 * the per-CPU sections starts from the initial image and then holds what mainline's selftest
 * asserts. The per-CPU fill takes {@code BPF_F_ALL_CPUS} exactly on legs that state it.
 */
@RequiresBpf
class LightLoadTest {

    @Test
    void aCompatPercpuObjectLoadsLightAsTheNormalLoadMakesItAndEveryCpuCounts() throws Exception {
        ObjectSpec object = GlobalPercpuDataTest.compatForm();
        KernelSideView normal;
        try (LoadedObject loaded = LoadedObject.load(object)) {
            normal = KernelSideView.of(loaded, object);
        }
        try (LoadedObject light = object.loadLight(LoadOptions.defaults())) {
            KernelSideView view = KernelSideView.of(light, object);
            assertThat(view.maps()).isEqualTo(normal.maps());
            // Programs too: type, BTF, func and line info counts, translated length.
            assertThat(view.programs()).isEqualTo(normal.programs());
            assertThat(light.mapNames()).containsExactlyElementsOf(normalNames(object));
            GlobalPercpuDataTest.runOnEveryCpuAndCheck(light, object);
        }
    }

    @Test
    void twoSectionsWhoseKernelNamesAreTheSameKeepTheirOwnValues() throws Exception {
        // ".data.counters_first" and ".data.counters_second" are both ".data.counters_" in the kernel.
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("long_sections"));
        try (LoadedObject light = object.loadLight(LoadOptions.defaults());
             BpfProgram program = light.program("add_both")) {
            program.testRun(new byte[64], 1, 0);
            assertThat(GlobalView.of(object, light, ".data.counters_first").getLong("first")).isEqualTo(11);
            assertThat(GlobalView.of(object, light, ".data.counters_second").getLong("second")).isEqualTo(22);
        }
    }

    @Test
    void theNativeFormLoadsLightWhereTheLegHasNativePercpuAndIsRefusedAsTheNormalLoadRefusesItElsewhere() throws Exception {
        ObjectSpec object = GlobalPercpuDataTest.nativeForm();
        if (KernelExpectations.has(KernelExpectations.Feature.NATIVE)) {
            try (LoadedObject light = object.loadLight(LoadOptions.defaults())) {
                GlobalPercpuDataTest.runOnEveryCpuAndCheck(light, object);
            }
            return;
        }
        String normal = refusal(() -> LoadedObject.load(object).close());
        assertThat(normal).contains("program 'update_percpu' accesses the .percpu variable 'counts' directly");
        assertThatThrownBy(() -> object.loadLight(LoadOptions.defaults()).close())
                .isInstanceOf(IllegalStateException.class).hasMessage(normal);
    }

    @Test
    void thePerCpuFillUsesAllCpusExactlyWhereTheLegStatesIt() throws Exception {
        LightPlanner.Planned planned = LightLoads.plan(GlobalPercpuDataTest.compatForm(), LoadOptions.defaults());
        LoaderProgram loader = LoaderBuilder.build(planned.plan());
        List<String> percpu = planned.plan().maps().stream().filter(LightMap::perCpu).map(LightMap::name).toList();
        assertThat(percpu).containsExactly(".percpu", ".percpu.extra_c");
        List<LoaderStep> fills = loader.steps(LoaderStep.Kind.MAP_UPDATE).stream().filter(s -> percpu.contains(s.subject())).toList();
        assertThat(fills).hasSize(2);
        long expected = KernelExpectations.has(KernelExpectations.Feature.ALL_CPUS) ? 16 : 0;
        assertThat(fills).allSatisfy(step -> assertThat(step.updateFlags()).as(step.describe()).isEqualTo(expected));
    }

    @Test
    void whatTheLightLoaderCannotDoYetIsRefusedNamingTheFeature() throws Exception {
        assertThatThrownBy(() -> ObjectSpec.open(BpfObjects.compile("map_in_map")).loadLight(LoadOptions.defaults()))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("the light loader does not support maps of maps and initial .values slots yet (map '");
        assertThatThrownBy(() -> ObjectSpec.open(BpfObjects.compile("ksyms")).loadLight(LoadOptions.defaults()))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("the light loader does not support typeless __ksym externs");
    }

    private static List<String> normalNames(ObjectSpec object) {
        try (LoadedObject loaded = LoadedObject.load(object)) {
            return loaded.mapNames();
        }
    }

    private static String refusal(Runnable load) {
        try {
            load.run();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        throw new AssertionError("the normal load did not refuse the native form");
    }
}
