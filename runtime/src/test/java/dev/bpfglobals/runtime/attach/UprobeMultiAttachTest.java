package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.TestBinaries;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * uprobe.multi and uretprobe.multi programs attach through one uprobe_multi link to every function
 * of a small program this test compiles whose name matches {@code bpfglobals_multi_*} (three of its
 * four), and from the section {@code uprobe.multi/libc.so.6:getp*id} to libc's getpid family; each
 * counts a child's calls exactly, a link for one pid sees that child's calls alone, and nothing
 * counts once the links are closed. Where the leg's kernel is stated to make no uprobe_multi links,
 * the attach is refused naming why and the way out.
 */
@RequiresBpf
class UprobeMultiAttachTest {

    private static final int CALLS = 5;
    private static final String GLOB = "bpfglobals_multi_*";

    @Test
    void uprobeMultiLinksCountAChildsCallsOfEveryMatchedFunctionOrTheAttachNamesWhyNot() throws Exception {
        Path target = TestBinaries.compile("uprobe_multi_target");
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("uprobe_multi"));
        boolean supported = KernelExpectations.has(Feature.UPROBE_MULTI);
        try (LoadedObject loaded = LoadedObject.load(supported ? object.withAutoload("on_sleepable", true) : object);
             BpfProgram entries = loaded.program("on_entries");
             BpfProgram returns = loaded.program("on_returns")) {
            if (!supported) {
                assertThatThrownBy(() -> entries.attachUprobeMulti(target, GLOB, false))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessage("uprobe.multi on " + target + ":" + GLOB + ": this kernel (" + System.getProperty("os.version")
                                + ") makes no uprobe_multi links (they need kernel 6.6+ with CONFIG_UPROBES); attach a uprobe "
                                + "per function (attachUprobe) instead");
                assertThatThrownBy(() -> loaded.attach("on_getpid")).isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("uprobe_multi");
                return;
            }
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            try (BpfProgram sleepable = loaded.program("on_sleepable");
                 Link onEntries = entries.attachUprobeMulti(target, GLOB, false);
                 Link onReturns = returns.attachUprobeMulti(target, GLOB, true);
                 Link onSleepable = sleepable.attachUprobeMulti(target, "bpfglobals_single", false);
                 Link onGetpid = loaded.attach("on_getpid")) {
                runChild(target, bss, CALLS);
            }
            assertThat(bss.getLong("entries")).as("uprobe.multi on " + GLOB).isEqualTo(3L * CALLS);
            assertThat(bss.getLong("returns")).as("uretprobe.multi on " + GLOB).isEqualTo(3L * CALLS);
            assertThat(bss.getLong("sleepable_entries")).as("uprobe.multi.s on bpfglobals_single").isEqualTo(CALLS);
            assertThat(bss.getLong("getpid_calls")).as("uprobe.multi/libc.so.6:getp*id").isEqualTo(CALLS);

            runChild(target, bss, CALLS);
            assertThat(bss.getLong("entries")).as("no count after the links closed").isEqualTo(3L * CALLS);
            assertThat(bss.getLong("getpid_calls")).as("no count after the links closed").isEqualTo(CALLS);
        }
    }

    @Test
    void aUprobeMultiLinkForOnePidSeesThatProcessAlone() throws Exception {
        if (!KernelExpectations.has(Feature.UPROBE_MULTI)) {
            return; // the refusal is the test above's
        }
        Path target = TestBinaries.compile("uprobe_multi_target");
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("uprobe_multi"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram anyProcess = loaded.program("in_any_process")) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            Process watched = start(target, CALLS);
            Process other = start(target, CALLS);
            try (Link link = anyProcess.attachUprobeMulti(target, GLOB, false, (int) watched.pid())) {
                release(other);
                release(watched);
            }
            assertThat(bss.getLong("any_process_entries")).as("calls of the one pid, the other child's not counted")
                    .isEqualTo(3L * CALLS);
        }
    }

    @Test
    void aPatternNoFunctionMatchesIsRefusedNamingTheFile() throws Exception {
        Path target = TestBinaries.compile("uprobe_multi_target");
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("uprobe_multi"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram entries = loaded.program("on_entries")) {
            assertThatThrownBy(() -> entries.attachUprobeMulti(target, "no_such_function_bpfglobals*", false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("uprobe.multi on " + target + ":no_such_function_bpfglobals*: no function of the file's "
                            + ".symtab or .dynsym matches the pattern");
        }
    }

    private static void runChild(Path target, GlobalView bss, int calls) throws IOException, InterruptedException {
        Process child = start(target, calls);
        bss.setInt("target_tgid", (int) child.pid());
        release(child);
    }

    private static Process start(Path target, int calls) throws IOException {
        return new ProcessBuilder(target.toString(), Integer.toString(calls)).redirectErrorStream(true).start();
    }

    /** Lets {@code child} make its calls, and waits for it. */
    private static void release(Process child) throws IOException, InterruptedException {
        try (var stdin = child.getOutputStream(); var stdout = child.getInputStream()) {
            stdin.write('\n');
            stdin.flush();
            assertThat(child.waitFor()).as("the target's exit status").isZero();
        }
    }
}
