package dev.bpfglobals.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.contract.MetricKind;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.BpfFeatures;
import dev.bpfglobals.runtime.PerCpuArrayMap;
import dev.bpfglobals.runtime.PerCpuGlobals;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code @Histogram} arrays as Prometheus histograms: element i is the bucket le=2^i, cumulated. */
@RequiresBpf
class HistogramExportTest {

    private static final PossibleCpus CPUS = PossibleCpus.system();

    /** CPU c (in slot s) counts latency {s + 1, 2(s + 1), 0, 5} and events 7. */
    private static PerCpuGlobals<LatencyGlobals.PerCpuPart> filled() {
        SectionContract section = LatencyGlobals.PERCPU.section();
        PerCpuGlobals<LatencyGlobals.PerCpuPart> globals = LatencyGlobals.bind(PerCpuArrayMap.create(section,
                MemorySegment.ofArray(new byte[section.valueSize()]), BpfFeatures.probe()));
        for (int slot = 0; slot < CPUS.count(); slot++) {
            globals.write(CPUS.cpuAt(slot), new LatencyGlobals.PerCpuPart(new int[] {slot + 1, 2 * (slot + 1), 0, 5}, 7));
        }
        return globals;
    }

    /** 1 + 2 + ... + n over the n possible CPUs: the sum of the slot + 1 values. */
    private static long triangle() {
        long n = CPUS.count();
        return n * (n + 1) / 2;
    }

    @Test
    void theContractRecordsTheHistogram() {
        assertThat(ExportedVariable.of(LatencyGlobals.PERCPU.section()).getFirst().kind()).isEqualTo(MetricKind.LOG2_HISTOGRAM);
    }

    @Test
    void elementIIsTheBucketUpToTwoToTheICumulatedWithAnEmptyInfBucketAndNoSum() {
        try (PerCpuGlobals<LatencyGlobals.PerCpuPart> globals = filled()) {
            PrometheusRegistry registry = new PrometheusRegistry();
            GlobalsCollector.builder(globals).build().register(registry);
            String text = MetricsText.of(registry);
            Map<String, Double> samples = Exposition.samples(text);

            long t = triangle();
            long n = CPUS.count();
            assertThat(Exposition.type(text, "bpf_latency_latency")).isEqualTo("histogram");
            assertThat(samples).containsEntry("bpf_latency_latency_bucket{le=\"1.0\"}", (double) t)
                    .containsEntry("bpf_latency_latency_bucket{le=\"2.0\"}", (double) (t + 2 * t))
                    .containsEntry("bpf_latency_latency_bucket{le=\"4.0\"}", (double) (t + 2 * t))
                    .containsEntry("bpf_latency_latency_bucket{le=\"8.0\"}", (double) (3 * t + 5 * n))
                    .containsEntry("bpf_latency_latency_bucket{le=\"+Inf\"}", (double) (3 * t + 5 * n))
                    .containsEntry("bpf_latency_latency_count", (double) (3 * t + 5 * n))
                    .containsEntry("bpf_latency_events_total", 7.0 * n);
            assertThat(samples.keySet()).noneMatch(k -> k.startsWith("bpf_latency_latency_sum"))
                    .noneMatch(k -> k.contains("index="));
        }
    }

    @Test
    void perCpuHistogramsAreASeparateFamilyWithACpuLabel() {
        try (PerCpuGlobals<LatencyGlobals.PerCpuPart> globals = filled()) {
            PrometheusRegistry registry = new PrometheusRegistry();
            GlobalsCollector.builder(globals).perCpuSeries(true).build().register(registry);
            String text = MetricsText.of(registry);
            Map<String, Double> samples = Exposition.samples(text);

            assertThat(Exposition.type(text, "bpf_latency_latency_per_cpu")).isEqualTo("histogram");
            for (int slot = 0; slot < CPUS.count(); slot++) {
                String cpu = "cpu=\"" + CPUS.cpuAt(slot) + "\"";
                assertThat(samples).containsEntry("bpf_latency_latency_per_cpu_bucket{" + cpu + ",le=\"1.0\"}", slot + 1.0)
                        .containsEntry("bpf_latency_latency_per_cpu_bucket{" + cpu + ",le=\"4.0\"}", 3 * (slot + 1.0))
                        .containsEntry("bpf_latency_latency_per_cpu_bucket{" + cpu + ",le=\"+Inf\"}", 3 * (slot + 1.0) + 5)
                        .containsEntry("bpf_latency_latency_per_cpu_count{" + cpu + "}", 3 * (slot + 1.0) + 5);
            }
            assertThat(samples).containsEntry("bpf_latency_latency_count", (double) (3 * triangle() + 5 * CPUS.count()));
        }
    }

    @Test
    void openTelemetryGetsTheCumulativeBucketsWithAnLeAttribute() {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (PerCpuGlobals<LatencyGlobals.PerCpuPart> globals = filled();
                SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build()) {
            OpenTelemetryGlobals.register(provider.get("test"), GlobalsCollector.builder(globals).build());

            MetricData latency = reader.collectAllMetrics().stream().filter(m -> m.getName().equals("bpf_latency_latency"))
                    .findFirst().orElseThrow();

            Map<String, Double> buckets = latency.getDoubleSumData().getPoints().stream().collect(Collectors.toMap(
                    p -> p.getAttributes().get(AttributeKey.stringKey("le")), DoublePointData::getValue));
            long t = triangle();
            assertThat(buckets).containsExactlyInAnyOrderEntriesOf(Map.of("1", (double) t, "2", 3.0 * t, "4", 3.0 * t,
                    "8", 3.0 * t + 5 * CPUS.count(), "+Inf", 3.0 * t + 5 * CPUS.count()));
        }
    }

    @Test
    void aScrapeOfSummedAndPerCpuHistogramsReadsTheMapOnce() {
        try (PerCpuGlobals<LatencyGlobals.PerCpuPart> globals = filled()) {
            SectionSource map = SectionSource.of(globals);
            AtomicInteger reads = new AtomicInteger();
            SectionSource counted = new SectionSource() {
                public boolean perCpu() {
                    return map.perCpu();
                }

                public PossibleCpus cpus() {
                    return map.cpus();
                }

                public int valueSize() {
                    return map.valueSize();
                }

                public MemorySegment read() {
                    reads.incrementAndGet();
                    return map.read();
                }
            };
            PrometheusRegistry registry = new PrometheusRegistry();
            GlobalsCollector.builder(counted, ExportedVariable.of(LatencyGlobals.PERCPU.section()), "latency", ".percpu")
                    .perCpuSeries(true).build().register(registry);

            String text = MetricsText.of(registry);

            assertThat(reads).hasValue(1);
            assertThat(text).contains("bpf_latency_latency_bucket").contains("bpf_latency_latency_per_cpu_bucket");
        }
    }

    @Test
    void aHistogramThatIsNoUnsignedArrayIsRefused() {
        assertThatThrownBy(() -> new ExportedVariable("latency", 0, 4, 4, true, true, MetricKind.LOG2_HISTOGRAM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("variable 'latency' is a log2-histogram but not an array of 1 to 1023 unsigned integers (signed, 4 elements)");
    }

    @Test
    void theBoundsArePowersOfTwoThenInfinity() {
        assertThat(GlobalsCollector.log2Bounds(4)).containsExactly(1.0, 2.0, 4.0, 8.0, Double.POSITIVE_INFINITY);
    }
}
