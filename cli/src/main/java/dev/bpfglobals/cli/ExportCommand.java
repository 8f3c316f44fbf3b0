package dev.bpfglobals.cli;

import dev.bpfglobals.exporter.OpenTelemetryGlobals;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code export --listen HOST:PORT [--per-cpu] [--otlp URL [--otlp-interval SECONDS]] [--classpath CP] SOURCE...}:
 * serves {@code /metrics} in Prometheus's format for pinned global-section maps, read once per
 * scrape each; with {@code --otlp}, also pushes the same metrics over OTLP/HTTP (e.g. to an
 * OpenTelemetry collector's {@code http://HOST:4318/v1/metrics}) every interval (default 10 s). A source that cannot be opened
 * (no pin, not a global-section map, a contract that does not match) gets one line on stderr and
 * is left out; the others are served. See {@link ExportSource} for what a source is.
 */
final class ExportCommand {

    static final String USAGE = "usage: bpf-globals export --listen HOST:PORT [--per-cpu]"
            + " [--otlp URL [--otlp-interval SECONDS]] [--classpath CP] PIN[=CONTRACT.json|=record:FQCN]...";

    private ExportCommand() {
    }

    /** A running exporter: the HTTP server, the OTLP push (or null), and the maps they read. */
    record Running(HTTPServer server, SdkMeterProvider otlp, List<ExportSource> sources) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            if (otlp != null) {
                otlp.close(); // pushes a last time, then stops
            }
            for (ExportSource source : sources) {
                try {
                    source.close();
                } catch (Exception e) {
                    // The process is ending or the test is done; an fd that does not close changes nothing.
                }
            }
        }
    }

    static int run(List<String> words, PrintStream out, PrintStream err) throws Exception {
        Running running = start(words, out, err);
        if (running == null) {
            return 2;
        }
        if (running.sources().isEmpty()) {
            running.close();
            err.println("bpf-globals export: no source could be opened; nothing to serve");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }));
        stopped.await(); // serves until the process is told to stop (SIGTERM, SIGINT)
        return 0;
    }

    /**
     * Opens the sources and starts serving; null after printing the usage. The server runs even
     * when no source opened, so that a caller sees the port; {@link #run} then stops.
     */
    static Running start(List<String> words, PrintStream out, PrintStream err) throws IOException {
        String listen = null;
        String otlp = null;
        int otlpSeconds = 10;
        boolean perCpu = false;
        String classpath = "";
        List<String> specs = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("--listen") && i + 1 < words.size() && listen == null) {
                listen = words.get(++i);
            } else if (word.equals("--otlp") && i + 1 < words.size() && otlp == null) {
                otlp = words.get(++i);
            } else if (word.equals("--otlp-interval") && i + 1 < words.size()) {
                otlpSeconds = number(words.get(++i));
                if (otlpSeconds < 1) {
                    return usage(err, "--otlp-interval " + words.get(i) + ": give a whole number of seconds");
                }
            } else if (word.equals("--classpath") && i + 1 < words.size()) {
                classpath = words.get(++i);
            } else if (word.equals("--per-cpu")) {
                perCpu = true;
            } else if (!word.startsWith("--")) {
                specs.add(word);
            } else {
                return usage(err, "unexpected '" + word + "'");
            }
        }
        if (listen == null || specs.isEmpty()) {
            return usage(err, listen == null ? "no --listen HOST:PORT" : "no source");
        }
        int colon = listen.lastIndexOf(':');
        int port = colon < 0 ? -1 : number(listen.substring(colon + 1));
        if (port < 0 || port > 65535) {
            return usage(err, "--listen " + listen + ": give HOST:PORT, e.g. 127.0.0.1:9435");
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        List<ExportSource> sources = new ArrayList<>();
        for (String spec : specs) {
            try {
                ExportSource source = ExportSource.open(spec, perCpu, classpath);
                try {
                    source.collector().register(registry);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    source.close();
                    throw new IllegalArgumentException("its metric names clash with an earlier source's (" + e.getMessage()
                            + "); give it a contract, whose record names them");
                }
                sources.add(source);
                out.println("exporting " + spec + ": " + source.collector().getPrometheusNames().size() + " metrics");
            } catch (Exception e) {
                err.println("bpf-globals export: skipping " + spec + ": " + e.getMessage());
            }
        }
        SdkMeterProvider provider = null;
        if (otlp != null) {
            provider = SdkMeterProvider.builder().registerMetricReader(PeriodicMetricReader.builder(
                    OtlpHttpMetricExporter.builder().setEndpoint(otlp).build())
                    .setInterval(Duration.ofSeconds(otlpSeconds)).build()).build();
            for (ExportSource source : sources) {
                OpenTelemetryGlobals.register(provider.get("bpf-globals"), source.collector());
            }
            out.println("pushing OTLP to " + otlp + " every " + otlpSeconds + " s");
        }
        HTTPServer server = HTTPServer.builder().hostname(listen.substring(0, colon)).port(port).registry(registry)
                .buildAndStart();
        out.println("serving http://" + listen.substring(0, colon) + ":" + server.getPort() + "/metrics");
        out.flush();
        return new Running(server, provider, sources);
    }

    /** {@code text} as a non-negative number, or -1. */
    private static int number(String text) {
        try {
            return Math.max(-1, Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Running usage(PrintStream err, String problem) {
        err.println("bpf-globals export: " + problem + "; " + USAGE);
        return null;
    }
}
