package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.attach.Link;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.Syscalls;
import org.junit.jupiter.api.Test;

/**
 * kfunc calls, resolved as libbpf resolves them: the call carries the kernel FUNC's BTF id
 * ({@code BPF_PSEUDO_KFUNC_CALL}); a {@code __weak} kfunc the kernel lacks is 0 to
 * {@code bpf_ksym_exists} and its calls are poisoned, so the program still loads where the guard
 * keeps them dead (kernel 6.1 has no {@code bpf_task_acquire}; 6.2 and later have it).
 */
@RequiresBpf
class KfuncsTest {

    @Test
    void weakKfuncsAreCalledWhereTheKernelHasThemAndSkippedByTheirGuardWhereNot() throws Exception {
        boolean kernelHasThem = KernelExpectations.has(Feature.KFUNC);
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("kfuncs"));
        try (LoadedObject loaded = LoadedObject.load(object)) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            GlobalView data = GlobalView.of(object, loaded, ".data");
            bss.setInt("target_tgid", (int) ProcessHandle.current().pid());
            try (Link link = loaded.attach("acquire_current")) {
                Syscalls.getpid();
            }

            if (kernelHasThem) {
                assertThat(data.getInt("has_kfuncs")).as("bpf_ksym_exists of both kfuncs").isEqualTo(1);
                assertThat(data.getInt("acquired_tgid")).as("bpf_task_acquire(current)->tgid")
                        .isEqualTo((int) ProcessHandle.current().pid());
            } else {
                assertThat(data.getInt("has_kfuncs")).as("bpf_ksym_exists where the kernel lacks them").isZero();
                assertThat(data.getInt("acquired_tgid")).isEqualTo(-1);
            }
        }
    }

    @Test
    void aStrongKfuncTheKernelLacksIsRefusedNamingItAndTheWayOut() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("kfuncs"))
                .withAutoload("acquire_current", false).withAutoload("call_missing", true);

        assertThatThrownBy(() -> LoadedObject.load(object))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("program 'call_missing' refers to __ksym function (kfunc) 'bpf_no_such_kfunc', but the kernel's BTF "
                        + "(/sys/kernel/btf/vmlinux) has no FUNC 'bpf_no_such_kfunc' (kfuncs come and go between kernels; this "
                        + "one lacks it)" + modulesSearched() + "; declare it "
                        + "__weak to load without it and guard the call with bpf_ksym_exists()");
    }

    @Test
    void anUnguardedCallOfAWeakKfuncTheKernelLacksIsRefusedNamingTheGuard() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("kfuncs"))
                .withAutoload("acquire_current", false).withAutoload("call_missing_weak", true);

        assertThatThrownBy(() -> LoadedObject.load(object))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("program 'call_missing_weak' calls __weak kfunc 'bpf_no_such_weak_kfunc', which this kernel lacks, "
                        + "on a path the verifier cannot rule out (the call was poisoned, as libbpf poisons it); guard it with "
                        + "if (bpf_ksym_exists(bpf_no_such_weak_kfunc)) so the verifier sees it dead here");
    }

    /** How the refusal of a symbol missing from vmlinux names the modules also searched. */
    private static String modulesSearched() throws java.io.IOException {
        java.util.List<String> modules = dev.bpfglobals.runtime.testing.KernelFiles.btfModules();
        return modules.isEmpty() ? ", and this kernel exposes no module BTF in /sys/kernel/btf (a symbol only a module "
                + "defines is found once that module is loaded)" : ", nor has any loaded module's (" + modules + ")";
    }
}
