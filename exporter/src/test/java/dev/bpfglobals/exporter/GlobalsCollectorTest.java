package dev.bpfglobals.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.MetricKind;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import dev.bpfglobals.runtime.BpfFeatures;
import dev.bpfglobals.runtime.PerCpuArrayMap;
import dev.bpfglobals.runtime.PerCpuGlobals;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@RequiresBpf
class GlobalsCollectorTest {

    private static final PossibleCpus CPUS = PossibleCpus.system();

    /** Binds a fresh map and gives CPU c: packets 1000 + c, depth -1 - c, sizeBuckets {c, 2c, 3c, 4c}. */
    private static PerCpuGlobals<TrafficGlobals.PerCpuPart> filled() {
        SectionContract section = TrafficGlobals.PERCPU.section();
        PerCpuGlobals<TrafficGlobals.PerCpuPart> globals = TrafficGlobals.bind(PerCpuArrayMap.create(section,
                MemorySegment.ofArray(new byte[section.valueSize()]), BpfFeatures.probe()));
        for (int cpu : CPUS.ids()) {
            globals.write(cpu, new TrafficGlobals.PerCpuPart(1000 + cpu, -1 - cpu, new int[] {cpu, 2 * cpu, 3 * cpu, 4 * cpu}));
        }
        return globals;
    }

    private static double sumOverCpus(java.util.function.IntToDoubleFunction perCpu) {
        return CPUS.ids().stream().mapToDouble(perCpu::applyAsDouble).sum();
    }

    @Test
    void eachVariableIsOneSeriesSummedOverCpusNamedAfterTheRecord() {
        try (PerCpuGlobals<TrafficGlobals.PerCpuPart> globals = filled()) {
            PrometheusRegistry registry = new PrometheusRegistry();
            GlobalsCollector.builder(globals).build().register(registry);
            String text = MetricsText.of(registry);
            Map<String, Double> samples = Exposition.samples(text);

            assertThat(samples).containsEntry("bpf_traffic_packets_total", sumOverCpus(cpu -> 1000 + cpu))
                    .containsEntry("bpf_traffic_depth", sumOverCpus(cpu -> -1 - cpu))
                    .containsEntry("bpf_traffic_size_buckets_total{index=\"3\"}", sumOverCpus(cpu -> 4 * cpu));
            assertThat(samples).hasSize(1 + 1 + 4);
            assertThat(Exposition.type(text, "bpf_traffic_packets_total")).isEqualTo("counter");
            assertThat(Exposition.type(text, "bpf_traffic_depth")).as("a signed integer is a gauge").isEqualTo("gauge");
        }
    }

    @Test
    void perCpuSeriesAreASeparateFamilyNextToAnUnchangedSum() {
        try (PerCpuGlobals<TrafficGlobals.PerCpuPart> globals = filled()) {
            PrometheusRegistry summedOnly = new PrometheusRegistry();
            GlobalsCollector.builder(globals).build().register(summedOnly);
            PrometheusRegistry registry = new PrometheusRegistry();
            GlobalsCollector.builder(globals).perCpuSeries(true).build().register(registry);
            String text = MetricsText.of(registry);
            Map<String, Double> samples = Exposition.samples(text);

            assertThat(samples).containsAllEntriesOf(Exposition.samples(MetricsText.of(summedOnly)));
            for (int cpu : CPUS.ids()) {
                assertThat(samples).containsEntry("bpf_traffic_packets_per_cpu_total{cpu=\"" + cpu + "\"}", 1000.0 + cpu)
                        .containsEntry("bpf_traffic_depth_per_cpu{cpu=\"" + cpu + "\"}", -1.0 - cpu)
                        .containsEntry("bpf_traffic_size_buckets_per_cpu_total{cpu=\"" + cpu + "\",index=\"1\"}", 2.0 * cpu);
            }
            assertThat(samples).hasSize((1 + CPUS.count()) * (1 + 1 + 4));
            assertThat(Exposition.type(text, "bpf_traffic_packets_per_cpu_total")).isEqualTo("counter");
            assertThat(Exposition.type(text, "bpf_traffic_depth_per_cpu")).isEqualTo("gauge");
        }
    }

    @Test
    void summingThePerCpuFamilyGivesTheSummedFamily() {
        try (PerCpuGlobals<TrafficGlobals.PerCpuPart> globals = filled()) {
            PrometheusRegistry registry = new PrometheusRegistry();
            GlobalsCollector.builder(globals).perCpuSeries(true).build().register(registry);
            Map<String, Double> samples = Exposition.samples(MetricsText.of(registry));

            double perCpuTotal = samples.entrySet().stream().filter(e -> e.getKey().startsWith("bpf_traffic_packets_per_cpu_total{"))
                    .mapToDouble(Map.Entry::getValue).sum();
            assertThat(perCpuTotal).isEqualTo(samples.get("bpf_traffic_packets_total"));
        }
    }

    @Test
    void aVariableNamedLikeAnotherOnesPerCpuFamilyIsRefused() {
        try (PerCpuGlobals<TrafficGlobals.PerCpuPart> globals = filled()) {
            List<ExportedVariable> clashing = List.of(new ExportedVariable("packets", 0, 8, 1, false, false, MetricKind.COUNTER),
                    new ExportedVariable("packets_per_cpu", 8, 4, 1, false, true, MetricKind.GAUGE));

            assertThatThrownBy(() -> GlobalsCollector.builder(SectionSource.of(globals), clashing, "traffic", ".percpu")
                    .perCpuSeries(true).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("make the metric name bpf_traffic_packets_per_cpu");
        }
    }

    @Test
    void aScrapeReadsTheMapOnceForAllVariablesAndCpus() {
        try (PerCpuGlobals<TrafficGlobals.PerCpuPart> globals = filled()) {
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
            GlobalsCollector.builder(counted, ExportedVariable.of(TrafficGlobals.PERCPU.section()), "traffic", ".percpu")
                    .perCpuSeries(true).build().register(registry);

            MetricsText.of(registry);

            assertThat(reads).hasValue(1);
        }
    }

    @Test
    void aContractThatDoesNotMatchThePinnedMapIsRefusedInOneLine() {
        SectionContract section = TrafficGlobals.PERCPU.section();
        SectionContract larger = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 32, 1, 8,
                List.of(new VariableContract("packets", "__u64", 0, 8, 8), new VariableContract("drops", "__u64", 24, 8, 8)));
        try (PerCpuArrayMap map = PerCpuArrayMap.create(section, MemorySegment.ofArray(new byte[section.valueSize()]),
                BpfFeatures.probe())) {
            assertThatThrownBy(() -> GlobalsCollector.builder(map, larger))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not match the contract's .percpu: value size expected 32 bytes, found 28 bytes")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void aPinnedMapWithAContractIsNamedAfterTheSection() {
        try (PerCpuGlobals<TrafficGlobals.PerCpuPart> globals = filled()) {
            PrometheusRegistry registry = new PrometheusRegistry();
            GlobalsCollector.builder(globals.map(), TrafficGlobals.PERCPU.section()).build().register(registry);

            assertThat(Exposition.samples(MetricsText.of(registry)))
                    .containsEntry("bpf_percpu_packets_total", sumOverCpus(cpu -> 1000 + cpu));
        }
    }
}
