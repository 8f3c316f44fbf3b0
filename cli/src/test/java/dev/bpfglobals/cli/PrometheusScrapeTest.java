package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.testing.BpfPins;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter as Prometheus sees it: ticks.bpf.c run a known number of times on each CPU,
 * {@code export --per-cpu} serving its .percpu map, a real Prometheus (Debian's package, which
 * .ci/run installs) scraping every second, and its HTTP API asked until each CPU's series holds
 * exactly the runs made there, the summed series their total, and the rate is positive. Prometheus and the exporter are stopped
 * whatever happens.
 */
@RequiresBpf
class PrometheusScrapeTest {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    /** Generous: under an emulated CPU (bin/test --kernel) Prometheus takes a while to start. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    /** {"metric":{...,"cpu":"0",...},"value":[1700000000.123,"7"]} in a query's result vector. */
    private static final Pattern SAMPLE = Pattern.compile("\\{\"metric\":\\{([^}]*)\\},\"value\":\\[[^,]+,\"([^\"]+)\"]}");
    private static final Pattern CPU = Pattern.compile("\"cpu\":\"(\\d+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void prometheusSeesEachCpusRunsAndAPositiveRate(@TempDir Path work) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS), PROMETHEUS + " is absent: apt-get install prometheus (.ci/run does)");
        PossibleCpus cpus = PossibleCpus.system();
        Path pins = BpfPins.path("cli-prometheus");
        Map<Integer, Integer> runs = new TreeMap<>();
        cpus.ids().forEach(cpu -> runs.put(cpu, 0));
        Process prometheus = null;
        ExportCommand.Running exporter = null;
        try {
            cli("load", LoadRunDumpTest.ticks().toString(), "--pin", pins.toString());
            // A different number of runs on each CPU, so a mixed-up cpu label cannot pass.
            for (int slot = 0; slot < Math.min(cpus.count(), 4); slot++) {
                int cpu = cpus.cpuAt(slot);
                runTicks(pins, cpu, 3 + 2 * slot, runs);
            }
            exporter = ExportCommands.start(List.of("export", "--listen", "127.0.0.1:0", "--per-cpu",
                    pins.resolve("maps/_percpu").toString()), new PrintStream(new ByteArrayOutputStream()), System.err);
            int prometheusPort = freePort();
            prometheus = startPrometheus(work, exporter.server().port(), prometheusPort);

            Map<Integer, Double> expected = asDoubles(runs);
            assertThat(poll(prometheusPort, "bpf_percpu_runs_per_cpu_total", expected::equals))
                    .as("each CPU's series, as Prometheus stored it").isEqualTo(expected);

            runTicks(pins, cpus.cpuAt(0), 10, runs);
            Map<Integer, Double> more = asDoubles(runs);
            assertThat(poll(prometheusPort, "bpf_percpu_runs_per_cpu_total", more::equals)).isEqualTo(more);
            Map<Integer, Double> total = Map.of(-1, more.values().stream().mapToDouble(Double::doubleValue).sum());
            assertThat(poll(prometheusPort, "bpf_percpu_runs_total", total::equals))
                    .as("the summed family, exported next to the per-CPU one").isEqualTo(total);
            assertThat(poll(prometheusPort, "sum(bpf_percpu_runs_total)", total::equals))
                    .as("sum() over the summed family counts no CPU twice").isEqualTo(total);
            Map<Integer, Double> rate = poll(prometheusPort, "sum(rate(bpf_percpu_runs_per_cpu_total[1m]))",
                    values -> values.values().stream().anyMatch(v -> v > 0));
            assertThat(rate.values()).as("the sum of the per-CPU rates").allMatch(v -> v > 0);
        } finally {
            stop(prometheus);
            if (exporter != null) {
                exporter.close();
            }
            removeTree(pins);
        }
    }

    private static void cli(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(BpfGlobalsCli.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true)))
                .as(String.join(" ", args) + ": " + err).isZero();
    }

    private static void runTicks(Path pins, int cpu, int times, Map<Integer, Integer> runs) {
        cli("run", pins.resolve("progs/tick_xdp").toString(), "--cpu", String.valueOf(cpu), "--repeat", String.valueOf(times));
        runs.merge(cpu, times, Integer::sum);
    }

    private static Map<Integer, Double> asDoubles(Map<Integer, Integer> runs) {
        Map<Integer, Double> doubles = new TreeMap<>();
        runs.forEach((cpu, n) -> doubles.put(cpu, n.doubleValue()));
        return doubles;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Process startPrometheus(Path work, int exporterPort, int port) throws IOException {
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: bpf-globals
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(exporterPort));
        return new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config, "--storage.tsdb.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
    }

    /**
     * Asks Prometheus {@code query} until {@code done} accepts the result (cpu label -> value; -1
     * for a series without one), and returns the last result whether accepted or not.
     */
    private Map<Integer, Double> poll(int port, String query, Predicate<Map<Integer, Double>> done) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Map<Integer, Double> last = Map.of();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    last = samples(response.body());
                    if (done.test(last)) {
                        return last;
                    }
                }
            } catch (IOException notYetListening) {
                // Prometheus is still starting: ask again.
            }
            Thread.sleep(500);
        }
        return last;
    }

    private static Map<Integer, Double> samples(String body) {
        Map<Integer, Double> samples = new TreeMap<>();
        Matcher sample = SAMPLE.matcher(body);
        while (sample.find()) {
            Matcher cpu = CPU.matcher(sample.group(1));
            samples.put(cpu.find() ? Integer.parseInt(cpu.group(1)) : -1, Double.parseDouble(sample.group(2)));
        }
        return samples;
    }

    private static void stop(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void removeTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
