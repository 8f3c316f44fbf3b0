package dev.bpfglobals.exporter;

import dev.bpfglobals.contract.MetricKind;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.PerCpuArrayMap;
import dev.bpfglobals.runtime.PerCpuGlobals;
import dev.bpfglobals.runtime.SectionCodec;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A section's integer variables as Prometheus metrics: one {@link MultiCollector} per map, which
 * reads the map once per scrape (one syscall for all variables and all CPUs).
 *
 * <ul>
 *   <li>Each variable is a counter or a gauge ({@link ExportedVariable#kind()}), named
 *       {@code bpf_<prefix>_<variable>} ({@link MetricNames}); counters get {@code _total}.
 *   <li>An array has one series per element, labelled {@code index}.
 *   <li>A log2 histogram ({@code @Histogram}, an array whose element {@code i} counts values up to
 *       {@code 2^i}) is a Prometheus histogram: element {@code i} is the bucket {@code le="2^i"}
 *       (the client cumulates them), above them an empty {@code +Inf} bucket, {@code _count} the
 *       sum of the elements, and no {@code _sum}, since the values counted are not kept.
 *   <li>A per-CPU variable is one series summed over CPUs. With {@link Builder#perCpuSeries} it
 *       also gets a second metric family, {@code <name>_per_cpu}, with one series per CPU labelled
 *       {@code cpu}. The two families have different names, so {@code sum()} over either one
 *       never counts a CPU twice.
 * </ul>
 *
 * <pre>{@code
 * PerCpuGlobals<XdpStats> globals = XdpStatsGlobals.bind(map);
 * GlobalsCollector.builder(globals).build().register(PrometheusRegistry.defaultRegistry);
 * }</pre>
 */
public final class GlobalsCollector implements MultiCollector {

    /**
     * One metric family: a variable summed over CPUs, or the same variable per CPU ({@code perCpu}),
     * with its name, help, and the label sets of its series, made once.
     */
    record Family(ExportedVariable variable, boolean perCpu, String name, String help, Labels[] labels) {
    }

    /** What {@code _per_cpu} families add to their variable's metric name. */
    static final String PER_CPU_SUFFIX = "_per_cpu";

    private final SectionScraper scraper;
    private final boolean perCpuSeries;
    /** Name-value pairs every series carries, e.g. {@code source}, before its own {@code cpu} and {@code index}. */
    private final List<String> constantLabels;
    private final List<Family> families;

    private GlobalsCollector(SectionScraper scraper, String prefix, String sectionName, boolean perCpuSeries,
            List<String> constantLabels) {
        this.scraper = scraper;
        this.constantLabels = List.copyOf(constantLabels);
        this.perCpuSeries = perCpuSeries && scraper.perCpu();
        List<Family> made = new ArrayList<>();
        for (ExportedVariable variable : scraper.variables()) {
            String name = MetricNames.of(prefix, variable.name());
            made.add(new Family(variable, false, name, help(sectionName, variable, false), labels(variable, false)));
            if (this.perCpuSeries) {
                made.add(new Family(variable, true, name + PER_CPU_SUFFIX, help(sectionName, variable, true),
                        labels(variable, true)));
            }
        }
        Set<String> names = new HashSet<>();
        for (Family family : made) {
            if (!names.add(family.name())) {
                throw new IllegalArgumentException("two variables of " + sectionName + " make the metric name " + family.name()
                        + "; give the collector variables whose names differ in more than punctuation");
            }
        }
        this.families = List.copyOf(made);
    }

    /** A collector for the map {@code globals} is bound to, named after its record ({@code bpf_xdp_stats_packets}). */
    public static Builder builder(PerCpuGlobals<?> globals) {
        SectionCodec<?> codec = globals.newSnapshot().codec();
        SectionContract section = codec.section();
        String record = recordName(codec.recordType());
        return new Builder(SectionSource.of(globals), ExportedVariable.of(section), MetricNames.ofRecord(record), section.name());
    }

    /**
     * A collector for a per-CPU map described by {@code section} (say a contract's {@code .percpu}),
     * named after the section ({@code bpf_percpu_packets}) unless {@link Builder#prefix} says otherwise.
     *
     * @throws IllegalArgumentException if the map does not match the contract, naming the difference
     */
    public static Builder builder(PerCpuArrayMap map, SectionContract section) {
        ContractCheck.check(map.info(), map.btfLayout(), section);
        return new Builder(SectionSource.of(map), ExportedVariable.of(section), MetricNames.ofSection(section.name()),
                section.name());
    }

    /** A collector for any source and variables, e.g. a map whose variables come from its BTF. */
    public static Builder builder(SectionSource source, List<ExportedVariable> variables, String prefix, String sectionName) {
        return new Builder(source, variables, prefix, sectionName);
    }

    /**
     * The user's record behind a codec's type: a record with globals in several sections has its
     * .percpu part decoded as the nested {@code XdpStatsGlobals.PerCpuPart}, named here {@code XdpStats}.
     */
    private static String recordName(Class<?> type) {
        Class<?> accessor = type.getEnclosingClass();
        if (accessor != null && accessor.getSimpleName().endsWith("Globals")) {
            String name = accessor.getSimpleName();
            return name.substring(0, name.length() - "Globals".length());
        }
        return type.getSimpleName();
    }

    /** Registers this collector with {@code registry} and returns it. */
    public GlobalsCollector register(PrometheusRegistry registry) {
        registry.register(this);
        return this;
    }

    /** The scraper this collector reads through, for a second output (OpenTelemetry) sharing its reads. */
    public SectionScraper scraper() {
        return scraper;
    }

    /** Whether each variable also has a {@code _per_cpu} family, one series per CPU labelled {@code cpu}. */
    public boolean perCpuSeries() {
        return perCpuSeries;
    }

    /** The labels every series carries ({@link Builder#label}), as name-value pairs. */
    List<String> constantLabels() {
        return constantLabels;
    }

    /** The metric families, each variable's summed one followed by its per-CPU one (if any). */
    List<Family> families() {
        return families;
    }

    @Override
    public MetricSnapshots collect() {
        return scraper.scrape(reading -> {
            List<MetricSnapshot> snapshots = new ArrayList<>(families.size());
            for (Family family : families) {
                MetricKind kind = family.variable().kind();
                if (kind == MetricKind.COUNTER) {
                    snapshots.add(counter(family, reading));
                } else if (kind == MetricKind.GAUGE) {
                    snapshots.add(gauge(family, reading));
                } else {
                    snapshots.add(histogram(family, reading));
                }
            }
            return new MetricSnapshots(snapshots);
        });
    }

    @Override
    public List<String> getPrometheusNames() {
        return families.stream().map(Family::name).toList();
    }

    private CounterSnapshot counter(Family family, SectionScraper.Reading reading) {
        Labels[] labels = family.labels();
        CounterSnapshot.Builder builder = CounterSnapshot.builder().name(family.name()).help(family.help());
        ExportedVariable variable = family.variable();
        int series = 0;
        for (int index = 0; index < variable.length(); index++) {
            if (family.perCpu()) {
                for (int slot = 0; slot < reading.slots(); slot++) {
                    builder.dataPoint(CounterDataPointSnapshot.builder().labels(labels[series++])
                            .value(reading.value(variable, index, slot)).build());
                }
            } else {
                builder.dataPoint(CounterDataPointSnapshot.builder().labels(labels[series++])
                        .value(reading.sum(variable, index)).build());
            }
        }
        return builder.build();
    }

    private GaugeSnapshot gauge(Family family, SectionScraper.Reading reading) {
        Labels[] labels = family.labels();
        GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(family.name()).help(family.help());
        ExportedVariable variable = family.variable();
        int series = 0;
        for (int index = 0; index < variable.length(); index++) {
            if (family.perCpu()) {
                for (int slot = 0; slot < reading.slots(); slot++) {
                    builder.dataPoint(GaugeDataPointSnapshot.builder().labels(labels[series++])
                            .value(reading.value(variable, index, slot)).build());
                }
            } else {
                builder.dataPoint(GaugeDataPointSnapshot.builder().labels(labels[series++])
                        .value(reading.sum(variable, index)).build());
            }
        }
        return builder.build();
    }

    /**
     * A histogram's points: the summed one, or one per CPU; the buckets are the elements, the last
     * ({@code +Inf}) empty, since every value a log2 histogram counts is at most its last bound.
     */
    private HistogramSnapshot histogram(Family family, SectionScraper.Reading reading) {
        Labels[] labels = family.labels();
        HistogramSnapshot.Builder builder = HistogramSnapshot.builder().name(family.name()).help(family.help());
        ExportedVariable variable = family.variable();
        double[] bounds = log2Bounds(variable.length());
        for (int point = 0; point < labels.length; point++) {
            long[] counts = new long[bounds.length];
            for (int index = 0; index < variable.length(); index++) {
                counts[index] = reading.count(variable, index, family.perCpu() ? point : -1);
            }
            builder.dataPoint(HistogramDataPointSnapshot.builder().labels(labels[point])
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts)).build());
        }
        return builder.build();
    }

    /** {@code 1, 2, 4, ..., 2^(length-1), +Inf}: the upper bounds of a log2 histogram's buckets. */
    static double[] log2Bounds(int length) {
        double[] bounds = new double[length + 1];
        for (int i = 0; i < length; i++) {
            bounds[i] = Math.scalb(1.0, i);
        }
        bounds[length] = Double.POSITIVE_INFINITY;
        return bounds;
    }

    /**
     * The label sets in the order {@link #counter} and {@link #gauge} visit series: index-major,
     * then CPU; a histogram has no {@code index} (its elements are its buckets), one set per CPU or one.
     */
    private Labels[] labels(ExportedVariable variable, boolean perCpu) {
        boolean histogram = variable.kind() == MetricKind.LOG2_HISTOGRAM;
        int cpus = perCpu ? scraper.cpus().count() : 1;
        int elements = histogram ? 1 : variable.length();
        Labels[] labels = new Labels[elements * cpus];
        int series = 0;
        for (int index = 0; index < elements; index++) {
            for (int slot = 0; slot < cpus; slot++) {
                List<String> pairs = new ArrayList<>(constantLabels);
                if (perCpu) {
                    pairs.addAll(List.of("cpu", Integer.toString(scraper.cpus().cpuAt(slot))));
                }
                if (variable.array() && !histogram) {
                    pairs.addAll(List.of("index", Integer.toString(index)));
                }
                labels[series++] = Labels.of(pairs.toArray(String[]::new));
            }
        }
        return labels;
    }

    private String help(String sectionName, ExportedVariable variable, boolean perCpu) {
        String type = (variable.signed() ? "__s" : "__u") + variable.elementSize() * 8
                + (variable.array() ? "[" + variable.length() + "]" : "");
        String across = !scraper.perCpu() ? "" : perCpu ? ", per CPU" : ", summed over CPUs";
        if (variable.kind() == MetricKind.LOG2_HISTOGRAM) {
            across += ", element i the bucket le=2^i";
        }
        return "BPF global " + variable.name() + " (" + type + ") of " + sectionName + across;
    }

    /** Options of a {@link GlobalsCollector}. */
    public static final class Builder {
        private final SectionSource source;
        private final List<ExportedVariable> variables;
        private final String sectionName;
        private String prefix;
        private boolean perCpuSeries;
        private final Map<String, String> constantLabels = new LinkedHashMap<>();

        private Builder(SectionSource source, List<ExportedVariable> variables, String prefix, String sectionName) {
            this.source = Objects.requireNonNull(source, "source");
            this.variables = List.copyOf(variables);
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            this.sectionName = Objects.requireNonNull(sectionName, "sectionName");
        }

        /** The part of each metric name between {@code bpf_} and the variable name. */
        public Builder prefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Besides each per-CPU variable's summed series, a second family {@code <name>_per_cpu}
         * with one series per CPU, labelled {@code cpu} (off by default: the number of series grows
         * with the number of possible CPUs). Ignored for a source with one copy ({@code .data}).
         */
        public Builder perCpuSeries(boolean perCpuSeries) {
            this.perCpuSeries = perCpuSeries;
            return this;
        }

        /**
         * A label every series carries, such as {@code source="/sys/fs/bpf/app/maps/_percpu"}, so that
         * two collectors of the same record (two pins of one map, two programs) make different series.
         *
         * @throws IllegalArgumentException for {@code cpu} or {@code index}, which the collector sets itself,
         *                                  or a name given twice
         */
        public Builder label(String name, String value) {
            if (name.equals("cpu") || name.equals("index") || constantLabels.containsKey(name)) {
                throw new IllegalArgumentException("label '" + name + "' is set by the collector or already given; choose another name");
            }
            constantLabels.put(name, Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The collector; register it with a {@link PrometheusRegistry}. */
        public GlobalsCollector build() {
            return new GlobalsCollector(new SectionScraper(source, variables), prefix, sectionName, perCpuSeries,
                    constantLabels.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toList());
        }
    }
}
