package dev.bpfglobals.exporter;

import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.util.Locale;

/**
 * Metric names: {@code bpf_<prefix>_<variable>}, where the prefix is a record's simple name in
 * snake case ({@code XdpStats} -> {@code xdp_stats}) or a section's name without its dot
 * ({@code .percpu} -> {@code percpu}), and the variable's C name in snake case too
 * ({@code sizeBuckets} -> {@code size_buckets}), as Prometheus names are. Characters Prometheus does not allow become {@code _}; a
 * trailing {@code _total} is dropped, since the client adds it to counters itself.
 */
public final class MetricNames {

    private MetricNames() {
    }

    /** The metric name of {@code variable} under {@code prefix}. */
    public static String of(String prefix, String variable) {
        return PrometheusNaming.sanitizeMetricName(sanitize("bpf_" + prefix + "_" + snakeCase(variable)));
    }

    /** The prefix for a record: its simple name in snake case ({@code a.b.Outer$XdpStats} -> {@code xdp_stats}). */
    public static String ofRecord(String recordName) {
        return snakeCase(recordName.substring(Math.max(recordName.lastIndexOf('.'), recordName.lastIndexOf('$')) + 1));
    }

    /** {@code sizeBuckets} -> {@code size_buckets}, {@code HTTPCounters} -> {@code http_counters}; snake case stays. */
    static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2")
                .toLowerCase(Locale.ROOT);
    }

    /** The prefix for a section known by name only: {@code .percpu} -> {@code percpu}, {@code .data.x} -> {@code data_x}. */
    public static String ofSection(String sectionName) {
        return sanitize(sectionName.startsWith(".") ? sectionName.substring(1) : sectionName);
    }

    /** {@code text} with every run of characters outside {@code [a-zA-Z0-9_]} as one {@code _}. */
    static String sanitize(String text) {
        return text.replaceAll("[^a-zA-Z0-9_]+", "_");
    }
}
