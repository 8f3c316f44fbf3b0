package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.ProgramSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.Securityfs;
import dev.bpfglobals.runtime.testing.Syscalls;
import org.junit.jupiter.api.Test;

/**
 * TRACING programs ({@code tp_btf/}, {@code fentry/}, {@code fexit/}, {@code fmod_ret/}) load with
 * their expected attach type and the vmlinux BTF id of their target, attach, count this process's
 * real getpgid calls into .bss, and stop once their links close.
 */
class TracingAttachTest {

    @Test
    void tracingSectionsAreTracingPrograms() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("tracing"));

        assertThat(object.programs()).extracting(ProgramSpec::type).containsOnly(ProgramType.TRACING);
        assertThat(LoadedObject.SUPPORTED).contains(ProgramType.TRACING);
    }

    @Test
    @RequiresBpf
    void aBtfTracepointCountsThisProcessesGetpgidCallsUntilItsLinkCloses() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("tracing"));
        try (LoadedObject loaded = LoadedObject.load(object)) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setInt("target_tgid", (int) ProcessHandle.current().pid());
            try (Link link = loaded.attach("on_sys_enter")) {
                for (int i = 0; i < 4; i++) {
                    assertThat(Syscalls.getpgid()).as("getpgid succeeds (0 where the process group is init's)").isNotNegative();
                }
                assertThat(bss.getLong("btf_enters")).isEqualTo(4);
            }
            Syscalls.getpgid();
            assertThat(bss.getLong("btf_enters")).as("no count after the link closed").isEqualTo(4);
        }
    }

    /**
     * Where the leg's kernel is stated to run BPF trampolines ({@code fentry}: the 6.1 and 7.3 VMs),
     * fentry, fexit and fmod_ret count the calls exactly; elsewhere (this project's 6.18 host answers
     * EPERM, to libbpf too) the load is refused naming the cause, with lockdown named exactly where
     * the kernel's own lockdown file says it is active.
     */
    @Test
    @RequiresBpf
    void fentryFexitAndFmodRetCountThisProcessesGetpgidCallsUntilTheirLinksCloseOrTheRefusalNamesTheCause() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("tracing")).withAutoload("on_getpgid", true)
                .withAutoload("on_getpgid_exit", true).withAutoload("on_task_getpgid", true);
        if (!KernelExpectations.has(Feature.FENTRY)) {
            String lockdown = Securityfs.lockdownMode();
            var refusal = assertThatThrownBy(() -> LoadedObject.load(object).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("program 'on_getpgid' in section '?fentry/__x64_sys_getpgid' was refused with EPERM")
                    .hasMessageContaining("use tp_btf/, tp/ or raw_tp/");
            if (lockdown.isEmpty() || lockdown.equals("none")) {
                refusal.hasMessageContaining("a security module (LSM) refuses BPF trampolines here")
                        .hasMessageNotContaining("boot with lockdown=none");
            } else {
                refusal.hasMessageContaining("kernel lockdown is '" + lockdown + "' (/sys/kernel/security/lockdown)");
            }
            return;
        }
        try (LoadedObject loaded = LoadedObject.load(object)) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setInt("target_tgid", (int) ProcessHandle.current().pid());
            try (Link entry = loaded.attach("on_getpgid");
                 Link exit = loaded.attach("on_getpgid_exit");
                 Link modRet = loaded.attach("on_task_getpgid")) {
                for (int i = 0; i < 4; i++) {
                    assertThat(Syscalls.getpgid()).as("getpgid succeeds (0 where the process group is init's)").isNotNegative();
                }
                assertThat(bss.getLong("fentries")).isEqualTo(4);
                assertThat(bss.getLong("fexits")).isEqualTo(4);
                assertThat(bss.getLong("fexit_results_ok")).isEqualTo(4);
                assertThat(bss.getLong("fmod_rets")).isEqualTo(4);
            }
            Syscalls.getpgid();
            assertThat(bss.getLong("fentries")).as("no count after the link closed").isEqualTo(4);
            assertThat(bss.getLong("fexits")).isEqualTo(4);
            assertThat(bss.getLong("fmod_rets")).isEqualTo(4);
        }
    }

    @Test
    @RequiresBpf
    void aTracingProgramWhoseTargetTheKernelLacksIsRefusedAtLoadNamingIt() throws Exception {
        // Only the program under test: the BTF lookup comes before the kernel sees anything.
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("tracing")).withAutoload("on_sys_enter", false)
                .withAutoload("on_nothing", true);

        assertThatThrownBy(() -> LoadedObject.load(object).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("program 'on_nothing' in section '?fentry/no_such_function_bpfglobals': the kernel's BTF "
                        + "(/sys/kernel/btf/vmlinux) has no FUNC 'no_such_function_bpfglobals'");
    }

    @Test
    @RequiresBpf
    void aProgramOfAnotherTypeCannotBeAttachedAsTracing() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("tracepoint")));
             BpfProgram program = loaded.program("on_enter")) {
            assertThatThrownBy(program::attachTracing)
                    .isInstanceOf(dev.bpfglobals.runtime.kernel.BpfException.class)
                    .hasMessageContaining("BPF_RAW_TRACEPOINT_OPEN failed with EINVAL");
        }
    }
}
