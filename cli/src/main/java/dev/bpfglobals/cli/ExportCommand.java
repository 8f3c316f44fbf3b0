package dev.bpfglobals.cli;

import dev.bpfglobals.exporter.GlobalsCollector;
import dev.bpfglobals.exporter.MetricsPages;
import dev.bpfglobals.exporter.MetricsServer;
import dev.bpfglobals.exporter.OpenTelemetryGlobals;
import dev.bpfglobals.exporter.PrivilegeDrop;
import dev.bpfglobals.exporter.SourcesCollector;
import dev.bpfglobals.exporter.WebConfig;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code export --listen HOST:PORT [--per-cpu] [--otlp URL [--otlp-interval SECONDS]] [--classpath CP] SOURCE...}:
 * serves {@code /metrics} in Prometheus's format for pinned global-section maps, read once per
 * scrape each; with {@code --otlp}, also pushes the same metrics over OTLP/HTTP (e.g. to an
 * OpenTelemetry collector's {@code http://HOST:4318/v1/metrics}) every interval (default 10 s). A source that cannot be opened
 * (no pin, not a global-section map, a contract that does not match) gets one line on stderr and
 * is left out; the others are served. See {@link ExportSource} for what a source is, {@link ExportedPin}
 * for how its pin is followed, and {@link MetricsServer} for what is served to whom.
 */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Version.class, separator = " ",
        customSynopsis = {"bpf-globals export --listen HOST:PORT [--per-cpu] [--classpath CP]",
                "                          [--otlp URL [--otlp-interval SECONDS]]",
                "                          [--source-name PIN=NAME]...",
                "                          [--map PIN[,OPTION]...]... [SOURCE...]"},
        description = {"Serves pinned maps' variables as Prometheus metrics, and over OTLP.",
                "",
                "Each SOURCE is a pinned global-section map, PIN, with the contract that names its variables:"
                + " PIN=CONTRACT.json, or PIN=record:FQCN for a record's generated accessor on --classpath;"
                + " without one, the map's BTF names them. /metrics is served in Prometheus's format, each"
                + " map read once per scrape; with --otlp, the same metrics are pushed over OTLP/HTTP too. A"
                + " source that cannot be opened gets one line on stderr and is left out.",
                "",
                "Each --map is a pinned hash map (HASH, PERCPU_HASH, LRU_...) served as one family, one series per"
                + " entry: its key's BTF members (or labels=) name the labels, its integer value (summed over CPUs)"
                + " is the value. A scrape serves at most max-series entries of it and counts the rest in"
                + " bpf_globals_map_entries_dropped. Not pushed over OTLP.",
                "",
                "Every series is labelled source=PIN (the absolute pin path, or --source-name's NAME), and bpf_globals_source_up{source}"
                + " is 1 while the source is read, 0 once its pin is gone; a map pinned anew at the path is"
                + " opened in its place. Only GET and HEAD of /metrics and / are answered; a client that has"
                + " not sent its request within 10 s is cut off. See docs/exporter.md. Runs until stopped"
                + " (SIGINT, SIGTERM). Needs CAP_BPF."},
        footer = {"", "Example:", "  bpf-globals export --listen 127.0.0.1:9435 /sys/fs/bpf/ticks/maps/_percpu",
                "  bpf-globals export --listen 127.0.0.1:9435 \\",
                "      --map /sys/fs/bpf/app/maps/flows,metric=flow_packets,labels=proto:port:app"})
final class ExportCommand extends CliCommand {

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Where to serve /metrics (port 0: any).")
    private String listen;

    @Option(names = "--per-cpu", description = "Add a per-CPU series for each per-CPU variable.")
    private boolean perCpu;

    @Option(names = "--otlp", paramLabel = "URL", description = "Also push to this OTLP/HTTP metrics endpoint.")
    private String otlp;

    // Read by the command, not picocli, so that a bad value gets the same message as 0 does.
    @Option(names = "--otlp-interval", paramLabel = "SECONDS", description = "Seconds between pushes (default 10).")
    private String otlpInterval;

    @Option(names = "--classpath", paramLabel = "CP", description = "Where record:FQCN sources' records are.")
    private String classpath = "";

    @Option(names = "--source-name", paramLabel = "PIN=NAME", description = "Label PIN's series source=NAME, not its path.")
    private Map<String, String> sourceNames = new LinkedHashMap<>();

    @Option(names = "--map", paramLabel = "PIN[,OPTION]...", description = {"A pinned hash map, one series per entry, labelled"
            + " by its key; OPTION: metric=NAME, labels=A:B:.., type=counter|gauge, max-series=N (default "
            + MapOption.DEFAULT_MAX_SERIES + ")."})
    private List<String> maps = new ArrayList<>();

    @Option(names = "--web.config.file", paramLabel = "FILE",
            description = "TLS and basic auth, in node_exporter's web configuration format (see docs/exporter.md).")
    private Path webConfigFile;

    @Option(names = "--user", paramLabel = "USER[:GROUP]",
            description = "Once the maps are open and the port bound, run as USER with no capabilities (see docs/exporter.md).")
    private String user;

    @Parameters(paramLabel = "SOURCE", arity = "0..*", description = "PIN, PIN=CONTRACT.json or PIN=record:FQCN.")
    private List<String> specs = new ArrayList<>();

    /** A running exporter: the HTTP server, the OTLP push (or null), and the maps they read. */
    record Running(MetricsServer server, SdkMeterProvider otlp, List<ExportedPin> sources) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            if (otlp != null) {
                otlp.close(); // pushes a last time, then stops
            }
            sources.forEach(ExportedPin::close);
        }
    }

    @Override
    public Integer call() throws Exception {
        Running running = start();
        if (running.sources().isEmpty()) {
            running.close();
            err().println("bpf-globals export: no source could be opened; nothing to serve");
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
     * Opens the sources and starts serving. The server runs even when no source opened, so that a
     * caller sees the port; {@link #call} then stops.
     *
     * @throws picocli.CommandLine.ParameterException for a usage error (no --listen, no source, a bad port or interval)
     */
    Running start() throws IOException {
        if (listen == null) {
            throw usage("no --listen HOST:PORT");
        }
        int otlpSeconds = otlpInterval == null ? 10 : number(otlpInterval);
        if (otlpSeconds < 1) {
            throw usage("--otlp-interval " + otlpInterval + ": give a whole number of seconds");
        }
        int colon = listen.lastIndexOf(':');
        int port = colon < 0 ? -1 : number(listen.substring(colon + 1));
        if (port < 0 || port > 65535) {
            throw usage("--listen " + listen + ": give HOST:PORT, e.g. 127.0.0.1:9435");
        }
        WebConfig webConfig = WebConfig.none();
        if (webConfigFile != null) {
            try {
                webConfig = WebConfig.read(webConfigFile);
            } catch (IllegalArgumentException bad) {
                throw usage("--web.config.file: " + bad.getMessage());
            }
        }
        PrivilegeDrop drop = null;
        if (user != null) {
            try {
                drop = PrivilegeDrop.resolve(user);
            } catch (IllegalArgumentException bad) {
                throw usage(bad.getMessage());
            }
        }
        List<MapOption> mapOptions = new ArrayList<>();
        for (String map : maps) {
            try {
                mapOptions.add(MapOption.parse(map));
            } catch (IllegalArgumentException bad) {
                throw usage(bad.getMessage());
            }
        }
        if (specs.isEmpty() && mapOptions.isEmpty()) {
            throw usage("no SOURCE and no --map: give at least one pinned map to export");
        }
        PrintWriter out = out();
        Map<String, String> names = new LinkedHashMap<>();
        sourceNames.forEach((pin, name) -> names.put(ExportSource.label(pin), name));
        Set<String> pins = new HashSet<>();
        specs.forEach(spec -> pins.add(ExportSource.label(spec)));
        mapOptions.forEach(map -> pins.add(ExportSource.label(map.pin())));
        for (String pin : names.keySet()) {
            if (!pins.contains(pin)) {
                throw usage("--source-name " + pin + ": no SOURCE has that pin; give PIN as in a SOURCE");
            }
        }
        List<ExportedPin> sources = new ArrayList<>();
        for (String spec : specs) {
            try {
                String label = names.getOrDefault(ExportSource.label(spec), ExportSource.label(spec));
                ExportedPin source = ExportedPin.open(spec, label, perCpu, classpath, err(), otlp != null);
                sources.add(source);
                out.println("exporting " + Printable.message(spec) + ": " + source.source().collector().getPrometheusNames().size()
                        + " metrics, labelled source=\"" + Printable.message(source.label()) + "\"");
            } catch (Exception e) {
                err().println(Printable.message("bpf-globals export: skipping " + spec + ": " + Failures.describe(e)));
            }
        }
        for (MapOption map : mapOptions) {
            try {
                String label = names.getOrDefault(ExportSource.label(map.pin()), ExportSource.label(map.pin()));
                ExportedPin source = ExportedPin.openMap(map, label, err());
                sources.add(source);
                out.println("exporting --map " + Printable.message(map.pin()) + " as " + source.source().collector().getPrometheusNames()
                        .getFirst() + ", labelled source=\"" + Printable.message(source.label()) + "\"");
            } catch (Exception e) {
                err().println(Printable.message("bpf-globals export: skipping --map " + map.pin() + ": " + Failures.describe(e)));
            }
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        try {
            registry.register(new SourcesCollector(sources));
        } catch (IllegalArgumentException collision) {
            sources.forEach(ExportedPin::close);
            throw usage(collision.getMessage());
        }
        MetricsServer.Builder serving = MetricsServer.builder(new MetricsPages(registry, "bpf-globals exporter"))
                .host(listen.substring(0, colon)).port(port).webConfig(webConfig);
        if (drop != null) {
            serving.dropPrivileges(drop);
        }
        MetricsServer server;
        try {
            server = serving.start();
        } catch (IOException | RuntimeException e) {
            sources.forEach(ExportedPin::close);
            throw e;
        }
        out.println("serving " + (webConfig.usesTls() ? "https" : "http") + "://" + listen.substring(0, colon) + ":"
                + server.port() + "/metrics (" + webConfig.describe() + ")");
        if (drop != null) {
            out.println("running as uid " + drop.uid() + ", gid " + drop.gid() + ", with no capabilities");
        }
        // After the drop: the push's thread is started by this one, and so inherits it.
        SdkMeterProvider provider = null;
        if (otlp != null) {
            provider = SdkMeterProvider.builder().registerMetricReader(PeriodicMetricReader.builder(
                    OtlpHttpMetricExporter.builder().setEndpoint(otlp).build())
                    .setInterval(Duration.ofSeconds(otlpSeconds)).build()).build();
            for (ExportedPin source : sources) {
                // OTLP reads the maps opened at start: a replaced map is kept open for it (see ExportedPin).
                // Hash maps (--map) are served on /metrics only.
                if (source.source().collector() instanceof GlobalsCollector globals) {
                    OpenTelemetryGlobals.register(provider.get("bpf-globals"), globals);
                }
            }
            out.println("pushing OTLP to " + otlp + " every " + otlpSeconds + " s");
        }
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
}
