package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Typed {@code __ksym} variables, resolved as libbpf resolves them: by the VAR of their name in the
 * kernel's BTF, whose id the {@code ld_imm64} carries, so the verifier knows the pointer's type.
 * The per-CPU {@code runqueues} read through {@code bpf_this_cpu_ptr} and {@code bpf_per_cpu_ptr}
 * is the struct rq of the CPU asked for; a variable the kernel lacks, or declares with another
 * type, is refused naming it.
 */
@RequiresBpf
class TypedKsymsTest {

    /**
     * Where the kernel lists its variables in kallsyms (CONFIG_KALLSYMS_ALL, as Debian's 6.1 and 7.3)
     * the program reads them; where not (the 6.18 host) the kernel could not place them, and the
     * loader says so before the kernel does.
     */
    @Test
    void aPerCpuKernelVariableIsReadThroughItsBtfIdOnTheCpuAskedFor() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("typed_ksyms"));
        List<Integer> cpus = PossibleCpus.system().ids();
        int runOn = cpus.get(0);
        int asked = cpus.get(cpus.size() - 1);
        if (!KernelExpectations.has(Feature.KSYM)) {
            assertThatThrownBy(() -> LoadedObject.load(object))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("program 'read_runqueues' refers to typed __ksym 'runqueues', which the kernel's BTF types but "
                            + "/proc/kallsyms does not list, and the kernel finds a typed ksym's address there by name: this "
                            + "kernel lists variables only with CONFIG_KALLSYMS_ALL (libbpf's load fails here too, with ENOENT); "
                            + "use a kernel built with CONFIG_KALLSYMS_ALL=y, or declare it __weak to load with it NULL");
            return;
        }
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("read_runqueues")) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            GlobalView data = GlobalView.of(object, loaded, ".data"); // the results start at -1
            bss.setInt("asked_cpu", asked);

            program.testRunOnCpu(new long[0], runOn);

            assertThat(data.getInt("this_rq_cpu")).as("bpf_this_cpu_ptr(&runqueues)->cpu").isEqualTo(runOn);
            assertThat(data.getInt("asked_rq_cpu")).as("bpf_per_cpu_ptr(&runqueues, %d)->cpu", asked).isEqualTo(asked);
            assertThat(data.getInt("prog_active")).as("bpf_prog_active, a per-CPU nesting count").isBetween(0, 16);
        }
    }

    @Test
    void aTypedKsymTheKernelLacksIsRefusedNamingItAndTheWayOut() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("typed_ksyms"))
                .withAutoload("read_runqueues", false).withAutoload("read_missing", true);

        assertThatThrownBy(() -> LoadedObject.load(object))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("program 'read_missing' refers to typed __ksym 'no_such_kernel_variable', but the kernel's BTF "
                        + "(/sys/kernel/btf/vmlinux) has no VAR 'no_such_kernel_variable'" + modulesSearched()
                        + "; declare it __weak to load without it (it is then NULL)");
    }

    @Test
    void aTypedKsymDeclaredWithAnotherTypeThanTheKernelsIsRefusedNamingBoth() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("typed_ksyms"))
                .withAutoload("read_runqueues", false).withAutoload("read_mistyped", true);

        assertThatThrownBy(() -> LoadedObject.load(object))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("program 'read_mistyped' refers to typed __ksym 'cpuhp_state' declared as __s32, which is "
                        + "not compatible with the kernel's VAR 'cpuhp_state' (BTF id ")
                .hasMessageEndingWith(", of type struct cpuhp_cpu_state); declare it with the kernel's type, e.g. from a vmlinux.h "
                        + "of this kernel");
    }

    /** How the refusal of a symbol missing from vmlinux names the modules also searched. */
    private static String modulesSearched() throws java.io.IOException {
        java.util.List<String> modules = dev.bpfglobals.runtime.testing.KernelFiles.btfModules();
        return modules.isEmpty() ? ", and this kernel exposes no module BTF in /sys/kernel/btf (a symbol only a module "
                + "defines is found once that module is loaded)" : ", nor has any loaded module's (" + modules + ")";
    }
}
