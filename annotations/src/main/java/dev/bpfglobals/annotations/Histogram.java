package dev.bpfglobals.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exports an {@link Length} array of {@link Unsigned} counters as a Prometheus histogram with
 * power-of-two buckets: element {@code i} counts the events whose value is at most {@code 2^i}
 * (and more than {@code 2^(i-1)}), the log2 histogram BPF tools keep ({@code slot = log2(value)}).
 * The exporter publishes element {@code i} as the bucket {@code le="2^i"}, cumulated as Prometheus
 * requires, with an empty {@code +Inf} bucket above them. The processor records the choice in
 * the contract ({@code "metric": "log2-histogram"}) and refuses it on anything but an unsigned
 * integer array, and next to {@link Counter} or {@link Gauge}.
 *
 * <pre>{@code
 * record Latency(@PerCpu @Unsigned @Length(32) @Histogram long[] latencyNs) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Histogram {
}
