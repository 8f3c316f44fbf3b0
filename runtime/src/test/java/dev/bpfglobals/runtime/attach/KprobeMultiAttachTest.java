package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.internal.kernelenv.KernelFunctions;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.Syscalls;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * kprobe.multi and kretprobe.multi programs attach through one kprobe_multi link to every getpid-family
 * handler their glob matches ({@code __x64_sys_getp*id}: getpid, getppid, getpgid), count this
 * process's real calls into .bss, and stop once the link closes. Where the leg's kernel is stated to
 * make no kprobe_multi links, the attach is refused naming why and the way out.
 */
@RequiresBpf
class KprobeMultiAttachTest {

    /** The sections' glob (kprobe_multi.bpf.c): getpid, getppid and getpgid where ftrace can trace them. */
    private static final String GLOB = "__x64_sys_getp*id";

    @Test
    void kprobeMultiSectionsCountEveryMatchedHandlerUntilTheLinkClosesOrTheAttachNamesWhyNot() throws Exception {
        String getpid = Syscalls.handler("getpid");
        String getpgid = Syscalls.handler("getpgid");
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("kprobe_multi"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram listed = loaded.program("on_listed")) {
            if (!KernelExpectations.has(Feature.KPROBE_MULTI)) {
                assertThatThrownBy(() -> loaded.attach("on_entries"))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("CONFIG_FPROBE")
                        .hasMessageContaining("attachKprobe");
                assertThatThrownBy(() -> listed.attachKprobeMulti(List.of(getpid), false))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("kprobe_multi");
                return;
            }
            // A glob matches only what ftrace can trace (available_filter_functions), as libbpf's does:
            // Debian's 7.3 lists __x64_sys_getpgid there but not __x64_sys_getpid, which only kprobes reach.
            List<String> matched = KernelFunctions.matching(GLOB);
            assertThat(matched).contains(getpgid);
            long expected = (matched.contains(getpid) ? 4 : 0) + 3;
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setInt("target_tgid", (int) ProcessHandle.current().pid());
            // One link at a time, each counted exactly, then nothing once it is closed.
            try (Link onEntries = loaded.attach("on_entries")) {
                callGetpidFourAndGetpgidThreeTimes();
            }
            callGetpidFourAndGetpgidThreeTimes();
            assertThat(bss.getLong("entries")).as("entries of " + matched).isEqualTo(expected);
            try (Link onReturns = loaded.attach("on_returns")) {
                callGetpidFourAndGetpgidThreeTimes();
            }
            callGetpidFourAndGetpgidThreeTimes();
            assertThat(bss.getLong("returns")).as("returns from " + matched).isEqualTo(expected);
            try (Link onListed = listed.attachKprobeMulti(List.of(getpgid), false)) {
                callGetpidFourAndGetpgidThreeTimes();
            }
            callGetpidFourAndGetpgidThreeTimes();
            assertThat(bss.getLong("listed_entries")).as("entries of " + getpgid + " alone").isEqualTo(3);
        }
    }

    private static void callGetpidFourAndGetpgidThreeTimes() {
        for (int i = 0; i < 4; i++) {
            Syscalls.getpid();
        }
        for (int i = 0; i < 3; i++) {
            Syscalls.getpgid();
        }
    }

    @Test
    void aPatternNothingMatchesAndAnUnknownFunctionAreRefusedNamingThem() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("kprobe_multi"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram listed = loaded.program("on_listed")) {
            assertThatThrownBy(() -> listed.attachKprobeMulti("bpf_globals_no_such_*", false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no kernel function matches");
            var refusal = assertThatThrownBy(() -> listed.attachKprobeMulti(List.of("bpf_globals_no_such_function"), true))
                    .hasMessageContaining("kretprobe.multi on [bpf_globals_no_such_function]");
            if (KernelExpectations.has(Feature.KPROBE_MULTI)) {
                refusal.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not attachable");
            } else {
                refusal.isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("CONFIG_FPROBE");
            }
        }
    }

    @Test
    void libbpfGlobsMatchAsLibbpfMatchesThem() {
        assertThat(KernelFunctions.globMatches("__x64_sys_getp?id", "__x64_sys_getppid")).isTrue();
        assertThat(KernelFunctions.globMatches("__x64_sys_getp?id", "__x64_sys_getpid")).isFalse();
        assertThat(KernelFunctions.globMatches("*sys_get*", "__x64_sys_getuid")).isTrue();
        assertThat(KernelFunctions.globMatches("a*b", "acb")).isTrue();
        assertThat(KernelFunctions.globMatches("a*b", "acbc")).isFalse();
    }
}
