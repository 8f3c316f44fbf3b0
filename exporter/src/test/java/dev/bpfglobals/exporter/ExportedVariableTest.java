package dev.bpfglobals.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.contract.MetricKind;
import dev.bpfglobals.contract.VariableContract;
import org.junit.jupiter.api.Test;

class ExportedVariableTest {

    @Test
    void anUnsignedPerCpuIntegerIsACounterAndASignedOneAGauge() {
        assertThat(ExportedVariable.of(".percpu", new VariableContract("packets", "__u64", 0, 8, 8)).orElseThrow().kind())
                .isEqualTo(MetricKind.COUNTER);
        assertThat(ExportedVariable.of(".percpu", new VariableContract("depth", "__s32", 0, 4, 4)).orElseThrow().kind())
                .isEqualTo(MetricKind.GAUGE);
    }

    @Test
    void outsidePerCpuEveryIntegerIsAGauge() {
        assertThat(ExportedVariable.of(".data", new VariableContract("limit", "__u32", 0, 4, 4)).orElseThrow().kind())
                .isEqualTo(MetricKind.GAUGE);
    }

    @Test
    void theContractsMetricKindWinsOverTheDefault() {
        assertThat(ExportedVariable.of(".percpu", new VariableContract("inFlight", "__u64", 0, 8, 8, MetricKind.GAUGE))
                .orElseThrow().kind()).isEqualTo(MetricKind.GAUGE);
    }

    @Test
    void anArrayKeepsItsLengthAndElementWidth() {
        ExportedVariable buckets = ExportedVariable.of(".percpu", new VariableContract("b", "__u32[8]", 4, 32, 4)).orElseThrow();

        assertThat(buckets.array()).isTrue();
        assertThat(buckets.length()).isEqualTo(8);
        assertThat(buckets.elementSize()).isEqualTo(4);
    }

    @Test
    void structsEnumsAndBooleansAreNotExported() {
        assertThat(ExportedVariable.of(".percpu", new VariableContract("s", "struct flow", 0, 16, 8))).isEmpty();
        assertThat(ExportedVariable.of(".percpu", new VariableContract("e", "enum mode", 0, 4, 4))).isEmpty();
        assertThat(ExportedVariable.of(".percpu", new VariableContract("b", "_Bool", 0, 1, 1))).isEmpty();
    }

    @Test
    void anUnsigned64BitCounterBeyondLongMaxReadsAsItsUnsignedValue() {
        ExportedVariable counter = new ExportedVariable("c", 0, 8, 1, false, false, MetricKind.COUNTER);

        assertThat(SectionScraper.toDouble(counter, -1L)).isEqualTo(18446744073709551615.0);
    }

    @Test
    void aNarrowSignedGaugeSumWrapsAtItsWidth() {
        ExportedVariable gauge = new ExportedVariable("g", 0, 1, 1, false, true, MetricKind.GAUGE);

        assertThat(SectionScraper.toDouble(gauge, 0x80)).isEqualTo(-128.0);
    }
}
