package dev.bpfglobals.examples.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.examples.Builds;
import dev.bpfglobals.examples.PercpuMode;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The limit Java writes into .data, before load and live, is what the program enforces, in both builds. */
@RequiresBpf
class PacketLimitsDemoTest {

    @ParameterizedTest
    @EnumSource(PercpuMode.class)
    void limitSetBeforeLoadDropsLongPacketsAndLiftingItLivePassesThem(PercpuMode mode) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Builds.run(mode, "packet_limits", object -> PacketLimitsDemo.run(object, new PrintStream(printed, true)))
                .ifPresent(sum -> {
                    assertThat(sum.dropped()).isEqualTo(10);
                    assertThat(sum.passed()).isEqualTo(15);
                    assertThat(printed.toString()).contains("passed=10, dropped=10")
                            .contains("limit lifted live to 400 through the mmapped .data: PerCpuPart[passed=15, dropped=10]");
                });
    }
}
