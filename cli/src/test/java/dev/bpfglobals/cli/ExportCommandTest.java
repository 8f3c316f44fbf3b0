package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.BpfPins;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export}: ticks.bpf.c loaded and run a known number of times on a chosen CPU, its pinned
 * maps served over HTTP, the samples read back; bad sources each get one line and are left out.
 */
@RequiresBpf
class ExportCommandTest {

    private static final Path TICKS_CONTRACT = Path.of("target/test-classes/META-INF/bpf-globals/dev.bpfglobals.cli.Ticks.json");
    private static final Path DRIFTED_CONTRACT = Path.of("target/test-classes/META-INF/bpf-globals/dev.bpfglobals.cli.Drifted.json");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Path pins;

    @BeforeEach
    void loadAndRunTicks() throws Exception {
        pins = BpfPins.path("cli-export");
        cli("load", LoadRunDumpTest.ticks().toString(), "--pin", pins.toString(), "--set", ".data.step=-5");
        cli("run", pins.resolve("progs/tick_xdp").toString(), "--cpu", "0", "--repeat", "3");
    }

    @AfterEach
    void removePins() throws IOException {
        for (Path dir : List.of(pins, pins.resolveSibling(pins.getFileName() + "-hash"))) {
            if (Files.exists(dir)) {
                try (Stream<Path> all = Files.walk(dir)) {
                    for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
        }
    }

    private void cli(String... args) {
        assertThat(BpfGlobalsCli.run(args, new PrintStream(new ByteArrayOutputStream()), System.err)).as(String.join(" ", args)).isZero();
    }

    private ExportCommand.Running export(String... args) throws IOException {
        List<String> words = new ArrayList<>(List.of("export", "--listen", "127.0.0.1:0"));
        words.addAll(List.of(args));
        ExportCommand.Running running = ExportCommands.start(words, new PrintStream(out, true), new PrintStream(err, true));
        assertThat(running).as(err.toString()).isNotNull();
        return running;
    }

    private static Map<String, Double> scrape(ExportCommand.Running running) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + running.server().port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Double> samples = new LinkedHashMap<>();
        // Keyed without the source label (ExportSourcesTest covers it), so that each test here reads as its own map's.
        response.body().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> samples.put(
                l.substring(0, l.lastIndexOf(' ')).replaceAll(",?source=\"[^\"]*\"", "").replace("{,", "{").replace("{}", ""),
                Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))));
        return samples;
    }

    @Test
    void pinnedPerCpuAndDataMapsAreNamedByTheirBtfAndSummedOverCpus() throws Exception {
        try (ExportCommand.Running running = export(pins.resolve("maps/_percpu").toString(), pins.resolve("maps/_data").toString())) {
            Map<String, Double> samples = scrape(running);

            assertThat(samples).containsEntry("bpf_percpu_runs_total", 3.0)
                    .containsEntry("bpf_percpu_sum", 3 * -5.0)
                    .containsEntry("bpf_percpu_marks_total{index=\"0\"}", 251.0)
                    .containsEntry("bpf_data_step", -5.0)
                    .doesNotContainKey("bpf_percpu_seen");
            assertThat(err.toString()).isEmpty();
        }
    }

    @Test
    void perCpuAddsAPerCpuFamilyAndKeepsTheSum() throws Exception {
        PossibleCpus cpus = PossibleCpus.system();
        Assumptions.assumeTrue(cpus.contains(0) && cpus.contains(1), "needs CPUs 0 and 1, have " + cpus);
        cli("run", pins.resolve("progs/tick_xdp").toString(), "--cpu", "1", "--repeat", "2");
        try (ExportCommand.Running running = export("--per-cpu", pins.resolve("maps/_percpu").toString())) {
            Map<String, Double> samples = scrape(running);

            assertThat(samples).containsEntry("bpf_percpu_runs_per_cpu_total{cpu=\"0\"}", 3.0)
                    .containsEntry("bpf_percpu_runs_per_cpu_total{cpu=\"1\"}", 2.0)
                    .containsEntry("bpf_percpu_runs_total", 5.0)
                    .doesNotContainKey("bpf_percpu_runs_total{cpu=\"0\"}");
        }
    }

    @Test
    void aContractNamesTheMetricsAfterItsRecord() throws Exception {
        try (ExportCommand.Running running = export(pins.resolve("maps/_percpu") + "=" + TICKS_CONTRACT,
                pins.resolve("maps/_data") + "=" + TICKS_CONTRACT)) {
            Map<String, Double> samples = scrape(running);

            assertThat(samples).containsEntry("bpf_ticks_runs_total", 3.0).containsEntry("bpf_ticks_step", -5.0);
        }
    }

    @Test
    void aRecordOnTheClassPathNamesTheMetricsThroughItsGeneratedAccessor() throws Exception {
        try (ExportCommand.Running running = export("--classpath", "target/test-classes",
                pins.resolve("maps/_percpu") + "=record:dev.bpfglobals.cli.Ticks", pins.resolve("maps/_data") + "=record:dev.bpfglobals.cli.Ticks")) {
            Map<String, Double> samples = scrape(running);

            assertThat(samples).containsEntry("bpf_ticks_runs_total", 3.0).containsEntry("bpf_ticks_step", -5.0);
            assertThat(err.toString()).isEmpty();
        }
    }

    @Test
    void aRecordWhoseAccessorWasNotGeneratedGetsOneLineSayingHowToRunTheProcessor(@TempDir Path classes) throws Exception {
        Path source = Files.createDirectories(classes.resolve("src/demo")).resolve("Flow.java");
        Files.writeString(source, """
                package demo;
                public record Flow(@dev.bpfglobals.annotations.PerCpu long runs) {}
                """);
        int javac = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-proc:none",
                "-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), source.toString());
        assertThat(javac).isZero();

        try (ExportCommand.Running running = export("--classpath", classes.toString(),
                pins.resolve("maps/_percpu") + "=record:demo.Flow", pins.resolve("maps/_percpu") + "=record:no.Such",
                pins.resolve("maps/_data").toString())) {
            List<String> lines = err.toString().lines().toList();

            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).startsWith("bpf-globals export: skipping " + pins.resolve("maps/_percpu") + "=record:demo.Flow: "
                    + "demo.Flow is annotated for bpf-globals (@PerCpu on component 'runs'), but its accessor demo.FlowGlobals"
                    + " was not generated: the bpf-globals processor did not run").contains("-proc:full");
            assertThat(lines.get(1)).endsWith(": no record no.Such and no generated accessor no.SuchGlobals on " + classes);
            assertThat(scrape(running)).containsEntry("bpf_data_step", -5.0);
        }
    }

    @Test
    void badSourcesGetOneLineEachAndTheOthersAreStillServed() throws Exception {
        Path hash = pins.resolveSibling(pins.getFileName() + "-hash");
        cli("load", BpfObjects.compile("hash_map").toString(), "--pin", hash.toString());
        try (ExportCommand.Running running = export(pins.resolve("maps/none").toString(), hash.resolve("maps/seen").toString(),
                pins.resolve("progs/tick_xdp").toString(), pins.resolve("maps/_percpu") + "=" + DRIFTED_CONTRACT,
                pins.resolve("maps/_data").toString())) {
            List<String> lines = err.toString().lines().toList();

            assertThat(lines).hasSize(4);
            assertThat(lines.get(0)).isEqualTo("bpf-globals export: skipping " + pins.resolve("maps/none") + ": no pinned map at "
                    + pins.resolve("maps/none"));
            assertThat(lines.get(1)).endsWith(": map 'seen' is a HASH of 16 entries, not a global-section map"
                    + " (a PERCPU_ARRAY or ARRAY of one entry)");
            assertThat(lines.get(2)).endsWith("progs/tick_xdp is a pinned program, not a map");
            assertThat(lines.get(3)).contains("_percpu=" + DRIFTED_CONTRACT + ": map '.percpu' (id ")
                    .contains("does not match the contract's .percpu: value size ");
            assertThat(scrape(running)).containsEntry("bpf_data_step", -5.0);
        }
    }

    @Test
    void otlpPushesTheSameMetricsToACollector() throws Exception {
        java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
        com.sun.net.httpserver.HttpServer collector = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/metrics", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            // Protobuf keeps strings as UTF-8 bytes: the metric names are readable in the body.
            received.add(exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(body, java.nio.charset.StandardCharsets.ISO_8859_1));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try {
            String url = "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/metrics";
            try (ExportCommand.Running running = export("--otlp", url, "--otlp-interval", "1",
                    pins.resolve("maps/_percpu").toString())) {
                String request = received.poll(30, java.util.concurrent.TimeUnit.SECONDS);

                assertThat(request).isNotNull().startsWith("application/x-protobuf").contains("bpf_percpu_runs");
                assertThat(out.toString()).contains("pushing OTLP to " + url + " every 1 s");
            }
        } finally {
            collector.stop(0);
        }
    }

    @Test
    void withNoSourceLeftTheCommandFailsSayingSo() {
        int status = BpfGlobalsCli.run(new String[] {"export", "--listen", "127.0.0.1:0", pins.resolve("maps/none").toString()},
                new PrintStream(out, true), new PrintStream(err, true));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("no source could be opened; nothing to serve");
    }

    @Test
    void usageErrorsExitTwoNamingWhatIsMissing() {
        int status = BpfGlobalsCli.run(new String[] {"export", pins.resolve("maps/_data").toString()},
                new PrintStream(out, true), new PrintStream(err, true));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).startsWith("bpf-globals export: no --listen HOST:PORT; usage: bpf-globals export --listen");
    }
}
