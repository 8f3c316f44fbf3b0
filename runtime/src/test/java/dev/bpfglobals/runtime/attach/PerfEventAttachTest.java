package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.GlobalView;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import org.junit.jupiter.api.Test;

/**
 * A PERF_EVENT program attached to the CPU clock of every online CPU counts samples while this
 * thread keeps a CPU busy, and counts none once its link is closed.
 */
@RequiresBpf
class PerfEventAttachTest {

    @Test
    void aPerfEventProgramCountsCpuClockSamplesUntilItsLinkCloses() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("perf_event"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("on_sample")) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            try (Link link = program.attachCpuClock(1000)) {
                spin(300);
                assertThat(bss.getLong("samples")).as("about 300 per CPU at 1000 Hz").isGreaterThan(10);
            }
            long afterClose = bss.getLong("samples");
            spin(200);
            assertThat(bss.getLong("samples")).as("no samples after the link closed").isEqualTo(afterClose);
        }
    }

    @Test
    void aFrequencyOutOfRangeIsRefusedBeforeTheKernelSeesIt() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(BpfObjects.compile("perf_event")));
             BpfProgram program = loaded.program("on_sample")) {
            assertThatThrownBy(() -> program.attachCpuClock(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("frequency 0 Hz: expected 1 to 100000");
        }
    }

    /** Keeps this thread on a CPU for {@code millis} ms. */
    private static long spin(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long sum = 0;
        while (System.nanoTime() < end) {
            sum += System.nanoTime() & 1;
        }
        return sum;
    }
}
