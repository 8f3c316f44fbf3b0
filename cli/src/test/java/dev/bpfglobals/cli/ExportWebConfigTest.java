package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.BpfPins;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export --web.config.file}: node_exporter's TLS and basic auth on the tool's own server, scraped by curl. */
@RequiresBpf
class ExportWebConfigTest {

    /** {@code hunter2}, hashed by libxcrypt's bcrypt. */
    private static final String HUNTER2 = "$2b$05$abcdefghijklmnopqrstuuoXuKqgZXLiJqzfmMXDDhSFPIvxV7t8.";

    @TempDir
    Path dir;
    private Path pins;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void loadFlows() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")) && Files.isExecutable(Path.of("/usr/bin/curl")),
                "openssl and curl are needed");
        pins = BpfPins.path("cli-export-web");
        assertThat(BpfGlobalsCli.run(new String[] {"load", BpfObjects.compile("flows").toString(), "--pin", pins.toString()},
                new PrintStream(new ByteArrayOutputStream()), System.err)).isZero();
        assertThat(BpfGlobalsCli.run(new String[] {"run", pins.resolve("progs/count_flows").toString(), "--cpu", "0"},
                new PrintStream(new ByteArrayOutputStream()), System.err)).isZero();
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

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    @Test
    void aWebConfigFileServesHttpsToTheUserWithThePasswordOnly() throws Exception {
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", dir.resolve("tls.key").toString(),
                "-out", dir.resolve("tls.crt").toString());
        Path config = Files.writeString(dir.resolve("web.yml"),
                "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\nbasic_auth_users:\n  prometheus: " + HUNTER2 + "\n");
        ExportCommand.Running running = ExportCommands.start(List.of("export", "--listen", "127.0.0.1:0",
                "--web.config.file", config.toString(), "--map", pins.resolve("maps/flows").toString()),
                new PrintStream(out, true), new PrintStream(err, true));
        assertThat(running).as(err.toString()).isNotNull();
        try (running) {
            String url = "https://127.0.0.1:" + running.server().port() + "/metrics";
            String ca = dir.resolve("tls.crt").toString();

            assertThat(run("curl", "-sS", "--cacert", ca, "-u", "prometheus:hunter2", url)).contains("bpf_flows_total{name=\"web\"");
            assertThat(run("curl", "-sS", "--cacert", ca, "-u", "prometheus:wrong", "-w", "%{http_code}", "-o", "/dev/null", url))
                    .isEqualTo("401");
            assertThat(out.toString()).contains("serving " + url + " (TLS (TLSv1.2, TLSv1.3), basic auth (1 user))");
        }
    }

    @Test
    void aWebConfigWithAnUnknownKeyIsAUsageErrorNamingIt() throws Exception {
        Path config = Files.writeString(dir.resolve("web.yml"), "tls_server_config:\n  cert_file: a\n  key_file: b\n  certfile: c\n");

        int status = BpfGlobalsCli.run(new String[] {"export", "--listen", "127.0.0.1:0", "--web.config.file", config.toString(),
                "--map", pins.resolve("maps/flows").toString()}, new PrintStream(out, true), new PrintStream(err, true));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).startsWith("bpf-globals export: --web.config.file: web config " + config
                + ": unknown or unsupported key 'tls_server_config.certfile'");
    }
}
