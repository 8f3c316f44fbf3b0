package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.BpfPins;
import dev.bpfglobals.runtime.testing.ChildJvms;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code export --user}: the exporter, started as root in a child JVM, opens its map, binds its
 * port, then runs as {@code nobody} with no capabilities on every thread, and still serves the map.
 */
@RequiresBpf
class ExportUserTest {

    private static final Pattern SERVING = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/metrics.*");

    private Path pins;
    private Process child;

    @BeforeEach
    void loadFlows() throws Exception {
        pins = BpfPins.path("cli-export-user");
        cli("load", BpfObjects.compile("flows").toString(), "--pin", pins.toString());
        cli("run", pins.resolve("progs/count_flows").toString(), "--cpu", "0", "--repeat", "2");
    }

    @AfterEach
    void stop() throws Exception {
        if (child != null) {
            child.destroy();
            child.waitFor();
        }
        if (Files.exists(pins)) {
            try (Stream<Path> all = Files.walk(pins)) {
                for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static void cli(String... args) {
        assertThat(BpfGlobalsCli.run(args, new PrintStream(new ByteArrayOutputStream()), System.err)).as(String.join(" ", args)).isZero();
    }

    /** {@code /proc/PID/status}'s line starting with {@code field}, its value only. */
    private static String status(Path status, String field) throws IOException {
        return Files.readAllLines(status).stream().filter(l -> l.startsWith(field + ":")).findFirst().orElseThrow()
                .substring(field.length() + 1).trim();
    }

    @Test
    @Timeout(120)
    void asNobodyWithNoCapabilitiesItStillServesTheMapsItOpened() throws Exception {
        List<String> command = ChildJvms.java();
        command.addAll(List.of("dev.bpfglobals.cli.BpfGlobalsCli", "export", "--listen", "127.0.0.1:0", "--user", "nobody",
                "--map", pins.resolve("maps/flows").toString()));
        child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        int port = -1;
        for (String line; (line = out.readLine()) != null; ) {
            Matcher serving = SERVING.matcher(line);
            if (serving.matches()) {
                port = Integer.parseInt(serving.group(1));
            }
            if (line.startsWith("running as uid")) {
                assertThat(line).isEqualTo("running as uid 65534, gid 65534, with no capabilities");
                break;
            }
        }
        assertThat(port).as("the child said where it serves, then that it dropped").isPositive();

        Path proc = Path.of("/proc/" + child.pid());
        assertThat(status(proc.resolve("status"), "Uid")).isEqualTo("65534\t65534\t65534\t65534");
        assertThat(status(proc.resolve("status"), "Gid")).isEqualTo("65534\t65534\t65534\t65534");
        assertThat(status(proc.resolve("status"), "Groups")).isEqualTo("65534");
        int serving = 0;
        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            for (Path task : tasks.toList()) {
                String thread = "thread " + task.getFileName() + " (" + Files.readString(task.resolve("comm")).strip() + ")";
                assertThat(status(task.resolve("status"), "Uid")).as(thread).isEqualTo("65534\t65534\t65534\t65534");
                assertThat(status(task.resolve("status"), "CapEff")).as(thread).isEqualTo("0000000000000000");
                assertThat(status(task.resolve("status"), "CapPrm")).as(thread).isEqualTo("0000000000000000");
                assertThat(status(task.resolve("status"), "CapAmb")).as(thread).isEqualTo("0000000000000000");
                // The per-thread parts hold on the threads that serve, all started after the drop.
                if (Files.readString(task.resolve("comm")).startsWith("bpf-globals-met")) {
                    serving++;
                    assertThat(status(task.resolve("status"), "NoNewPrivs")).as(thread).isEqualTo("1");
                    assertThat(status(task.resolve("status"), "CapBnd")).as(thread).isEqualTo("0000000000000000");
                }
            }
        }
        assertThat(serving).as("the selector thread").isPositive();

        HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
        assertThat(scrape.body()).contains("bpf_flows_total{name=\"web\",port=\"80\",proto=\"6\",source=\""
                + pins.resolve("maps/flows").toAbsolutePath() + "\"} 2.0");
        cli("run", pins.resolve("progs/count_flows").toString(), "--cpu", "0");
        String again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(again).as("a later run is seen: the map is read, not a copy").contains("proto=\"6\",source=\""
                + pins.resolve("maps/flows").toAbsolutePath() + "\"} 3.0");
    }

    @Test
    void rootOrAnUnknownUserIsAUsageError() throws Exception {
        for (String user : List.of("root", "0:0", "no-such-user-bpfglobals")) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = BpfGlobalsCli.run(new String[] {"export", "--listen", "127.0.0.1:0", "--user", user,
                    "--map", pins.resolve("maps/flows").toString()}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));

            assertThat(status).as(user).isEqualTo(2);
            assertThat(err.toString()).as(user).startsWith("bpf-globals export: --user " + user).contains(user.equals("root")
                    || user.equals("0:0") ? "is root (uid or gid 0)" : "no user 'no-such-user-bpfglobals' on this system");
        }
    }
}
