package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.internal.kernelenv.KernelFunctions;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.Syscalls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;

/**
 * A kprobe_multi link with a cookie per function: the program reads the cookie of the function it
 * runs on ({@code bpf_get_attach_cookie}), so each function's calls add up its own cookie. Where the
 * leg's kernel is stated to make no kprobe_multi links, the attach is refused naming why.
 */
@RequiresBpf
class KprobeMultiCookiesTest {

    private static final long FIRST_COOKIE = 0x1111;
    private static final long SECOND_COOKIE = 0x20000;

    /** Syscall handlers a test can call; ftrace lists some of them as attachable, depending on the build. */
    private static final Map<String, Runnable> CALLABLE = Map.of(
            Syscalls.handler("getpgid"), Syscalls::getpgid,
            Syscalls.handler("getppid"), Syscalls::getppid,
            Syscalls.handler("getsid"), Syscalls::getsid);

    @Test
    void eachFunctionOfTheLinkHandsTheProgramItsOwnCookieOrTheAttachNamesWhyNot() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("kprobe_multi_cookies"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("on_cookie")) {
            if (!KernelExpectations.has(Feature.KPROBE_MULTI)) {
                SequencedMap<String, Long> any = new LinkedHashMap<>(Map.of(Syscalls.handler("getpgid"), FIRST_COOKIE));
                assertThatThrownBy(() -> program.attachKprobeMulti(any, false))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("with cookies")
                        .hasMessageContaining("CONFIG_FPROBE");
                return;
            }
            // Two handlers ftrace can attach to (available_filter_functions), in a fixed order.
            List<String> traceable = CALLABLE.keySet().stream().sorted()
                    .filter(name -> KernelFunctions.matching(name).contains(name)).toList();
            assertThat(traceable).as("attachable handlers among " + CALLABLE.keySet()).hasSizeGreaterThanOrEqualTo(2);
            String first = traceable.get(0);
            String second = traceable.get(1);
            SequencedMap<String, Long> cookies = new LinkedHashMap<>();
            cookies.put(second, SECOND_COOKIE);
            cookies.put(first, FIRST_COOKIE);
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setInt("target_tgid", (int) ProcessHandle.current().pid());

            try (Link link = program.attachKprobeMulti(cookies, false)) {
                for (int i = 0; i < 3; i++) {
                    CALLABLE.get(first).run();
                }
                for (int i = 0; i < 2; i++) {
                    CALLABLE.get(second).run();
                }
            }
            CALLABLE.get(first).run();

            assertThat(bss.getLong("calls")).as("calls of " + first + " and " + second + " while linked").isEqualTo(5);
            assertThat(bss.getLong("cookie_sum")).as("three of " + first + "'s cookie, two of " + second + "'s")
                    .isEqualTo(3 * FIRST_COOKIE + 2 * SECOND_COOKIE);
        }
    }

    @Test
    void anEmptySetOfFunctionsIsRefusedBeforeTheKernelSeesIt() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("kprobe_multi_cookies")));
             BpfProgram program = loaded.program("on_cookie")) {
            assertThatThrownBy(() -> program.attachKprobeMulti(new LinkedHashMap<>(), false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("kprobe.multi on [] with cookies: name at least one kernel function");
        }
    }
}
