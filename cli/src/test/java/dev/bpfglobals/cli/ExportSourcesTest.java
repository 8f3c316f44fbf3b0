package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.MapAccess;
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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code export}'s sources as targets: each series labelled with its pin, so two pins of one map
 * are two sources; a {@code bpf_globals_source_up} gauge per source; a pin removed or replaced
 * under the running exporter is noticed at the next scrape.
 */
@RequiresBpf
class ExportSourcesTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Path pins;
    private Path percpu;
    private Path data;
    private Path secondPin;

    @BeforeEach
    void loadAndRunTicks() throws Exception {
        pins = BpfPins.path("cli-export-sources");
        percpu = pins.resolve("maps/_percpu");
        data = pins.resolve("maps/_data");
        secondPin = pins.resolveSibling(pins.getFileName() + "-again");
        loadTicks("-5", "3");
    }

    @AfterEach
    void removePins() throws IOException {
        removeTree(pins);
        Files.deleteIfExists(secondPin);
    }

    private void loadTicks(String step, String runs) throws Exception {
        cli("load", LoadRunDumpTest.ticks().toString(), "--pin", pins.toString(), "--set", ".data.step=" + step);
        cli("run", pins.resolve("progs/tick_xdp").toString(), "--cpu", "0", "--repeat", runs);
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

    private void cli(String... args) {
        assertThat(BpfGlobalsCli.run(args, new PrintStream(new ByteArrayOutputStream()), System.err)).as(String.join(" ", args)).isZero();
    }

    private ExportCommand.Running export(Path... sources) throws IOException {
        List<String> words = new ArrayList<>(List.of("export", "--listen", "127.0.0.1:0"));
        Stream.of(sources).map(Path::toString).forEach(words::add);
        ExportCommand.Running running = ExportCommands.start(words, new PrintStream(out, true), new PrintStream(err, true));
        assertThat(running).as(err.toString()).isNotNull();
        return running;
    }

    /** The sample lines of one scrape, which must succeed. */
    private static List<String> scrape(ExportCommand.Running running) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + running.server().port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    }

    private static String source(Path pin) {
        return "source=\"" + pin.toAbsolutePath() + "\"";
    }

    @Test
    void twoPinsOfOneMapAreTwoSourcesEachLabelledByItsPin() throws Exception {
        try (BpfMap map = BpfMap.openPinned(percpu, MapAccess.READ_ONLY)) {
            map.pin(secondPin);
        }
        try (ExportCommand.Running running = export(percpu, secondPin)) {
            List<String> samples = scrape(running);

            assertThat(samples).contains("bpf_percpu_runs_total{" + source(percpu) + "} 3.0",
                    "bpf_percpu_runs_total{" + source(secondPin) + "} 3.0",
                    "bpf_globals_source_up{" + source(percpu) + "} 1.0",
                    "bpf_globals_source_up{" + source(secondPin) + "} 1.0");
            assertThat(err.toString()).isEmpty();
        }
    }

    @Test
    void aSourceNameLabelsThatPinsSeriesInsteadOfItsPath() throws Exception {
        try (BpfMap map = BpfMap.openPinned(percpu, MapAccess.READ_ONLY)) {
            map.pin(secondPin);
        }
        ExportCommand.Running running = ExportCommands.start(List.of("export", "--listen", "127.0.0.1:0",
                "--source-name", secondPin + "=replica", percpu.toString(), secondPin.toString()),
                new PrintStream(out, true), new PrintStream(err, true));
        assertThat(running).as(err.toString()).isNotNull();
        try (running) {
            assertThat(scrape(running)).contains("bpf_percpu_runs_total{" + source(percpu) + "} 3.0",
                    "bpf_percpu_runs_total{source=\"replica\"} 3.0", "bpf_globals_source_up{source=\"replica\"} 1.0");
        }
    }

    @Test
    void aSourceNameForAPinNoSourceHasIsAUsageError() {
        int status = BpfGlobalsCli.run(new String[] {"export", "--listen", "127.0.0.1:0", "--source-name", data + "=x",
                percpu.toString()}, new PrintStream(out, true), new PrintStream(err, true));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).startsWith("bpf-globals export: --source-name " + data + ": no SOURCE has that pin");
    }

    @Test
    void theSamePinGivenTwiceIsRefusedAtStartNamingBoth() {
        int status = BpfGlobalsCli.run(new String[] {"export", "--listen", "127.0.0.1:0", percpu.toString(),
                percpu + "=record:dev.bpfglobals.cli.Ticks", "--classpath", "target/test-classes"},
                new PrintStream(out, true), new PrintStream(err, true));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).startsWith("bpf-globals export: sources " + percpu + " and " + percpu
                + "=record:dev.bpfglobals.cli.Ticks are both labelled " + source(percpu) + "; their series would collide");
    }

    @Test
    void aRemovedPinDirectoryMakesItsSourcesDownWithNoValues() throws Exception {
        try (ExportCommand.Running running = export(percpu, data)) {
            assertThat(scrape(running)).contains("bpf_percpu_runs_total{" + source(percpu) + "} 3.0");

            removeTree(pins);
            List<String> samples = scrape(running);

            assertThat(samples).containsExactlyInAnyOrder("bpf_globals_source_up{" + source(percpu) + "} 0.0",
                    "bpf_globals_source_up{" + source(data) + "} 0.0");
            assertThat(err.toString().lines()).containsExactly(
                    "bpf-globals export: " + percpu + ": its pin is gone; reporting it down until a map is pinned there again",
                    "bpf-globals export: " + data + ": its pin is gone; reporting it down until a map is pinned there again");
        }
    }

    @Test
    void aNewLoadAtTheSamePathIsExportedInsteadOfTheOrphanedMap() throws Exception {
        try (ExportCommand.Running running = export(percpu, data)) {
            assertThat(scrape(running)).contains("bpf_percpu_runs_total{" + source(percpu) + "} 3.0", "bpf_data_step{" + source(data) + "} -5.0");

            removeTree(pins);
            loadTicks("-7", "1");
            List<String> samples = scrape(running);

            assertThat(samples).contains("bpf_globals_source_up{" + source(percpu) + "} 1.0",
                    "bpf_globals_source_up{" + source(data) + "} 1.0",
                    "bpf_percpu_runs_total{" + source(percpu) + "} 1.0",
                    "bpf_data_step{" + source(data) + "} -7.0");
            assertThat(samples).noneMatch(sample -> sample.endsWith(" 3.0") || sample.endsWith(" -5.0"));
            assertThat(err.toString()).contains(percpu + ": a new map is pinned there; now exporting it");
        }
    }
}
