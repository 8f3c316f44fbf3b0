package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.Syscalls;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * KPROBE programs load, attach to the getpid handler's entry and return through the kernel's
 * kprobe PMU, count this process's real getpid calls into .bss, and stop counting once the link is
 * closed. Where the kernel has no kprobes (this project's 6.18 host is built without
 * CONFIG_KPROBES), the attach is refused naming the cause and what to use instead.
 */
@RequiresBpf
class KprobeAttachTest {

    private static final Path KPROBE_PMU = Path.of("/sys/bus/event_source/devices/kprobe");

    /**
     * Where the kernel has kprobes (6.1 and 7.3 in bin/kernel-vm) they count exactly; where it has
     * none (the host's 6.18, built without CONFIG_KPROBES) the programs still load and every attach
     * names the cause and the way out. Each kernel's own answer is asserted, so none skips this.
     */
    @Test
    void aKprobeAKretprobeAndAKsyscallCountGetpidCallsUntilTheirLinksCloseOrTheAttachNamesWhyNot() throws Exception {
        String handler = Syscalls.handler("getpid");
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("kprobe"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram entry = loaded.program("on_entry");
             BpfProgram exit = loaded.program("on_return")) {
            if (!KernelExpectations.has(Feature.KPROBE)) {
                assertThatThrownBy(() -> entry.attachKprobe(handler))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("kprobe on '" + handler + "'")
                        .hasMessageContaining("CONFIG_KPROBES")
                        .hasMessageContaining("attach to a tracepoint");
                assertThatThrownBy(() -> loaded.attach("on_syscall"))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageStartingWith("kprobe on '" + handler + "'");
                return;
            }
            assertThat(KPROBE_PMU).as("the kprobe PMU of a kernel stated to have kprobes").isDirectory();
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setInt("target_tgid", (int) ProcessHandle.current().pid());
            try (Link onEntry = entry.attachKprobe(handler);
                 Link onReturn = exit.attachKretprobe(handler)) {
                for (int i = 0; i < 5; i++) {
                    Syscalls.getpid();
                }
                assertThat(bss.getLong("entries")).isEqualTo(5);
                assertThat(bss.getLong("returns")).isEqualTo(5);
            }
            try (Link bySection = loaded.attach("on_syscall")) {
                for (int i = 0; i < 3; i++) {
                    Syscalls.getpid();
                }
            }
            assertThat(bss.getLong("syscall_entries")).as("ksyscall/getpid attaches to " + handler).isEqualTo(3);
            assertThat(bss.getLong("entries")).as("no count after the link closed").isEqualTo(5);
            assertThat(bss.getLong("returns")).as("no count after the link closed").isEqualTo(5);
        }
    }

    @Test
    void aKprobeOnAFunctionTheKernelLacksIsRefusedNamingIt() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("kprobe"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram entry = loaded.program("on_entry")) {
            var refusal = assertThatThrownBy(() -> entry.attachKprobe("no_such_function_bpfglobals"))
                    .hasMessageContaining("kprobe on 'no_such_function_bpfglobals'");
            if (KernelExpectations.has(Feature.KPROBE)) {
                refusal.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/proc/kallsyms");
            } else {
                refusal.isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("CONFIG_KPROBES");
            }
        }
    }
}
