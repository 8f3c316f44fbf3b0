package dev.bpfglobals.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricNamesTest {

    @Test
    void aRecordPrefixIsItsSimpleNameInSnakeCase() {
        assertThat(MetricNames.ofRecord("dev.example.XdpStats")).isEqualTo("xdp_stats");
        assertThat(MetricNames.ofRecord("dev.example.Outer$HTTPCounters")).isEqualTo("http_counters");
    }

    @Test
    void aSectionPrefixDropsTheDotAndReplacesTheRest() {
        assertThat(MetricNames.ofSection(".percpu")).isEqualTo("percpu");
        assertThat(MetricNames.ofSection(".data.limits")).isEqualTo("data_limits");
    }

    @Test
    void aTrailingTotalIsLeftToTheClientWhichAddsItToCounters() {
        assertThat(MetricNames.of("percpu", "packets_total")).isEqualTo("bpf_percpu_packets");
    }
}
