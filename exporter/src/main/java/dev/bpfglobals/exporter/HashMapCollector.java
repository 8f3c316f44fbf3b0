package dev.bpfglobals.exporter;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.ValueType;
import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.MapElements;
import dev.bpfglobals.runtime.kernel.MapInfo;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A hash map (HASH, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH) as one metric family: one series per
 * entry, labelled from its key by {@link MapKeyLabels}, its value an integer (per-CPU values summed
 * over the CPUs). Each scrape walks the map's keys with BPF_MAP_GET_NEXT_KEY and looks each one up.
 *
 * <p>A scrape makes at most {@link Builder#maxSeries} series: past that the walk goes on only to
 * count the entries left out, which {@value #DROPPED} reports, and the first scrape that drops any
 * says so once through the warning sink. Memory is bounded by {@code maxSeries}, however many
 * entries the map holds. A key deleted between the walk's steps is skipped; one seen twice (the
 * kernel restarts a walk whose key was deleted) is served once.
 */
public final class HashMapCollector implements MultiCollector {

    /** The gauge saying how many entries the last scrape left out of a family, past its bound. */
    public static final String DROPPED = "bpf_globals_map_entries_dropped";

    private final BpfMap map;
    private final MapElements elements;
    private final MapKeyLabels keys;
    private final String name;
    private final boolean counter;
    private final int maxSeries;
    private final Labels constant;
    private final Consumer<String> warnings;
    private final boolean perCpu;
    private final int valueSize;
    private final boolean signed;
    private volatile boolean warned;

    private HashMapCollector(Builder builder, MapKeyLabels keys, boolean signed) {
        this.map = builder.map;
        this.elements = map.elements();
        this.keys = keys;
        this.counter = builder.counter == null ? !signed : builder.counter;
        this.name = builder.name;
        this.maxSeries = builder.maxSeries;
        this.constant = builder.constant;
        this.warnings = builder.warnings;
        MapInfo info = map.info();
        this.perCpu = info.type().map(MapType::isPerCpu).orElse(false);
        this.valueSize = info.valueSize();
        this.signed = signed;
    }

    /** A collector for {@code map}, opened by the caller, who closes it after the collector's last use. */
    public static Builder builder(BpfMap map) {
        return new Builder(map);
    }

    /** The family's name (for a counter, without the {@code _total} the text format adds). */
    public String name() {
        return name;
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(name, DROPPED);
    }

    @Override
    public MetricSnapshots collect() {
        List<Labels> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        long dropped = 0;
        try (Arena arena = Arena.ofConfined()) {
            long keySize = map.info().keySize();
            MemorySegment key = arena.allocate(Math.max(1, keySize), 8);
            MemorySegment next = arena.allocate(Math.max(1, keySize), 8);
            MemorySegment value = arena.allocate(map.valueBytes(), 8);
            Set<Labels> seen = new HashSet<>();
            // A walk the kernel keeps restarting (keys deleted under it) ends after this many steps, as cilium's does.
            long steps = 2L * map.info().maxEntries() + 1;
            boolean more = elements.nextKey(MemorySegment.NULL, next);
            while (more && steps-- > 0) {
                if (labels.size() >= maxSeries) {
                    dropped++;
                } else if (elements.lookup(next, value)) {
                    Labels entry = constant.merge(Labels.of(keys.names().toArray(String[]::new), keys.values(next)));
                    if (seen.add(entry)) {
                        labels.add(entry);
                        values.add(value(value));
                    }
                }
                key.copyFrom(next);
                more = elements.nextKey(key, next);
            }
        }
        if (dropped > 0 && !warned) {
            warned = true;
            warnings.accept(name + constant + ": the map holds more than " + maxSeries + " entries; a scrape serves "
                    + maxSeries + " and counts the rest in " + DROPPED + " (raise max-series to serve them)");
        }
        GaugeSnapshot droppedGauge = GaugeSnapshot.builder().name(DROPPED)
                .help("Entries of a hash map left out of the last scrape, past its series bound")
                .dataPoint(GaugeDataPointSnapshot.builder().labels(constant.add("metric", name)).value(dropped).build()).build();
        String help = "Entries of BPF map " + map.info().name() + ", one series per key";
        if (counter) {
            CounterSnapshot.Builder family = CounterSnapshot.builder().name(name).help(help);
            for (int i = 0; i < labels.size(); i++) {
                family.dataPoint(CounterDataPointSnapshot.builder().labels(labels.get(i)).value(Math.max(0, values.get(i))).build());
            }
            return MetricSnapshots.of(family.build(), droppedGauge);
        }
        GaugeSnapshot.Builder family = GaugeSnapshot.builder().name(name).help(help);
        for (int i = 0; i < labels.size(); i++) {
            family.dataPoint(GaugeDataPointSnapshot.builder().labels(labels.get(i)).value(values.get(i)).build());
        }
        return MetricSnapshots.of(family.build(), droppedGauge);
    }

    /** The entry's value: one integer, or the sum over every CPU's slot (8-byte aligned each) of a per-CPU map. */
    private double value(MemorySegment buffer) {
        if (!perCpu) {
            return number(buffer, 0);
        }
        long stride = (valueSize + 7) & ~7L;
        double sum = 0;
        for (long offset = 0; offset + valueSize <= buffer.byteSize(); offset += stride) {
            sum += number(buffer, offset);
        }
        return sum;
    }

    private double number(MemorySegment buffer, long offset) {
        long raw = 0;
        for (int b = valueSize - 1; b >= 0; b--) {
            raw = raw << 8 | (buffer.get(ValueLayout.JAVA_BYTE, offset + b) & 0xff);
        }
        if (signed) {
            return valueSize == 8 ? raw : raw << (64 - valueSize * 8) >> (64 - valueSize * 8);
        }
        return raw >= 0 ? raw : (raw >>> 1) * 2.0 + (raw & 1); // an unsigned 64-bit value past Long.MAX_VALUE
    }

    /** What a {@link HashMapCollector} serves and how it names it. */
    public static final class Builder {
        private final BpfMap map;
        private String name;
        private List<String> labelNames = List.of();
        private Boolean counter;
        private int maxSeries = 10_000;
        private Labels constant = Labels.EMPTY;
        private Consumer<String> warnings = message -> System.err.println("bpf-globals exporter: " + message);

        private Builder(BpfMap map) {
            this.map = Objects.requireNonNull(map, "map");
        }

        /** The metric's name (default {@code bpf_<map name>}); a counter's trailing {@code _total} is dropped, as the format adds it. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Names for the key's labels, in key member order (default: the members' BTF names, or {@code key}). */
        public Builder labelNames(List<String> labelNames) {
            this.labelNames = List.copyOf(labelNames);
            return this;
        }

        /** Serve a counter ({@code true}) or a gauge; default: a counter for an unsigned value, a gauge for a signed one. */
        public Builder counter(boolean counter) {
            this.counter = counter;
            return this;
        }

        /** The most series a scrape makes (default 10000); entries past it are counted in {@value HashMapCollector#DROPPED}. */
        public Builder maxSeries(int maxSeries) {
            if (maxSeries < 1) {
                throw new IllegalArgumentException("max-series is " + maxSeries + "; give at least 1");
            }
            this.maxSeries = maxSeries;
            return this;
        }

        /** A label every series carries, such as {@code source}. */
        public Builder label(String labelName, String value) {
            this.constant = constant.add(labelName, value);
            return this;
        }

        /** Where the one warning about a truncated scrape goes (default: stderr). */
        public Builder warnings(Consumer<String> warnings) {
            this.warnings = Objects.requireNonNull(warnings, "warnings");
            return this;
        }

        /**
         * The collector.
         *
         * @throws IllegalArgumentException one line, for a map that is not a hash map, a value that is not
         *                                  an integer, a key that cannot be labels, or a name Prometheus refuses
         */
        public HashMapCollector build() {
            MapInfo info = map.info();
            MapType type = info.type().orElse(null);
            if (type != MapType.HASH && type != MapType.PERCPU_HASH && type != MapType.LRU_HASH && type != MapType.LRU_PERCPU_HASH) {
                throw new IllegalArgumentException("map '" + info.name() + "' is a " + info.typeName()
                        + ", not a hash map (HASH, PERCPU_HASH, LRU_HASH or LRU_PERCPU_HASH)");
            }
            boolean signed = valueSigned(info, map.valueType().orElse(null));
            String metric = name != null ? name : MetricNames.sanitize("bpf_" + MetricNames.snakeCase(info.name()));
            if (!metric.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) { // the classic rule, which every scraper reads
                throw new IllegalArgumentException("map '" + info.name() + "': '" + metric + "' is not a Prometheus metric name"
                        + " ([a-zA-Z_:][a-zA-Z0-9_:]*); give metric=");
            }
            boolean isCounter = counter == null ? !signed : counter;
            if (isCounter && metric.endsWith("_total")) {
                metric = metric.substring(0, metric.length() - "_total".length());
            }
            this.name = metric;
            List<String> reserved = new ArrayList<>();
            constant.forEach(label -> reserved.add(label.getName()));
            MapKeyLabels keys = MapKeyLabels.of(info.name(), map.keyType(), info.keySize(), labelNames, reserved);
            return new HashMapCollector(this, keys, signed);
        }

        /** Whether the value is a signed integer; refuses a value that is not one integer of 1 to 8 bytes. */
        private static boolean valueSigned(MapInfo info, ValueType value) {
            int size = info.valueSize();
            if (value == null) {
                if (size != 1 && size != 2 && size != 4 && size != 8) {
                    throw new IllegalArgumentException("map '" + info.name() + "' has no BTF value type and a " + size
                            + "-byte value; only a value of 1, 2, 4 or 8 bytes is read without BTF (as an unsigned integer)");
                }
                return false;
            }
            if (value instanceof ValueType.Int integer && !integer.bool() && integer.size() <= 8) {
                return integer.signed();
            }
            if (value instanceof ValueType.Enum enumeration && enumeration.size() <= 8) {
                return enumeration.signed();
            }
            throw new IllegalArgumentException("map '" + info.name() + "' holds values of " + value.cName()
                    + "; only an integer value is exported (one series per key)");
        }
    }
}
