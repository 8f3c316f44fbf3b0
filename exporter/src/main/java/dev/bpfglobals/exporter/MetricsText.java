package dev.bpfglobals.exporter;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A registry's metrics in Prometheus's text format, as {@code /metrics} serves them. */
public final class MetricsText {

    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    private MetricsText() {
    }

    /** Scrapes {@code registry} and writes the text to {@code out}. */
    public static void write(PrometheusRegistry registry, OutputStream out) throws IOException {
        WRITER.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    }

    /** Scrapes {@code registry} into a string. */
    public static String of(PrometheusRegistry registry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(registry, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
