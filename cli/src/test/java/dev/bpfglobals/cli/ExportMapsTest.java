package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.BpfMap;
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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code export --map}: hash maps written by a real program (flows.bpf.c, run with
 * BPF_PROG_TEST_RUN on two CPUs), scraped over HTTP, one series per entry with labels from the
 * key's BTF, per-CPU values summed, and at most max-series series a scrape.
 */
@RequiresBpf
class ExportMapsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Path pins;

    @BeforeEach
    void loadAndRunFlows() throws Exception {
        pins = BpfPins.path("cli-export-maps");
        cli("load", BpfObjects.compile("flows").toString(), "--pin", pins.toString());
        // Two runs on CPU 0 and three on CPU 1: the PERCPU_HASH holds 2 and 3, summed to 5.
        cli("run", pins.resolve("progs/count_flows").toString(), "--cpu", "0", "--repeat", "2");
        cli("run", pins.resolve("progs/count_flows").toString(), "--cpu", "1", "--repeat", "3");
    }

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

    private void cli(String... args) {
        assertThat(BpfGlobalsCli.run(args, new PrintStream(new ByteArrayOutputStream()), System.err)).as(String.join(" ", args)).isZero();
    }

    private ExportCommand.Running export(String... maps) throws IOException {
        List<String> words = new ArrayList<>(List.of("export", "--listen", "127.0.0.1:0"));
        for (String map : maps) {
            words.add("--map");
            words.add(map);
        }
        ExportCommand.Running running = ExportCommands.start(words, new PrintStream(out, true), new PrintStream(err, true));
        assertThat(running).as(err.toString()).isNotNull();
        return running;
    }

    /** The sample lines of one scrape whose names start with {@code prefix}, sorted; the scrape must succeed. */
    private static List<String> scrape(ExportCommand.Running running, String prefix) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + running.server().port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().lines().filter(l -> l.startsWith(prefix)).sorted().toList();
    }

    private String pin(String map) {
        return pins.resolve("maps/" + map).toAbsolutePath().toString();
    }

    @Test
    void aHashMapKeyedByAStructIsOneSeriesPerEntryLabelledByItsMembers() throws Exception {
        try (ExportCommand.Running running = export(pin("flows"))) {
            String source = "source=\"" + pin("flows") + "\"";
            assertThat(scrape(running, "bpf_flows")).containsExactly(
                    "bpf_flows_total{name=\"d\\\\xff\",port=\"53\",proto=\"17\"," + source + "} 15.0",
                    "bpf_flows_total{name=\"t\\\"ls\",port=\"443\",proto=\"6\"," + source + "} 10.0",
                    "bpf_flows_total{name=\"web\",port=\"80\",proto=\"6\"," + source + "} 5.0");
            assertThat(scrape(running, "bpf_globals_map_entries_dropped")).containsExactly(
                    "bpf_globals_map_entries_dropped{metric=\"bpf_flows\"," + source + "} 0.0");
            assertThat(err.toString()).isEmpty();
        }
    }

    @Test
    void aPerCpuHashMapsValuesAreSummedOverTheCpus() throws Exception {
        try (ExportCommand.Running running = export(pin("flows_percpu") + ",metric=flow_runs,labels=protocol:dport:app")) {
            String source = "source=\"" + pin("flows_percpu") + "\"";
            assertThat(scrape(running, "flow_runs")).containsExactly(
                    "flow_runs_total{app=\"d\\\\xff\",dport=\"53\",protocol=\"17\"," + source + "} 5.0",
                    "flow_runs_total{app=\"t\\\"ls\",dport=\"443\",protocol=\"6\"," + source + "} 5.0",
                    "flow_runs_total{app=\"web\",dport=\"80\",protocol=\"6\"," + source + "} 5.0");
        }
    }

    @Test
    void aScalarKeyIsOneLabelAndASignedValueAGauge() throws Exception {
        try (ExportCommand.Running running = export(pin("by_port") + ",labels=port")) {
            String source = "source=\"" + pin("by_port") + "\"";
            assertThat(scrape(running, "bpf_by_port")).containsExactly(
                    "bpf_by_port{port=\"53\"," + source + "} -53.0",
                    "bpf_by_port{port=\"80\"," + source + "} -80.0");
        }
    }

    @Test
    void aScrapeServesAtMostMaxSeriesEntriesAndCountsTheRestWithOneWarning() throws Exception {
        try (ExportCommand.Running running = export(pin("many") + ",max-series=5")) {
            String source = "source=\"" + pin("many") + "\"";
            for (int scrape = 0; scrape < 2; scrape++) {
                List<String> served = scrape(running, "bpf_many");
                assertThat(served).hasSize(5).allMatch(line -> line.matches("bpf_many_total\\{key=\"(\\d+)\"," 
                        + java.util.regex.Pattern.quote(source) + "} \\d+\\.0"));
                for (String line : served) {
                    int key = Integer.parseInt(line.replaceAll(".*key=\"(\\d+)\".*", "$1"));
                    assertThat(line).endsWith("} " + key * 10 + ".0");
                }
                assertThat(scrape(running, "bpf_globals_map_entries_dropped")).containsExactly(
                        "bpf_globals_map_entries_dropped{metric=\"bpf_many\"," + source + "} 15.0");
            }
            assertThat(err.toString().lines().toList()).singleElement().asString()
                    .contains("--map " + pin("many"), "more than 5 entries", "bpf_globals_map_entries_dropped");
        }
    }

    @Test
    void aMapThatIsNotAHashIsSkippedNamingItsType() throws Exception {
        Path array = pins.resolve("maps/not_a_hash");
        try (BpfMap map = BpfMap.create(MapType.ARRAY, 4, 8, 4, false, "not_a_hash")) {
            map.pin(array);
        }
        try (ExportCommand.Running running = export(pin("flows"), array.toString())) {
            assertThat(err.toString()).contains("skipping --map " + array + ": map 'not_a_hash' is a ARRAY, not a hash map");
            assertThat(scrape(running, "bpf_flows_total")).hasSize(3);
        }
    }

    @Test
    void anUnknownOrRepeatedMapOptionIsAUsageErrorNamingIt() throws Exception {
        assertThat(ExportCommands.start(List.of("export", "--listen", "127.0.0.1:0", "--map", pin("flows") + ",colour=red"),
                new PrintStream(out, true), new PrintStream(err, true))).isNull();
        assertThat(err.toString()).contains("unknown option 'colour'", "metric=, labels=, type=, max-series=");
        err.reset();
        assertThat(ExportCommands.start(List.of("export", "--listen", "127.0.0.1:0", "--map", pin("flows") + ",type=sum"),
                new PrintStream(out, true), new PrintStream(err, true))).isNull();
        assertThat(err.toString()).contains("type=sum: give counter or gauge");
        err.reset();
        assertThat(ExportCommands.start(List.of("export", "--listen", "127.0.0.1:0", "--map", pin("flows") + ",labels=a:b"),
                new PrintStream(out, true), new PrintStream(err, true))).isNotNull().satisfies(ExportCommand.Running::close);
        assertThat(err.toString()).contains("labels= names 2 labels but its key has 3 parts (proto, port, name)");
    }
}
