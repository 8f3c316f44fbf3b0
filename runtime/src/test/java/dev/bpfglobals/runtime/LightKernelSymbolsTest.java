package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.Syscalls;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kernel symbols a light load's programs name by BTF id: kfunc calls and typed {@code __ksym}
 * variables, whose ids the loader program finds by name when it runs
 * ({@code bpf_btf_find_by_name_kind}), as gen_loader does. Each is held against the normal load of
 * the same object; typeless {@code __ksym}s are refused by name.
 */
@RequiresBpf
class LightKernelSymbolsTest {

    @Test
    void kfuncsAreCalledAsAfterTheNormalLoadWhereTheKernelHasThemAndSkippedByTheirGuardWhereNot() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("kfuncs"));
        KernelSideView normal;
        try (LoadedObject loaded = LoadedObject.load(object)) {
            normal = KernelSideView.of(loaded, object);
        }
        try (LoadedObject light = object.loadLight(LoadOptions.defaults())) {
            assertThat(KernelSideView.of(light, object)).isEqualTo(normal);
            GlobalView bss = GlobalView.of(object, light, ".bss");
            GlobalView data = GlobalView.of(object, light, ".data");
            bss.setInt("target_tgid", (int) ProcessHandle.current().pid());
            try (Link link = light.attach("acquire_current")) {
                Syscalls.getpid();
            }
            if (KernelExpectations.has(Feature.KFUNC)) {
                assertThat(data.getInt("has_kfuncs")).as("bpf_ksym_exists of both kfuncs").isEqualTo(1);
                assertThat(data.getInt("acquired_tgid")).as("bpf_task_acquire(current)->tgid")
                        .isEqualTo((int) ProcessHandle.current().pid());
            } else {
                assertThat(data.getInt("has_kfuncs")).as("bpf_ksym_exists where the kernel lacks them").isZero();
            }
        }
    }

    @Test
    void aStrongKfuncTheKernelLacksIsRefusedAsTheNormalLoadRefusesIt() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("kfuncs"))
                .withAutoload("acquire_current", false).withAutoload("call_missing", true);
        String normal = refusal(() -> LoadedObject.load(object).close());
        assertThatThrownBy(() -> object.loadLight(LoadOptions.defaults()).close()).hasMessage(normal);
    }

    @Test
    void aPerCpuKernelVariableIsReadThroughTheIdTheLoaderFoundWhereTheLegListsVariables() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("typed_ksyms"));
        if (!KernelExpectations.has(Feature.KSYM)) {
            String normal = refusal(() -> LoadedObject.load(object).close());
            assertThatThrownBy(() -> object.loadLight(LoadOptions.defaults()).close()).hasMessage(normal);
            return;
        }
        List<Integer> cpus = PossibleCpus.system().ids();
        int runOn = cpus.get(0);
        int asked = cpus.get(cpus.size() - 1);
        KernelSideView normal;
        try (LoadedObject loaded = LoadedObject.load(object)) {
            normal = KernelSideView.of(loaded, object);
        }
        try (LoadedObject light = object.loadLight(LoadOptions.defaults()); BpfProgram program = light.program("read_runqueues")) {
            assertThat(KernelSideView.of(light, object)).isEqualTo(normal);
            GlobalView.of(object, light, ".bss").setInt("asked_cpu", asked);
            program.testRunOnCpu(new long[0], runOn);
            GlobalView data = GlobalView.of(object, light, ".data");
            assertThat(data.getInt("this_rq_cpu")).as("bpf_this_cpu_ptr(&runqueues)->cpu").isEqualTo(runOn);
            assertThat(data.getInt("asked_rq_cpu")).as("bpf_per_cpu_ptr(&runqueues, %d)->cpu", asked).isEqualTo(asked);
        }
    }

    @Test
    void typelessKsymsAreRefusedNamingTheFeature() throws Exception {
        assertThatThrownBy(() -> ObjectSpec.open(BpfObjects.compile("ksyms")).loadLight(LoadOptions.defaults()))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("the light loader does not support typeless __ksym externs (gen_loader's "
                        + "bpf_kallsyms_lookup_name) yet (").hasMessageEndingWith("); load the object with LoadedObject.load")
                .hasMessageNotContaining("bpf_prog_active"); // the typed one of the object is not what is refused
    }

    private static String refusal(Runnable load) {
        try {
            load.run();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        throw new AssertionError("the normal load was not refused");
    }
}
