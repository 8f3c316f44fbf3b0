package dev.bpfglobals.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link MetricsServer} on loopback: slow and idle clients are cut off without holding up scrapes;
 * only GET and HEAD of / and /metrics are answered.
 */
class MetricsServerTest {

    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(3);

    private MetricsServer server;

    @BeforeEach
    void start() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        Gauge.builder().name("test_value").help("a value").register(registry).set(7);
        server = MetricsServer.builder(new MetricsPages(registry, "test exporter"))
                .host("127.0.0.1").port(0).workers(2).headerTimeout(HEADER_TIMEOUT).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    @Timeout(60)
    void twentyClientsSendingAByteASecondDoNotHoldUpTwoHundredConcurrentScrapes() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                slow.add(new Socket("127.0.0.1", server.port()));
            }
            Thread trickle = Thread.ofVirtual().start(() -> {
                // "GET /metrics HTTP/1.1\r\n..." one byte a second, for at most 8 s: a slowloris bounded in count and time.
                byte[] request = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                for (int second = 0; second < 8; second++) {
                    for (Socket socket : slow) {
                        try {
                            socket.getOutputStream().write(request[second]);
                        } catch (IOException e) {
                            // cut off by the server: what the test expects, sooner or later
                        }
                    }
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Thread.sleep(1500); // every slow client connected and has sent a byte or two

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<CompletableFuture<HttpResponse<String>>> scrapes = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                scrapes.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> scrape : scrapes) {
                HttpResponse<String> response = scrape.get(20, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("test_value 7.0");
            }
            // Well within the header timeout: the scrapes did not wait for the slow clients to be cut off.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(HEADER_TIMEOUT);
            assertThat(server.openConnections()).isGreaterThanOrEqualTo(20); // the slow ones are still connected...
            // ...and they are cut off by the header timeout, though each keeps sending.
            long cutOffBy = System.nanoTime() + HEADER_TIMEOUT.plusSeconds(2).toNanos();
            while (server.openConnections() > 0 && System.nanoTime() < cutOffBy) {
                Thread.sleep(100);
            }
            assertThat(server.openConnections()).isZero();
            trickle.interrupt();
            trickle.join();
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    @Timeout(30)
    void aClientThatSendsNothingIsClosedAfterTheHeaderTimeout() throws Exception {
        try (Socket idle = new Socket("127.0.0.1", server.port())) {
            long started = System.nanoTime();
            idle.setSoTimeout(10_000);

            assertThat(idle.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(HEADER_TIMEOUT.minusMillis(100),
                    HEADER_TIMEOUT.plusSeconds(2));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "TRACE", "OPTIONS", "PATCH", "FOO"})
    void methodsOtherThanGetAndHeadGet405NamingTheAllowedOnes(String method) throws IOException {
        String response = exchange(method + " /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 405 Method Not Allowed\r\n").contains("\r\nAllow: GET, HEAD\r\n")
                .doesNotContain("test_value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/metricsx", "/metrics/", "/favicon.ico", "/../metrics", "/index.html", "*"})
    void pathsOtherThanMetricsAndTheLandingPageGet404(String path) throws IOException {
        assertThat(exchange("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 404 Not Found\r\n")
                .doesNotContain("test_value");
    }

    @Test
    void getMetricsServesTheRegistryInTheTextFormat() throws IOException {
        String response = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Type: text/plain; version=0.0.4")
                .contains("Connection: close").endsWith("test_value 7.0\n");
    }

    @Test
    void aScraperAskingForOpenMetricsGetsIt() throws IOException {
        String response = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: application/openmetrics-text;version=1.0.0\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Type: application/openmetrics-text")
                .endsWith("# EOF\n");
    }

    @Test
    void aScraperAskingForProtobufAsPrometheusMayGetsTheTextFormatItAlsoAccepts() throws IOException {
        String response = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: application/vnd.google.protobuf;"
                + "proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,text/plain;version=0.0.4;q=0.4\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Type: text/plain; version=0.0.4")
                .endsWith("test_value 7.0\n");
    }

    @Test
    void aQueryStringIsIgnored() throws IOException {
        assertThat(exchange("GET /metrics?name[]=x HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("test_value 7.0");
    }

    @Test
    void headMetricsSendsTheHeadersOfGetWithoutTheBody() throws IOException {
        String get = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        String head = exchange("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(head).isEqualTo(get.substring(0, get.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void theLandingPageLinksToMetrics() throws IOException {
        assertThat(exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("Content-Type: text/html").contains("<a href=\"/metrics\">").contains("test exporter");
    }

    @Test
    void aRequestHeadOverEightKibibytesGets431() throws IOException {
        String response = exchange("GET /metrics HTTP/1.1\r\nX-Padding: " + "a".repeat(MetricsServer.MAX_HEAD) + "\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 431 ");
    }

    @Test
    void aLineThatIsNotHttpGets400() throws IOException {
        assertThat(exchange("hello\r\n\r\n")).startsWith("HTTP/1.1 400 Bad Request\r\n");
    }

    /** Sends {@code request} on a new connection and reads the response until the server closes it. */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // The server may answer (431) and close before reading everything; its answer is still there.
            }
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
