package dev.bpfglobals.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MetricsServer} with a {@link WebConfig} of node_exporter's format, scraped by {@code curl}:
 * TLS with a certificate {@code openssl} makes here (RSA and EC), basic auth with bcrypt hashes.
 */
class WebConfigServerTest {

    /** {@code hunter2} hashed by libxcrypt's bcrypt (Python's crypt), not by the library under test. */
    private static final String HUNTER2 = "$2b$05$abcdefghijklmnopqrstuuoXuKqgZXLiJqzfmMXDDhSFPIvxV7t8.";

    @TempDir
    static Path dir;

    private MetricsServer server;

    @BeforeAll
    static void makeCertificates() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")) && Files.isExecutable(Path.of("/usr/bin/curl")),
                "openssl and curl are needed");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", dir.resolve("rsa.key").toString(),
                "-out", dir.resolve("rsa.crt").toString());
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", dir.resolve("ec.key").toString(), "-out", dir.resolve("ec.crt").toString());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }

    /** curl's exit status and what it printed (the status code at the end, after the body). */
    private static Curl curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Curl(process.exitValue(), output);
    }

    private record Curl(int exit, String output) {
        String status() {
            return output.substring(output.lastIndexOf('\n') + 1);
        }
    }

    private void serve(String yaml) throws IOException {
        Path config = dir.resolve("web.yml");
        Files.writeString(config, yaml);
        PrometheusRegistry registry = new PrometheusRegistry();
        Gauge.builder().name("test_value").help("a value").register(registry).set(7);
        server = MetricsServer.builder(new MetricsPages(registry, "test exporter")).port(0)
                .headerTimeout(Duration.ofSeconds(2)).webConfig(WebConfig.read(config)).start();
    }

    private String https() {
        return "https://127.0.0.1:" + server.port() + "/metrics";
    }

    @Test
    void aTlsScrapeWithTheRightPasswordGetsTheMetrics() throws Exception {
        serve("tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa.key\nbasic_auth_users:\n  prometheus: " + HUNTER2 + "\n");

        Curl scrape = curl("--cacert", dir.resolve("rsa.crt").toString(), "-u", "prometheus:hunter2", https());

        assertThat(scrape.exit()).as(scrape.output()).isZero();
        assertThat(scrape.status()).isEqualTo("200");
        assertThat(scrape.output()).contains("test_value 7.0");
        // Again: the second scrape takes the remembered pair, and must answer the same.
        assertThat(curl("--cacert", dir.resolve("rsa.crt").toString(), "-u", "prometheus:hunter2", https()).status()).isEqualTo("200");
    }

    @Test
    void aWrongPasswordAnUnknownUserOrNoneGets401() throws Exception {
        serve("tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa.key\nbasic_auth_users:\n  prometheus: " + HUNTER2 + "\n");
        String ca = dir.resolve("rsa.crt").toString();

        Curl wrong = curl("--cacert", ca, "-u", "prometheus:hunter3", https());
        Curl unknown = curl("--cacert", ca, "-u", "grafana:hunter2", https());
        Curl none = curl("--cacert", ca, "-i", https());

        assertThat(wrong.status()).isEqualTo("401");
        assertThat(wrong.output()).doesNotContain("test_value");
        assertThat(unknown.status()).isEqualTo("401");
        assertThat(none.status()).isEqualTo("401");
        assertThat(none.output()).contains("WWW-Authenticate: Basic realm=\"bpf-globals\"");
    }

    @Test
    void plainHttpToTheTlsPortIsRefused() throws Exception {
        serve("tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa.key\n");

        Curl plain = curl("http://127.0.0.1:" + server.port() + "/metrics");

        assertThat(plain.exit()).as(plain.output()).isNotZero(); // 52: empty reply, the connection closed
        assertThat(plain.output()).doesNotContain("test_value");
        assertThat(curl("--cacert", dir.resolve("rsa.crt").toString(), https()).status()).isEqualTo("200");
    }

    @Test
    void anEcKeyServesTlsAndTls13CanBeRequired() throws Exception {
        serve("tls_server_config:\n  cert_file: ec.crt\n  key_file: ec.key\n  min_version: TLS13\n");
        String ca = dir.resolve("ec.crt").toString();

        Curl tls13 = curl("--cacert", ca, "--tlsv1.3", https());
        Curl tls12Only = curl("--cacert", ca, "--tls-max", "1.2", https());

        assertThat(tls13.status()).as(tls13.output()).isEqualTo("200");
        assertThat(tls13.output()).contains("test_value 7.0");
        assertThat(tls12Only.exit()).as("a TLS 1.2 client is refused when min_version is TLS13").isNotZero();
    }

    @Test
    @Timeout(30)
    void aClientThatNeverFinishesItsHandshakeIsCutOffAtTheHeaderDeadline() throws Exception {
        serve("tls_server_config:\n  cert_file: rsa.crt\n  key_file: rsa.key\n");
        try (Socket silent = new Socket("127.0.0.1", server.port())) {
            silent.getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // the start of a ClientHello, and no more
            silent.setSoTimeout(20_000); // far past the 2 s deadline: a server that never closes fails the read

            assertThat(silent.getInputStream().read()).as("closed by the server").isEqualTo(-1);
        }
        assertThat(curl("--cacert", dir.resolve("rsa.crt").toString(), https()).status()).isEqualTo("200");
    }

    @Test
    void basicAuthWithoutTlsAsksForThePasswordToo() throws Exception {
        serve("basic_auth_users:\n  prometheus: " + HUNTER2 + "\n");
        String http = "http://127.0.0.1:" + server.port() + "/metrics";

        assertThat(curl("-u", "prometheus:hunter2", http).status()).isEqualTo("200");
        assertThat(curl(http).status()).isEqualTo("401");
    }
}
