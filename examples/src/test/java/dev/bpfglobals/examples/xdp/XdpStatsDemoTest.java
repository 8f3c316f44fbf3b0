package dev.bpfglobals.examples.xdp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.examples.Builds;
import dev.bpfglobals.examples.PercpuMode;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The demo's XDP program, run in the kernel, counts exactly what was sent on each CPU: the compat
 * build on every kernel, the native build of the same C source where the kernel has native
 * {@code .percpu} access (7.3 in bin/test --kernel 7.3).
 */
@RequiresBpf
class XdpStatsDemoTest {

    @ParameterizedTest
    @EnumSource(PercpuMode.class)
    void eachCpuCountsExactlyItsOwnPackets(PercpuMode mode) throws Exception {
        Builds.run(mode, "xdp_stats", XdpStatsDemo::run).ifPresent(XdpStatsDemoTest::assertExactCounts);
    }

    @ParameterizedTest
    @EnumSource(PercpuMode.class)
    void bothBuildsMatchTheRecordsContract(PercpuMode mode) throws Exception {
        assertThat(ObjectSpec.open(mode.object(Builds.DIRECTORY, "xdp_stats"))
                .checkAgainst(XdpStatsGlobals.CONTRACT).matches()).isTrue();
    }

    private static void assertExactCounts(PerCpuSnapshot<XdpStatsGlobals.PerCpuPart> snapshot) {
        PossibleCpus cpus = PossibleCpus.system();
        long totalPackets = 0;
        for (int slot = 0; slot < cpus.count(); slot++) {
            int cpu = cpus.cpuAt(slot);
            long packets = (long) XdpStatsDemo.BASE_RUNS * (slot + 1);
            int size = XdpStatsDemo.packetSize(slot);
            assertThat(XdpStatsGlobals.packets(snapshot, cpu)).as("packets on CPU %d", cpu).isEqualTo(packets);
            assertThat(XdpStatsGlobals.bytes(snapshot, cpu)).as("bytes on CPU %d", cpu).isEqualTo(packets * size);
            assertThat(XdpStatsGlobals.sizeBuckets(snapshot, cpu, Math.min(size >> 7, 7))).isEqualTo(packets);
            totalPackets += packets;
        }
        assertThat(XdpStatsGlobals.packetsSum(snapshot)).isEqualTo(totalPackets);
        assertThat(snapshot.sum().packets()).isEqualTo(totalPackets);
    }
}
