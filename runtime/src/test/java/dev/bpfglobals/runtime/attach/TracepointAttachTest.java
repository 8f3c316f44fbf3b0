package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.Syscalls;
import dev.bpfglobals.runtime.testing.Tracefs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TRACEPOINT programs in {@code tracepoint/} and {@code tp/} sections attach to the syscall
 * tracepoints through perf events, count this process's real getpid calls into .bss, and stop
 * counting once their links close.
 */
@RequiresBpf
class TracepointAttachTest {


    @BeforeAll
    static void tracefs() throws Exception {
        Tracefs.ensureMounted();
    }

    @Test
    void tracepointAndTpProgramsCountThisProcessesGetpidCallsUntilTheirLinksClose() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("tracepoint"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram enter = loaded.program("on_enter");
             BpfProgram exit = loaded.program("on_exit")) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setInt("target_tgid", (int) ProcessHandle.current().pid());
            try (Link onEnter = enter.attachTracepoint("syscalls", "sys_enter_getpid");
                 Link onExit = exit.attachTracepoint("syscalls", "sys_exit_getpid")) {
                for (int i = 0; i < 7; i++) {
                    Syscalls.getpid();
                }
                assertThat(bss.getLong("enters")).isEqualTo(7);
                assertThat(bss.getLong("exits")).isEqualTo(7);
            }
            Syscalls.getpid();
            assertThat(bss.getLong("enters")).as("no count after the link closed").isEqualTo(7);
            assertThat(bss.getLong("exits")).as("no count after the link closed").isEqualTo(7);
        }
    }

    @Test
    void attachFollowsTheSectionNameTracepointOrTp() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("tracepoint"));
        try (LoadedObject loaded = LoadedObject.load(object)) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setInt("target_tgid", (int) ProcessHandle.current().pid());
            try (Link onEnter = loaded.attach("on_enter");
                 Link onExit = loaded.attach("on_exit")) {
                Syscalls.getpid();
                Syscalls.getpid();
                assertThat(bss.getLong("enters")).isEqualTo(2);
                assertThat(bss.getLong("exits")).isEqualTo(2);
            }
            Syscalls.getpid();
            assertThat(bss.getLong("enters")).isEqualTo(2);
        }
    }

    @Test
    void aTracepointTheKernelLacksIsRefusedNamingItAndWhereTheListIs() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("tracepoint"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram enter = loaded.program("on_enter")) {
            assertThatThrownBy(() -> enter.attachTracepoint("syscalls", "sys_enter_no_such_call"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tracepoint syscalls/sys_enter_no_such_call: the kernel has no such tracepoint")
                    .hasMessageContaining("available_events");
        }
    }
}
