package dev.bpfglobals.examples.xdp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.PossibleCpus;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The demo's XDP program, run in the kernel, counts exactly what was sent on each CPU. */
@RequiresBpf
class XdpStatsDemoTest {

    @Test
    void eachCpuCountsExactlyItsOwnPackets() throws Exception {
        PerCpuSnapshot<XdpStatsGlobals.PerCpuPart> snapshot = XdpStatsDemo.run(Path.of("target/bpf/xdp_stats.bpf.o"));

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
