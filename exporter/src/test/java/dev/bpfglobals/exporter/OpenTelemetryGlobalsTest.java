package dev.bpfglobals.exporter;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.lang.foreign.MemorySegment;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@RequiresBpf
class OpenTelemetryGlobalsTest {

    private static final PossibleCpus CPUS = PossibleCpus.system();

    private static PerCpuGlobals<TrafficGlobals.PerCpuPart> filled() {
        SectionContract section = TrafficGlobals.PERCPU.section();
        PerCpuGlobals<TrafficGlobals.PerCpuPart> globals = TrafficGlobals.bind(PerCpuArrayMap.create(section,
                MemorySegment.ofArray(new byte[section.valueSize()]), BpfFeatures.probe()));
        for (int cpu : CPUS.ids()) {
            globals.write(cpu, new TrafficGlobals.PerCpuPart(1000 + cpu, -1 - cpu, new int[] {cpu, 2 * cpu, 3 * cpu, 4 * cpu}));
        }
        return globals;
    }

    private static MetricData metric(Collection<MetricData> metrics, String name) {
        return metrics.stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + metrics));
    }

    @Test
    void countersAreCumulativeSumsAndGaugesGaugesSummedOverCpus() {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (PerCpuGlobals<TrafficGlobals.PerCpuPart> globals = filled();
                SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build()) {
            OpenTelemetryGlobals.register(provider.get("test"), GlobalsCollector.builder(globals).build());

            Collection<MetricData> metrics = reader.collectAllMetrics();

            MetricData packets = metric(metrics, "bpf_traffic_packets");
            assertThat(packets.getType()).isEqualTo(MetricDataType.DOUBLE_SUM);
            assertThat(packets.getDoubleSumData().isMonotonic()).isTrue();
            assertThat(packets.getDoubleSumData().getPoints()).singleElement().extracting(DoublePointData::getValue)
                    .isEqualTo(CPUS.ids().stream().mapToDouble(cpu -> 1000 + cpu).sum());
            MetricData depth = metric(metrics, "bpf_traffic_depth");
            assertThat(depth.getType()).isEqualTo(MetricDataType.DOUBLE_GAUGE);
            assertThat(depth.getDoubleGaugeData().getPoints()).singleElement().extracting(DoublePointData::getValue)
                    .isEqualTo(CPUS.ids().stream().mapToDouble(cpu -> -1 - cpu).sum());
        }
    }

    @Test
    void perCpuSeriesAreASeparateInstrumentWithCpuAndIndexAttributes() {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (PerCpuGlobals<TrafficGlobals.PerCpuPart> globals = filled();
                SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build()) {
            OpenTelemetryGlobals.register(provider.get("test"), GlobalsCollector.builder(globals).perCpuSeries(true).build());

            Collection<MetricData> metrics = reader.collectAllMetrics();

            MetricData buckets = metric(metrics, "bpf_traffic_size_buckets_per_cpu");
            Map<String, Double> points = buckets.getDoubleSumData().getPoints().stream().collect(Collectors.toMap(
                    p -> p.getAttributes().get(AttributeKey.stringKey("cpu")) + "/" + p.getAttributes().get(AttributeKey.stringKey("index")),
                    DoublePointData::getValue));
            assertThat(points).hasSize(CPUS.count() * 4);
            for (int cpu : CPUS.ids()) {
                assertThat(points).containsEntry(cpu + "/2", 3.0 * cpu);
            }
            MetricData summed = metric(metrics, "bpf_traffic_size_buckets");
            assertThat(summed.getDoubleSumData().getPoints()).hasSize(4)
                    .allMatch(p -> p.getAttributes().get(AttributeKey.stringKey("cpu")) == null);
        }
    }
}
