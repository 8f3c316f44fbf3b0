package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import org.junit.jupiter.api.Test;

/**
 * A task iterator made over one process ({@link dev.bpfglobals.runtime.BpfProgram#attachTaskIterator})
 * walks that process's threads alone: the program of iter.bpf.c prints the threads of a child
 * ({@code target_tgid}); over the child it prints its one thread, over this JVM nothing.
 */
@RequiresBpf
class TaskIteratorTest {

    @Test
    void anIteratorOverOneProcessWalksItsThreadsAlone() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compileWithVmlinux("iter"));
        Process child = new ProcessBuilder("sleep", "60").start();
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram threads = loaded.program("print_threads")) {
            GlobalView.of(object, loaded, ".bss").setInt("target_tgid", (int) child.pid());
            String childLine = child.pid() + " " + child.pid() + "\n";
            try (Link everyTask = threads.attachIterator();
                 Link overChild = threads.attachTaskIterator((int) child.pid());
                 Link overThisJvm = threads.attachTaskIterator((int) ProcessHandle.current().pid())) {
                assertThat(IterAttach.readText(everyTask)).as("every task").isEqualTo(childLine);
                assertThat(IterAttach.readText(overChild)).as("the child's threads").isEqualTo(childLine);
                assertThat(IterAttach.readText(overThisJvm)).as("this JVM's threads, none the child's").isEmpty();
            }
        } finally {
            child.destroyForcibly().waitFor();
        }
    }
}
