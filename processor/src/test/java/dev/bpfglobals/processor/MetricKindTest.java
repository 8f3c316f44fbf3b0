package dev.bpfglobals.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.bpfglobals.contract.ContractJson;
import dev.bpfglobals.contract.GeneratedAccessors;
import dev.bpfglobals.contract.GlobalsContract;
import dev.bpfglobals.contract.MetricKind;
import dev.bpfglobals.contract.VariableContract;
import dev.bpfglobals.processor.validation.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** {@code @Counter}/{@code @Gauge}: checked on the component, recorded in the JSON contract and CONTRACT alike. */
class MetricKindTest {

    private static final String RECORD = """
            package test;
            import dev.bpfglobals.annotations.*;
            public record Stats(
                @PerCpu @Unsigned long packets,
                @PerCpu long balance,
                @PerCpu @Unsigned @Gauge long inFlight,
                @PerCpu @Counter long signedCount,
                @PerCpu @Unsigned @Length(4) int[] buckets,
                @PerCpu @Unsigned @Length(8) @Histogram long[] latency,
                @PerCpu boolean up,
                @Unsigned int limit) {}
            """;

    private static MetricKind kind(GlobalsContract contract, String section, String variable) {
        return contract.section(section).orElseThrow().variable(variable).map(VariableContract::metric).orElseThrow();
    }

    @Test
    void unannotatedUnsignedPerCpuIntegersAreCountersAndEveryOtherIntegerAGauge() {
        GlobalsContract contract = ContractJson.parse(Compiled.compile("test.Stats", RECORD).contract("test.Stats"));

        assertThat(kind(contract, ".percpu", "packets")).isEqualTo(MetricKind.COUNTER);
        assertThat(kind(contract, ".percpu", "buckets")).isEqualTo(MetricKind.COUNTER);
        assertThat(kind(contract, ".percpu", "balance")).as("signed").isEqualTo(MetricKind.GAUGE);
        assertThat(kind(contract, ".data", "limit")).as("not per-CPU").isEqualTo(MetricKind.GAUGE);
    }

    @Test
    void theAnnotationWinsOverTheDefault() {
        GlobalsContract contract = ContractJson.parse(Compiled.compile("test.Stats", RECORD).contract("test.Stats"));

        assertThat(kind(contract, ".percpu", "inFlight")).isEqualTo(MetricKind.GAUGE);
        assertThat(kind(contract, ".percpu", "signedCount")).isEqualTo(MetricKind.COUNTER);
    }

    @Test
    void aHistogramIsRecordedAsALog2HistogramInTheJson() {
        String json = Compiled.compile("test.Stats", RECORD).contract("test.Stats");

        assertThat(kind(ContractJson.parse(json), ".percpu", "latency")).isEqualTo(MetricKind.LOG2_HISTOGRAM);
        assertThat(json).contains("\"metric\": \"log2-histogram\"");
    }

    @Test
    void aNonIntegerHasNoMetricKind() {
        GlobalsContract contract = ContractJson.parse(Compiled.compile("test.Stats", RECORD).contract("test.Stats"));

        assertThat(contract.section(".percpu").orElseThrow().variable("up").orElseThrow().metric()).isNull();
    }

    @Test
    void theAccessorsContractRecordsTheSameKindsAsTheJson() throws Exception {
        Compiled compiled = Compiled.compile("test.Stats", RECORD);
        Class<?> record = compiled.classLoader().loadClass("test.Stats");

        assertThat(GeneratedAccessors.contractOf(record)).isEqualTo(ContractJson.parse(compiled.contract("test.Stats")));
    }

    private static void assertError(Diagnostic diagnostic, String body, String line) {
        JavaFileObject source = JavaFileObjects.forSourceString("test.R", "package test;\nimport dev.bpfglobals.annotations.*;\n" + body);
        Compilation compilation = com.google.testing.compile.Compiler.javac().withProcessors(new GlobalsProcessor()).compile(source);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[" + diagnostic.tag() + "]").inFile(source).onLineContaining(line);
    }

    @Test
    void aCounterOnABooleanIsRejectedOnItsLine() {
        assertError(Diagnostic.METRIC_ON_NON_INTEGER, """
                public record R(@PerCpu long ok,
                    @PerCpu @Counter boolean up) {}
                """, "boolean up");
    }

    @Test
    void aGaugeOnARecordIsRejectedOnItsLine() {
        assertError(Diagnostic.METRIC_ON_NON_INTEGER, """
                public record R(@PerCpu long ok,
                    @PerCpu @Gauge Pair pair) {}
                record Pair(long a, long b) {}
                """, "Pair pair");
    }

    @Test
    void aHistogramOnASignedArrayIsRejectedOnItsLine() {
        assertError(Diagnostic.HISTOGRAM_ON_NON_UNSIGNED_ARRAY, """
                public record R(@PerCpu long ok,
                    @PerCpu @Length(4) @Histogram long[] signedBuckets) {}
                """, "long[] signedBuckets");
    }

    @Test
    void aHistogramOnAScalarIsRejectedOnItsLine() {
        assertError(Diagnostic.HISTOGRAM_ON_NON_UNSIGNED_ARRAY, """
                public record R(@PerCpu long ok,
                    @PerCpu @Unsigned @Histogram long single) {}
                """, "long single");
    }

    @Test
    void aHistogramThatIsAlsoACounterIsRejectedOnItsLine() {
        assertError(Diagnostic.HISTOGRAM_WITH_KIND, """
                public record R(@PerCpu long ok,
                    @PerCpu @Unsigned @Length(4) @Histogram @Counter long[] both) {}
                """, "long[] both");
    }

    @Test
    void counterAndGaugeTogetherAreRejectedOnTheirLine() {
        assertError(Diagnostic.COUNTER_AND_GAUGE, """
                public record R(@PerCpu long ok,
                    @PerCpu @Counter @Gauge long both) {}
                """, "long both");
    }
}
