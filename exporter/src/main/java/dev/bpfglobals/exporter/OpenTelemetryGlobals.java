package dev.bpfglobals.exporter;

import dev.bpfglobals.contract.MetricKind;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The same variables as OpenTelemetry observable instruments, the second output next to
 * Prometheus: one batch callback per section reads the map once per collection (the same
 * {@link SectionScraper} and the same one syscall) and records every instrument from that read.
 * Instruments are named as the Prometheus metrics are, without {@code _total} (OpenTelemetry's
 * Prometheus exporters add it to counters themselves): a counter becomes an observable counter
 * (cumulative), a gauge an observable gauge; {@code index} becomes an attribute. With per-CPU
 * series, each variable also has a {@code _per_cpu} instrument whose points carry a {@code cpu}
 * attribute, next to the summed one, as in Prometheus. OpenTelemetry has no asynchronous
 * histogram instrument, so a log2 histogram becomes an observable counter of its cumulative bucket
 * counts, one point per bucket with an {@code le} attribute ({@code "1"}, {@code "2"}, ...,
 * {@code "+Inf"}), as Prometheus's {@code _bucket} series are.
 *
 * <pre>{@code
 * GlobalsCollector collector = GlobalsCollector.builder(globals).build();
 * BatchCallback callback = OpenTelemetryGlobals.register(meterProvider.get("bpf-globals"), collector);
 * }</pre>
 */
public final class OpenTelemetryGlobals {

    private OpenTelemetryGlobals() {
    }

    /**
     * Registers {@code collector}'s variables as instruments of {@code meter}; close the returned
     * callback to stop observing them.
     */
    public static BatchCallback register(Meter meter, GlobalsCollector collector) {
        SectionScraper scraper = collector.scraper();
        List<GlobalsCollector.Family> families = collector.families();
        ObservableDoubleMeasurement[] instruments = new ObservableDoubleMeasurement[families.size()];
        List<Attributes[]> attributes = new ArrayList<>();
        for (int f = 0; f < families.size(); f++) {
            GlobalsCollector.Family family = families.get(f);
            instruments[f] = family.variable().kind() != MetricKind.GAUGE
                    ? meter.counterBuilder(family.name()).ofDoubles().setDescription(family.help()).buildObserver()
                    : meter.gaugeBuilder(family.name()).setDescription(family.help()).buildObserver();
            Attributes[] own = attributes(family, scraper);
            List<String> constant = collector.constantLabels(); // e.g. source: the same on every point
            for (int i = 0; i < own.length; i++) {
                AttributesBuilder builder = own[i].toBuilder();
                for (int pair = 0; pair < constant.size(); pair += 2) {
                    builder.put(constant.get(pair), constant.get(pair + 1));
                }
                own[i] = builder.build();
            }
            attributes.add(own);
        }
        ObservableDoubleMeasurement first = instruments[0];
        ObservableDoubleMeasurement[] rest = Arrays.copyOfRange(instruments, 1, instruments.length);
        return meter.batchCallback(() -> scraper.scrape(reading -> {
            for (int f = 0; f < instruments.length; f++) {
                GlobalsCollector.Family family = families.get(f);
                ExportedVariable variable = family.variable();
                Attributes[] labels = attributes.get(f);
                int series = 0;
                if (variable.kind() == MetricKind.LOG2_HISTOGRAM) {
                    int points = family.perCpu() ? reading.slots() : 1;
                    for (int point = 0; point < points; point++) {
                        long cumulative = 0;
                        for (int index = 0; index < variable.length(); index++) {
                            cumulative += reading.count(variable, index, family.perCpu() ? point : -1);
                            instruments[f].record(cumulative, labels[series++]);
                        }
                        instruments[f].record(cumulative, labels[series++]); // +Inf: every count is in a bucket below
                    }
                    continue;
                }
                for (int index = 0; index < variable.length(); index++) {
                    if (family.perCpu()) {
                        for (int slot = 0; slot < reading.slots(); slot++) {
                            instruments[f].record(reading.value(variable, index, slot), labels[series++]);
                        }
                    } else {
                        instruments[f].record(reading.sum(variable, index), labels[series++]);
                    }
                }
            }
            return null;
        }), first, rest);
    }

    /** The attribute sets in the order the callback records series: index-major, then CPU. */
    private static Attributes[] attributes(GlobalsCollector.Family family, SectionScraper scraper) {
        ExportedVariable variable = family.variable();
        boolean perCpu = family.perCpu();
        int cpus = perCpu ? scraper.cpus().count() : 1;
        if (variable.kind() == MetricKind.LOG2_HISTOGRAM) {
            return bucketAttributes(variable, scraper, perCpu);
        }
        Attributes[] attributes = new Attributes[variable.length() * cpus];
        int series = 0;
        for (int index = 0; index < variable.length(); index++) {
            for (int slot = 0; slot < cpus; slot++) {
                AttributesBuilder builder = Attributes.builder();
                if (perCpu) {
                    builder.put("cpu", Integer.toString(scraper.cpus().cpuAt(slot)));
                }
                if (variable.array()) {
                    builder.put("index", Integer.toString(index));
                }
                attributes[series++] = builder.build();
            }
        }
        return attributes;
    }

    /** A histogram's attribute sets in the order the callback records them: CPU-major, then bucket ({@code le}). */
    private static Attributes[] bucketAttributes(ExportedVariable variable, SectionScraper scraper, boolean perCpu) {
        int cpus = perCpu ? scraper.cpus().count() : 1;
        double[] bounds = GlobalsCollector.log2Bounds(variable.length());
        Attributes[] attributes = new Attributes[cpus * bounds.length];
        int series = 0;
        for (int slot = 0; slot < cpus; slot++) {
            for (double bound : bounds) {
                AttributesBuilder builder = Attributes.builder();
                if (perCpu) {
                    builder.put("cpu", Integer.toString(scraper.cpus().cpuAt(slot)));
                }
                builder.put("le", Double.isInfinite(bound) ? "+Inf" : new BigDecimal(bound).toPlainString());
                attributes[series++] = builder.build();
            }
        }
        return attributes;
    }
}
