package dev.bpfglobals.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link SourcesCollector}: sources merged by family, each with its up gauge; collisions refused up front. */
class SourcesCollectorTest {

    /** A source whose metrics {@code metrics} makes (null: down). */
    private record Fake(String label, Supplier<MetricSnapshots> metrics) implements SourcesCollector.Source {
        @Override
        public MetricSnapshots collect() {
            return metrics.get();
        }

        @Override
        public String toString() {
            return "spec-" + label;
        }
    }

    private static MetricSnapshots counter(String label, double value) {
        return MetricSnapshots.of(CounterSnapshot.builder().name("bpf_runs").help("runs").dataPoint(
                CounterDataPointSnapshot.builder().labels(Labels.of("source", label)).value(value).build()).build());
    }

    private static String text(MetricSnapshots snapshots) {
        return ExpositionFormats.init().getPrometheusTextFormatWriter().toDebugString(snapshots);
    }

    @Test
    void familiesOfOneNameFromTwoSourcesAreOneFamilyWithBothSeries() {
        SourcesCollector collector = new SourcesCollector(List.of(new Fake("a", () -> counter("a", 1)), new Fake("b", () -> counter("b", 2))));

        assertThat(text(collector.collect())).contains("bpf_runs_total{source=\"a\"} 1.0\nbpf_runs_total{source=\"b\"} 2.0\n")
                .contains("bpf_globals_source_up{source=\"a\"} 1.0\nbpf_globals_source_up{source=\"b\"} 1.0\n");
    }

    @Test
    void aSourceThatCannotBeReadIsDownWithNoSeries() {
        boolean[] gone = {false};
        SourcesCollector collector = new SourcesCollector(List.of(new Fake("a", () -> gone[0] ? null : counter("a", 1)),
                new Fake("b", () -> {
                    if (gone[0]) {
                        throw new IllegalStateException("map read refused");
                    }
                    return counter("b", 2);
                })));
        gone[0] = true;

        assertThat(text(collector.collect())).doesNotContain("bpf_runs")
                .contains("bpf_globals_source_up{source=\"a\"} 0.0\nbpf_globals_source_up{source=\"b\"} 0.0\n");
    }

    @Test
    void twoSourcesWithOneLabelAreRefusedNamingBoth() {
        assertThatThrownBy(() -> new SourcesCollector(List.of(new Fake("a", () -> counter("a", 1)), new Fake("a", () -> counter("a", 2)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sources spec-a and spec-a are both labelled source=\"a\"; their series would collide: give each pin once");
    }

    @Test
    void oneNameAsACounterAndAGaugeIsRefusedNamingBothSources() {
        Fake gauge = new Fake("b", () -> MetricSnapshots.of(GaugeSnapshot.builder().name("bpf_runs").dataPoint(
                GaugeDataPointSnapshot.builder().labels(Labels.of("source", "b")).value(1).build()).build()));

        assertThatThrownBy(() -> new SourcesCollector(List.of(new Fake("a", () -> counter("a", 1)), gauge)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sources spec-a and spec-b both make bpf_runs, as a counter and a gauge");
    }
}
