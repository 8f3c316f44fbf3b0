package dev.bpfglobals.examples.syscalls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The raw tracepoint sees real system calls, and per-CPU counts add up to the total. */
@RequiresBpf
class SyscallTopDemoTest {

    @Test
    void countsRealSyscallsThatAddUpAcrossCpus() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        PerCpuSnapshot<SyscallTopGlobals.PerCpuPart> snapshot = SyscallTopDemo.run(Path.of("target/bpf/syscall_top.bpf.o"), 1,
                new PrintStream(printed, true));

        long perCpu = snapshot.cpus().ids().stream().mapToLong(cpu -> SyscallTopGlobals.total(snapshot, cpu)).sum();
        SyscallTopGlobals.PerCpuPart sum = snapshot.sum();
        assertThat(sum.total()).isPositive().isEqualTo(perCpu).isEqualTo(SyscallTopGlobals.totalSum(snapshot));
        assertThat(Arrays.stream(sum.bySyscall()).sum()).isPositive().isLessThanOrEqualTo(sum.total());
        assertThat(printed.toString()).contains("after 1s:", "busiest syscalls");
    }
}
