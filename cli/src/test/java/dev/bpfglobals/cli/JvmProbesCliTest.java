package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.examples.PercpuMode;
import dev.bpfglobals.examples.jvm.JvmWorkload;
import dev.bpfglobals.runtime.testing.BpfPins;
import dev.bpfglobals.runtime.testing.ChildJvms;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JVM example from the CLI alone, as docs/usdt.md shows it: {@code bpf-globals load
 * jvm_probes.bpf.o --pin DIR --attach --set .data.targetPid=PID} (the CLI a process of its own, which
 * exits) attaches HotSpot's probes from their sections ({@code usdt/libjvm.so:hotspot:NAME}); a second
 * JVM then starts exactly {@link #THREADS} threads, and {@code bpf-globals dump} of the pinned
 * {@code .percpu} map shows exactly those.
 */
@RequiresBpf
class JvmProbesCliTest {

    private static final int THREADS = 5;
    private static final int GCS = 2;
    private static final Pattern TOTAL = Pattern.compile("(?m)^\\s+(\\w+)\\s.*total=(\\d+)$");

    private final Path pins = BpfPins.path("examples-jvm-probes-cli");

    @AfterEach
    void removePins() throws IOException {
        if (Files.exists(pins)) {
            try (Stream<Path> all = Files.walk(pins)) {
                for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    @Test
    void theCliAttachesHotSpotsProbesFromTheirSectionsAndDumpCountsASecondJvmsThreads() throws Exception {
        // The compat build runs on every kernel; native .percpu access is not what this test is about.
        Path object = PercpuMode.COMPAT.object(Path.of("../examples/target/bpf"), "jvm_probes");
        Process workload = new ProcessBuilder(workloadCommand(THREADS, GCS))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader stdout = new BufferedReader(new InputStreamReader(workload.getInputStream()));
             OutputStream stdin = workload.getOutputStream()) {
            assertThat(stdout.readLine()).isEqualTo("ready");

            String loaded = cli("load", object.toString(), "--pin", pins.toString(), "--attach",
                    "--set", ".data.targetPid=" + workload.pid());
            assertThat(loaded).contains("link pinned at " + pins.resolve("links/thread_start"))
                    .contains("link pinned at " + pins.resolve("links/gc_begin"))
                    .contains("link pinned at " + pins.resolve("links/gc_end"));

            stdin.write('\n');
            stdin.flush();
            assertThat(stdout.readLine()).isEqualTo("done");
            assertThat(workload.waitFor()).isZero();
        } finally {
            workload.destroyForcibly();
        }

        String dump = cli("dump", "--pinned", pins.resolve("maps/_percpu").toString());
        assertThat(total(dump, "threadsStarted")).as("the workload's threads, in:%n%s", dump).isEqualTo(THREADS);
        assertThat(total(dump, "gcBegins")).as("its GC pauses").isGreaterThanOrEqualTo(GCS);
        assertThat(total(dump, "gcEnds")).isEqualTo(total(dump, "gcBegins"));
    }

    /** The {@code total=} of variable {@code name} in a text dump of a per-CPU map. */
    private static long total(String dump, String name) {
        Matcher line = TOTAL.matcher(dump);
        while (line.find()) {
            if (line.group(1).equals(name)) {
                return Long.parseLong(line.group(2));
            }
        }
        throw new AssertionError("no total of " + name + " in:\n" + dump);
    }

    /** Runs {@code bpf-globals ARGS} as a JVM of its own with this one's class path, as the launcher would: its stdout. */
    private static String cli(String... args) throws Exception {
        Process cli = CliProcesses.start(args);
        String stderr = new String(cli.getErrorStream().readAllBytes());
        String stdout = new String(cli.getInputStream().readAllBytes());
        assertThat(cli.waitFor(120, TimeUnit.SECONDS)).as("bpf-globals %s exits", args[0]).isTrue();
        assertThat(cli.exitValue()).as("bpf-globals %s: %s", String.join(" ", args), stderr).isZero();
        return stdout;
    }

    /** The workload JVM, started as this test JVM runs (inside the emulated kernel VMs: C1 only, no CDS). */
    private static List<String> workloadCommand(int threads, int gcs) {
        List<String> command = ChildJvms.java();
        command.addAll(JvmWorkload.arguments(threads, gcs));
        return command;
    }
}
