package dev.bpfglobals.contract;

import java.util.Locale;
import java.util.Optional;

/**
 * How a metrics exporter presents an integer variable: a counter, which only grows (Prometheus
 * then wants {@code rate()}), a gauge, a value that goes up and down, or, for an array of
 * unsigned counters, a histogram with power-of-two buckets.
 *
 * <p>A record component chooses with {@code @Counter}, {@code @Gauge} or {@code @Histogram}; without any, the
 * processor records {@link #defaultFor}'s choice, which exporters also apply to variables known
 * only from a map's BTF.
 */
public enum MetricKind {
    /** A total that only grows, such as packets seen. */
    COUNTER,
    /** A value that can go down, such as a queue depth or a configured limit. */
    GAUGE,
    /**
     * An array of counters where element {@code i} counts events whose value is at most
     * {@code 2^i}: a histogram with power-of-two buckets.
     */
    LOG2_HISTOGRAM;

    /**
     * How a contract file spells this kind, in a variable's {@code "metric"} field.
     *
     * @return {@code counter}, {@code gauge} or {@code log2-histogram}
     */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Reads a variable's {@code "metric"} field of a contract file.
     *
     * @param name the field's value, e.g. {@code counter}
     * @return the kind spelled {@code name}, or empty if it is no kind's {@link #jsonName()}
     */
    public static Optional<MetricKind> fromJsonName(String name) {
        for (MetricKind kind : values()) {
            if (kind.jsonName().equals(name)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /**
     * The kind of an unannotated integer variable: an unsigned integer (or array of them) in a
     * {@code .percpu} section is a counter, since that is what BPF programs keep per CPU (they
     * add to it, and only the sum over CPUs means anything); everything else is a gauge.
     *
     * @param section  the ELF section name, e.g. {@code .percpu}
     * @param unsigned whether the C type is unsigned
     * @return {@link #COUNTER} for an unsigned integer in a {@code .percpu} section, else {@link #GAUGE}
     */
    public static MetricKind defaultFor(String section, boolean unsigned) {
        boolean perCpu = section.equals(SectionContract.PERCPU) || section.startsWith(SectionContract.PERCPU + ".");
        return perCpu && unsigned ? COUNTER : GAUGE;
    }
}
