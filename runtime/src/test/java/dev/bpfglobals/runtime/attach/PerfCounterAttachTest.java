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
import dev.bpfglobals.runtime.testing.PerfEventFds;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import dev.bpfglobals.runtime.testing.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * PERF_EVENT programs on a counter opened for one busy thread, on a perf event the test opened
 * itself, and on a hardware counter: counted where the leg states a PMU, else refused naming it.
 */
@RequiresBpf
class PerfCounterAttachTest {

    /** One millisecond of CPU-clock time between samples. */
    private static final long PERIOD = 1_000_000;

    /** A thread that keeps a CPU busy until closed; its kernel thread id is known once it runs. */
    private static final class BusyThread implements AutoCloseable {
        private final CompletableFuture<Integer> tid = new CompletableFuture<>();
        private volatile boolean stop;
        private final Thread thread = Thread.ofPlatform().daemon().start(() -> {
            tid.complete(Syscalls.gettid());
            while (!stop) {
                Thread.onSpinWait();
            }
        });

        int tid() throws Exception {
            return tid.get(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join();
        }
    }

    /** Waits (at most a minute, no assertion on it) until the program has seen {@code wanted} samples. */
    private static void awaitSamples(GlobalView bss, long wanted) throws InterruptedException {
        for (int i = 0; i < 6000 && bss.getLong("samples") < wanted; i++) {
            Thread.sleep(10);
        }
    }

    @Test
    void aCpuClockOfOneBusyThreadSamplesThatThreadAloneWithThePeriodAskedFor() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("perf_counter"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("on_counter_sample");
             BusyThread busy = new BusyThread()) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setInt("target_tid", busy.tid());
            try (Link link = program.attachPerfEvent(PerfCounter.CPU_CLOCK, PerfSampling.every(PERIOD), busy.tid())) {
                awaitSamples(bss, 20);
            }
            long samples = bss.getLong("samples");
            assertThat(samples).as("samples of the busy thread").isPositive();
            assertThat(bss.getLong("samples_of_target")).as("every sample was taken in the busy thread").isEqualTo(samples);
            assertThat(bss.getLong("last_period")).as("the period asked for").isEqualTo(PERIOD);
        }
    }

    @Test
    void aPerfEventTheCallerOpenedRunsTheProgramUntilTheLinkClosesAndStaysTheCallers() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("perf_counter"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("on_counter_sample");
             BusyThread busy = new BusyThread()) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setInt("target_tid", busy.tid());
            int callersFd = PerfEventFds.disabledCpuClockOfThread(busy.tid(), PERIOD);
            try {
                try (Link link = program.attachPerfEvent(callersFd)) {
                    awaitSamples(bss, 20);
                }
                long samples = bss.getLong("samples");
                assertThat(samples).as("the attach enabled the caller's disabled event").isPositive();
                assertThat(bss.getLong("samples_of_target")).isEqualTo(samples);
                assertThat(Files.exists(Path.of("/proc/self/fd/" + callersFd))).as("the caller's fd is still open").isTrue();
                Thread.sleep(200); // the thread keeps running on the still-open event
                assertThat(bss.getLong("samples")).as("no samples once the link closed").isEqualTo(samples);
            } finally {
                assertThat(PerfEventFds.close(callersFd)).as("the caller closes its own fd").isTrue();
            }
        }
    }

    @Test
    void aHardwareCounterCountsWhereTheLegHasAPmuOrIsRefusedNamingTheCounterInOneLine() throws Exception {
        ObjectSpec object = ObjectSpec.open(BpfObjects.compile("perf_counter"));
        try (LoadedObject loaded = LoadedObject.load(object);
             BpfProgram program = loaded.program("on_counter_sample");
             BusyThread busy = new BusyThread()) {
            GlobalView bss = GlobalView.of(object, loaded, ".bss");
            bss.setInt("target_tid", busy.tid());
            if (!KernelExpectations.has(Feature.PMU)) {
                assertThatThrownBy(() -> program.attachPerfEvent(PerfCounter.CPU_CYCLES, PerfSampling.every(100_000), busy.tid()))
                        .isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageMatching("no hardware counter cycles on this machine \\((ENOENT|EOPNOTSUPP)\\)[^\\n]*");
                return;
            }
            try (Link link = program.attachPerfEvent(PerfCounter.CPU_CYCLES, PerfSampling.every(100_000), busy.tid())) {
                awaitSamples(bss, 20);
            }
            assertThat(bss.getLong("samples")).isPositive();
            assertThat(bss.getLong("samples_of_target")).isEqualTo(bss.getLong("samples"));
        }
    }
}
