package dev.bpfglobals.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The element commands' own attribute buffer, which is never zeroed: nothing stale may reach the kernel. */
@RequiresBpf
class ElementCallsTest {

    private static final int PERCPU_ARRAY = 6;

    @Test
    void elementCallsAfterOtherCommandsAndFlagsOnTheSameThreadReadExactlyWhatWasWritten() {
        int cpus = PossibleCpus.system().count();
        // A map create writes a name and sizes all over the general attribute buffer first.
        try (BpfFd fd = BpfMaps.create(PERCPU_ARRAY, 4, 8, 1, 0, "elem_attr_test", null, 0, 0);
             Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(4);
            MemorySegment written = arena.allocate(8L * cpus, 8);
            for (int slot = 0; slot < cpus; slot++) {
                written.setAtIndex(ValueLayout.JAVA_LONG, slot, 1000 + slot);
            }
            BpfMaps.update(fd, key, written, 0);
            // A flagged call (BPF_F_CPU: refused before 6.19, served after) leaves flags set in the buffer ...
            BpfMaps.lookupRaw(fd, key, arena.allocate(8L * cpus, 8), BpfMaps.F_CPU | (1L << 32));
            MemorySegment read = arena.allocate(8L * cpus, 8);

            // ... and the next plain call must not inherit them.
            assertThat(BpfMaps.lookupRaw(fd, key, read, 0)).isZero();
            assertThat(read.toArray(ValueLayout.JAVA_LONG)).isEqualTo(written.toArray(ValueLayout.JAVA_LONG));
            assertThat(CallBuffers.current().elemAttr.get(ValueLayout.JAVA_INT, 4)).as("padding after map_fd").isZero();
        }
    }
}
