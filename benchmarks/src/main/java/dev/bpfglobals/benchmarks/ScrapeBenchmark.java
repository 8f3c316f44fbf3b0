package dev.bpfglobals.benchmarks;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import dev.bpfglobals.exporter.ExportedVariable;
import dev.bpfglobals.exporter.GlobalsCollector;
import dev.bpfglobals.exporter.MetricsText;
import dev.bpfglobals.exporter.SectionSource;
import dev.bpfglobals.runtime.BpfFeatures;
import dev.bpfglobals.runtime.PerCpuArrayMap;
import dev.bpfglobals.runtime.PossibleCpus;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Prometheus scrape of a .percpu section of 100 {@code __u64} counters on every possible CPU
 * of this machine: the one map lookup, the decoding, the client's snapshots, and (for
 * {@link #scrapeToText}) the text format {@code /metrics} serves. Summed (100 series) or, with
 * per-CPU series, the same 100 sums plus a {@code _per_cpu} family each (100 × (1 + CPUs) series).
 * Run with {@code -prof gc} for the bytes allocated per scrape.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ScrapeBenchmark {

    static final int VARIABLES = 100;

    @Param({"false", "true"})
    public boolean perCpuSeries;

    private PerCpuArrayMap map;
    private GlobalsCollector collector;
    private PrometheusRegistry registry;
    private final ByteArrayOutputStream text = new ByteArrayOutputStream(1 << 16);

    @Setup
    public void createMap() {
        List<VariableContract> variables = new ArrayList<>();
        for (int i = 0; i < VARIABLES; i++) {
            variables.add(new VariableContract("counter" + i, "__u64", 8 * i, 8, 8));
        }
        SectionContract section = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 8 * VARIABLES, 1, 8, variables);
        MemorySegment image = Arena.ofAuto().allocate(section.valueSize());
        for (int i = 0; i < VARIABLES; i++) {
            image.setAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, i, 1000L * i); // non-zero, as real counters are
        }
        map = PerCpuArrayMap.create(section, image, BpfFeatures.probe());
        collector = GlobalsCollector.builder(SectionSource.of(map), ExportedVariable.of(section), "bench", ".percpu")
                .perCpuSeries(perCpuSeries).build();
        registry = new PrometheusRegistry();
        collector.register(registry);
        System.err.println("ScrapeBenchmark: " + VARIABLES + " variables on " + PossibleCpus.system().count()
                + " possible CPUs (" + PossibleCpus.system() + ")");
    }

    @TearDown
    public void closeMap() {
        map.close();
    }

    /** The collector alone: one lookup, decoding, the client's snapshot objects. */
    @Benchmark
    public MetricSnapshots collect() {
        return collector.collect();
    }

    /** A whole scrape as {@code /metrics} answers it: collect, then the text format into a reused buffer. */
    @Benchmark
    public int scrapeToText() throws IOException {
        text.reset();
        MetricsText.write(registry, text);
        return text.size();
    }
}
