package dev.bpfglobals.cli;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code export --listen HOST:PORT [--per-cpu] SOURCE...}: serves {@code /metrics} in Prometheus's
 * format for pinned global-section maps, read once per scrape each. A source that cannot be opened
 * (no pin, not a global-section map, a contract that does not match) gets one line on stderr and
 * is left out; the others are served. See {@link ExportSource} for what a source is.
 */
final class ExportCommand {

    static final String USAGE = "usage: bpf-globals export --listen HOST:PORT [--per-cpu] PIN[=CONTRACT.json]...";

    private ExportCommand() {
    }

    /** A running exporter: the HTTP server and the maps it reads. */
    record Running(HTTPServer server, List<ExportSource> sources) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
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
        boolean perCpu = false;
        List<String> specs = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("--listen") && i + 1 < words.size() && listen == null) {
                listen = words.get(++i);
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
        int port = colon < 0 ? -1 : port(listen.substring(colon + 1));
        if (port < 0) {
            return usage(err, "--listen " + listen + ": give HOST:PORT, e.g. 127.0.0.1:9435");
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        List<ExportSource> sources = new ArrayList<>();
        for (String spec : specs) {
            try {
                ExportSource source = ExportSource.open(spec, perCpu);
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
        HTTPServer server = HTTPServer.builder().hostname(listen.substring(0, colon)).port(port).registry(registry)
                .buildAndStart();
        out.println("serving http://" + listen.substring(0, colon) + ":" + server.getPort() + "/metrics");
        out.flush();
        return new Running(server, sources);
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            return port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Running usage(PrintStream err, String problem) {
        err.println("bpf-globals export: " + problem + "; " + USAGE);
        return null;
    }
}
