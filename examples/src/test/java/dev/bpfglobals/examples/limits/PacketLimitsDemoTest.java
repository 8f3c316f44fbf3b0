package dev.bpfglobals.examples.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The limit Java writes into .data, before load and live, is what the program enforces. */
@RequiresBpf
class PacketLimitsDemoTest {

    @Test
    void limitSetBeforeLoadDropsLongPacketsAndLiftingItLivePassesThem() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        PacketLimitsGlobals.PerCpuPart sum = PacketLimitsDemo.run(Path.of("target/bpf/packet_limits.bpf.o"),
                new PrintStream(printed, true));

        assertThat(sum.dropped()).isEqualTo(10);
        assertThat(sum.passed()).isEqualTo(15);
        assertThat(printed.toString()).contains("passed=10, dropped=10");
    }
}
