package dev.bpfglobals.examples.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.examples.Builds;
import dev.bpfglobals.examples.PercpuMode;
import dev.bpfglobals.runtime.testing.ChildJvms;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HotSpot's own USDT probes, in a second JVM of this JDK: after it warmed up and the probes are
 * attached to its pid, it starts exactly {@link #THREADS} threads and forces {@link #GCS} GCs; the
 * per-CPU counts show exactly those threads and at least those pauses, each pause in the histogram.
 */
@RequiresBpf
class JvmProbesDemoTest {

    private static final int THREADS = 7;
    private static final int GCS = 3;

    @ParameterizedTest
    @EnumSource(PercpuMode.class)
    void countsTheThreadsAndGcPausesOfASecondJvm(PercpuMode mode) throws Exception {
        Builds.run(mode, "jvm_probes", object -> traceWorkload(object)).ifPresent(sum -> {
            assertThat(sum.threadsStarted()).as("hotspot:thread__start of the workload's threads").isEqualTo(THREADS);
            assertThat(sum.gcBegins()).as("hotspot:gc__begin").isGreaterThanOrEqualTo(GCS);
            assertThat(sum.gcEnds()).as("hotspot:gc__end").isEqualTo(sum.gcBegins());
            assertThat(Arrays.stream(sum.gcPauseNs()).sum()).as("pauses in the histogram").isEqualTo(sum.gcEnds());
        });
    }

    private static JvmProbesGlobals.PerCpuPart traceWorkload(Path object) throws Exception {
        Process child = new ProcessBuilder(workloadCommand(THREADS, GCS))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader stdout = new BufferedReader(new InputStreamReader(child.getInputStream()));
             OutputStream stdin = child.getOutputStream()) {
            assertThat(stdout.readLine()).isEqualTo("ready");
            try (JvmProbesDemo.Tracing tracing = JvmProbesDemo.Tracing.start(object, JvmProbesDemo.LIBJVM, (int) child.pid())) {
                stdin.write('\n');
                stdin.flush();
                assertThat(stdout.readLine()).isEqualTo("done");
                assertThat(child.waitFor()).isZero();
                return tracing.sum();
            }
        } finally {
            child.destroyForcibly();
        }
    }

    /** The workload JVM, started as this test JVM runs (inside the emulated kernel VMs: C1 only, no CDS). */
    private static List<String> workloadCommand(int threads, int gcs) {
        List<String> command = ChildJvms.java();
        command.addAll(JvmWorkload.arguments(threads, gcs));
        return command;
    }
}
