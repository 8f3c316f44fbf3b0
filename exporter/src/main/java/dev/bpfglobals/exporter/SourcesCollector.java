package dev.bpfglobals.exporter;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several sources as one collector, as an exporter reports its targets: each source's series carry
 * its {@value #LABEL} label, families of the same name from several sources are merged into one
 * (client_java's registry refuses two collectors of one name, and two families of one name in a
 * scrape fail it), and {@value #UP} says per source whether it was read (1) or not (0). A source
 * that is down contributes no series, so nothing stale is served.
 */
public final class SourcesCollector implements MultiCollector {

    /** The label naming each source on its series and on its {@value #UP} point. */
    public static final String LABEL = "source";

    /** The gauge saying, per source, whether this scrape read it. */
    public static final String UP = "bpf_globals_source_up";

    /**
     * One source of metrics; its series carry {@link #LABEL}{@code =}{@link #label()} already, and
     * its {@code toString()} names it in messages as the user gave it (say {@code PIN=CONTRACT}).
     */
    public interface Source {

        /** The value of the {@value SourcesCollector#LABEL} label: unique among the collector's sources. */
        String label();

        /** This scrape's metrics, or null if the source cannot be read now (it is then reported down). */
        MetricSnapshots collect();
    }

    private final List<Source> sources;

    /**
     * Collects {@code sources}.
     *
     * @throws IllegalArgumentException if two sources have the same label, naming it, or if two
     *                                  make a metric of one name but different types, naming both
     */
    public SourcesCollector(List<? extends Source> sources) {
        this.sources = List.copyOf(sources);
        Map<String, Source> byLabel = new HashMap<>();
        Map<String, Source> byName = new HashMap<>();
        Map<String, Class<?>> types = new HashMap<>();
        for (Source source : this.sources) {
            Source before = byLabel.putIfAbsent(source.label(), source);
            if (before != null) {
                throw new IllegalArgumentException("sources " + before + " and " + source + " are both labelled " + LABEL + "=\""
                        + source.label() + "\"; their series would collide: give each pin once");
            }
            MetricSnapshots snapshots = source.collect();
            for (MetricSnapshot snapshot : snapshots == null ? MetricSnapshots.of() : snapshots) {
                String name = snapshot.getMetadata().getPrometheusName();
                Class<?> type = types.putIfAbsent(name, snapshot.getClass());
                if (type != null && type != snapshot.getClass()) {
                    throw new IllegalArgumentException("sources " + byName.get(name) + " and " + source
                            + " both make " + name + ", as a " + kind(type) + " and a " + kind(snapshot.getClass())
                            + "; give one a contract whose record names it differently");
                }
                byName.putIfAbsent(name, source);
            }
        }
    }

    @Override
    public MetricSnapshots collect() {
        GaugeSnapshot.Builder up = GaugeSnapshot.builder().name(UP).help("Whether the source's map was read (1) or not (0)");
        Map<String, List<MetricSnapshot>> byName = new LinkedHashMap<>();
        for (Source source : sources) {
            MetricSnapshots snapshots;
            try {
                snapshots = source.collect();
            } catch (RuntimeException e) {
                snapshots = null; // a read refused (the map gone under the fd): down, not a failed scrape
            }
            up.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of(LABEL, source.label()))
                    .value(snapshots == null ? 0 : 1).build());
            if (snapshots != null) {
                for (MetricSnapshot snapshot : snapshots) {
                    byName.computeIfAbsent(snapshot.getMetadata().getPrometheusName(), name -> new ArrayList<>()).add(snapshot);
                }
            }
        }
        List<MetricSnapshot> merged = new ArrayList<>();
        merged.add(up.build());
        for (List<MetricSnapshot> same : byName.values()) {
            merged.add(merge(same));
        }
        return new MetricSnapshots(merged);
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(UP); // the sources' names vary as they come and go; only this collector is registered
    }

    /**
     * One family from several sources' families of one name: the first one's type and help, every
     * source's points. A family whose type differs from the first's (a source re-opened as another
     * record) is left out rather than failing the scrape.
     */
    private static MetricSnapshot merge(List<MetricSnapshot> same) {
        MetricSnapshot first = same.getFirst();
        if (same.size() == 1) {
            return first;
        }
        String name = first.getMetadata().getName();
        String help = first.getMetadata().getHelp();
        if (first instanceof CounterSnapshot) {
            CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
            same.stream().filter(CounterSnapshot.class::isInstance)
                    .forEach(s -> ((CounterSnapshot) s).getDataPoints().forEach(builder::dataPoint));
            return builder.build();
        }
        if (first instanceof GaugeSnapshot) {
            GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
            same.stream().filter(GaugeSnapshot.class::isInstance)
                    .forEach(s -> ((GaugeSnapshot) s).getDataPoints().forEach(builder::dataPoint));
            return builder.build();
        }
        HistogramSnapshot.Builder builder = HistogramSnapshot.builder().name(name).help(help);
        same.stream().filter(HistogramSnapshot.class::isInstance)
                .forEach(s -> ((HistogramSnapshot) s).getDataPoints().forEach(builder::dataPoint));
        return builder.build();
    }

    private static String kind(Class<?> type) {
        return type == CounterSnapshot.class ? "counter" : type == GaugeSnapshot.class ? "gauge" : "histogram";
    }
}
