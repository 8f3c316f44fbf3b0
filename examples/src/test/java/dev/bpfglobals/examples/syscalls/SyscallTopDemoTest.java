package dev.bpfglobals.examples.syscalls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.examples.Builds;
import dev.bpfglobals.examples.PercpuMode;
import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The raw tracepoint sees real system calls, and per-CPU counts add up to the total, in both builds. */
@RequiresBpf
class SyscallTopDemoTest {

    @ParameterizedTest
    @EnumSource(PercpuMode.class)
    void countsRealSyscallsThatAddUpAcrossCpus(PercpuMode mode) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Builds.run(mode, "syscall_top", object -> SyscallTopDemo.run(object, 1, new PrintStream(printed, true)))
                .ifPresent(snapshot -> assertCountsAddUp(snapshot, printed.toString()));
    }

    private static void assertCountsAddUp(PerCpuSnapshot<SyscallTopGlobals.PerCpuPart> snapshot, String printed) {
        long perCpu = snapshot.cpus().ids().stream().mapToLong(cpu -> SyscallTopGlobals.total(snapshot, cpu)).sum();
        SyscallTopGlobals.PerCpuPart sum = snapshot.sum();
        assertThat(sum.total()).isPositive().isEqualTo(perCpu).isEqualTo(SyscallTopGlobals.totalSum(snapshot));
        assertThat(Arrays.stream(sum.bySyscall()).sum()).isPositive().isLessThanOrEqualTo(sum.total());
        assertThat(printed).contains("after 1s:", "busiest syscalls");
    }
}
