package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.TestBinaries;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * uprobes and uretprobes through the kernel's uprobe PMU: on a function of a small program this
 * test compiles with cc, found by name in its symbol table, and, from the section
 * {@code uprobe/libc.so.6:getpid}, on libc's getpid, found in the stripped library's .dynsym. Each
 * counts the calls of one child process exactly, and nothing once its link is closed.
 */
@RequiresBpf
class UprobeAttachTest {

    private static final int CALLS = 7;

    @Test
    void aUprobeAndAUretprobeCountAChildsCallsOfAFunctionAndLibcsGetpid() throws Exception {
        Path target = TestBinaries.compile("uprobe_target");
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("uprobe"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram entry = loaded.program("on_entry");
             BpfProgram exit = loaded.program("on_return")) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            try (Link onEntry = entry.attachUprobe(target, "bpfglobals_uprobe_target");
                 Link onReturn = exit.attachUretprobe(target, "bpfglobals_uprobe_target");
                 Link onGetpid = loaded.attach("on_getpid")) {
                runChild(target, bss, CALLS);
            }
            assertThat(bss.getLong("entries")).as("uprobe on bpfglobals_uprobe_target").isEqualTo(CALLS);
            assertThat(bss.getLong("returns")).as("uretprobe on bpfglobals_uprobe_target").isEqualTo(CALLS);
            assertThat(bss.getLong("getpid_calls")).as("uprobe/libc.so.6:getpid").isEqualTo(CALLS);

            runChild(target, bss, CALLS);
            assertThat(bss.getLong("entries")).as("no count after the links closed").isEqualTo(CALLS);
            assertThat(bss.getLong("getpid_calls")).as("no count after the links closed").isEqualTo(CALLS);
        }
    }

    @Test
    void aUprobeOnAFunctionTheBinaryLacksIsRefusedNamingIt() throws Exception {
        Path target = TestBinaries.compile("uprobe_target");
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("uprobe"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram entry = loaded.program("on_entry")) {
            assertThatThrownBy(() -> entry.attachUprobe(target, "no_such_function_bpfglobals"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("function 'no_such_function_bpfglobals' in " + target + ": no function of that name in its "
                            + ".symtab or .dynsym; give a function it defines, or attach by offset");
        }
    }

    @Test
    void aUprobeSectionWithoutATargetIsRefusedNamingTheMethodThatTakesOne() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("uprobe"));
        try (LoadedObject loaded = LoadedObject.load(object)) {
            assertThatThrownBy(() -> loaded.attach("on_entry"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("program 'on_entry' in section 'uprobe' names no uprobe target; attach it with the BpfProgram "
                            + "method that takes one (attachUprobe(binary, function))");
        }
    }

    /** Runs the target for {@code calls} calls once its pid is the one the programs count. */
    private static void runChild(Path target, GlobalView bss, int calls) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(target.toString(), Integer.toString(calls)).redirectErrorStream(true).start();
        try (var stdin = child.getOutputStream(); var stdout = child.getInputStream()) {
            bss.setInt("target_tgid", (int) child.pid());
            stdin.write('\n');
            stdin.flush();
            assertThat(child.waitFor()).as("the target's exit status").isZero();
        }
    }
}
