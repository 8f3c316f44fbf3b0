package dev.bpfglobals.exporter;

import dev.bpfglobals.runtime.PerCpuArrayMap;
import dev.bpfglobals.runtime.PerCpuGlobals;
import dev.bpfglobals.runtime.SectionCodec;
import dev.bpfglobals.runtime.contract.MetricKind;
import dev.bpfglobals.runtime.contract.SectionContract;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
 *   <li>A per-CPU variable is one series summed over CPUs, or, with {@link Builder#perCpuSeries},
 *       one series per CPU labelled {@code cpu} instead (the sum is then
 *       {@code sum without (cpu) (...)} in PromQL). Never both, so summing a metric never counts
 *       twice.
 * </ul>
 *
 * <pre>{@code
 * PerCpuGlobals<XdpStats> globals = XdpStatsGlobals.bind(map);
 * GlobalsCollector.builder(globals).build().register(PrometheusRegistry.defaultRegistry);
 * }</pre>
 */
public final class GlobalsCollector implements MultiCollector {

    /** One variable's metric: its name, help, and the label sets of its series, made once. */
    private record Family(ExportedVariable variable, String name, String help, Labels[] labels) {
    }

    private final SectionScraper scraper;
    private final boolean perCpuSeries;
    private final List<Family> families;

    private GlobalsCollector(SectionScraper scraper, String prefix, String sectionName, boolean perCpuSeries) {
        this.scraper = scraper;
        this.perCpuSeries = perCpuSeries && scraper.perCpu();
        List<Family> made = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ExportedVariable variable : scraper.variables()) {
            String name = MetricNames.of(prefix, variable.name());
            if (!names.add(name)) {
                throw new IllegalArgumentException("two variables of " + sectionName + " make the metric name " + name
                        + "; give the collector variables whose names differ in more than punctuation");
            }
            made.add(new Family(variable, name, help(sectionName, variable), labels(variable)));
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

    /** Whether each CPU is its own series (labelled {@code cpu}) rather than one summed series. */
    public boolean perCpuSeries() {
        return perCpuSeries;
    }

    /** The help text of variable {@code v} (in {@link SectionScraper#variables()} order). */
    String help(int v) {
        return families.get(v).help();
    }

    @Override
    public MetricSnapshots collect() {
        return scraper.scrape(reading -> {
            List<MetricSnapshot> snapshots = new ArrayList<>(families.size());
            for (Family family : families) {
                snapshots.add(family.variable().kind() == MetricKind.COUNTER ? counter(family, reading) : gauge(family, reading));
            }
            return new MetricSnapshots(snapshots);
        });
    }

    @Override
    public List<String> getPrometheusNames() {
        return families.stream().map(Family::name).toList();
    }

    private CounterSnapshot counter(Family family, SectionScraper.Reading reading) {
        CounterSnapshot.Builder builder = CounterSnapshot.builder().name(family.name()).help(family.help());
        ExportedVariable variable = family.variable();
        int series = 0;
        for (int index = 0; index < variable.length(); index++) {
            if (perCpuSeries) {
                for (int slot = 0; slot < reading.slots(); slot++) {
                    builder.dataPoint(CounterDataPointSnapshot.builder().labels(family.labels()[series++])
                            .value(reading.value(variable, index, slot)).build());
                }
            } else {
                builder.dataPoint(CounterDataPointSnapshot.builder().labels(family.labels()[series++])
                        .value(reading.sum(variable, index)).build());
            }
        }
        return builder.build();
    }

    private GaugeSnapshot gauge(Family family, SectionScraper.Reading reading) {
        GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(family.name()).help(family.help());
        ExportedVariable variable = family.variable();
        int series = 0;
        for (int index = 0; index < variable.length(); index++) {
            if (perCpuSeries) {
                for (int slot = 0; slot < reading.slots(); slot++) {
                    builder.dataPoint(GaugeDataPointSnapshot.builder().labels(family.labels()[series++])
                            .value(reading.value(variable, index, slot)).build());
                }
            } else {
                builder.dataPoint(GaugeDataPointSnapshot.builder().labels(family.labels()[series++])
                        .value(reading.sum(variable, index)).build());
            }
        }
        return builder.build();
    }

    /** The label sets in the order {@link #counter} and {@link #gauge} visit series: index-major, then CPU. */
    private Labels[] labels(ExportedVariable variable) {
        int cpus = perCpuSeries ? scraper.cpus().count() : 1;
        Labels[] labels = new Labels[variable.length() * cpus];
        int series = 0;
        for (int index = 0; index < variable.length(); index++) {
            for (int slot = 0; slot < cpus; slot++) {
                List<String> pairs = new ArrayList<>();
                if (perCpuSeries) {
                    pairs.addAll(List.of("cpu", Integer.toString(scraper.cpus().cpuAt(slot))));
                }
                if (variable.array()) {
                    pairs.addAll(List.of("index", Integer.toString(index)));
                }
                labels[series++] = Labels.of(pairs.toArray(String[]::new));
            }
        }
        return labels;
    }

    private String help(String sectionName, ExportedVariable variable) {
        String type = (variable.signed() ? "__s" : "__u") + variable.elementSize() * 8
                + (variable.array() ? "[" + variable.length() + "]" : "");
        String across = !scraper.perCpu() ? "" : perCpuSeries ? ", per CPU" : ", summed over CPUs";
        return "BPF global " + variable.name() + " (" + type + ") of " + sectionName + across;
    }

    /** Options of a {@link GlobalsCollector}. */
    public static final class Builder {
        private final SectionSource source;
        private final List<ExportedVariable> variables;
        private final String sectionName;
        private String prefix;
        private boolean perCpuSeries;

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
         * One series per CPU, labelled {@code cpu}, instead of the sum (off by default: the number
         * of series grows with the number of possible CPUs).
         */
        public Builder perCpuSeries(boolean perCpuSeries) {
            this.perCpuSeries = perCpuSeries;
            return this;
        }

        /** The collector; register it with a {@link PrometheusRegistry}. */
        public GlobalsCollector build() {
            return new GlobalsCollector(new SectionScraper(source, variables), prefix, sectionName, perCpuSeries);
        }
    }
}
