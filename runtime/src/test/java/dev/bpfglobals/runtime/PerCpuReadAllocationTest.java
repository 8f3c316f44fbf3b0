package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.bpfglobals.runtime.testing.BpfCondition;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link PerCpuGlobals#readCpu(int, PerCpuSnapshot)} allocates nothing once warmed up. It needs
 * bpf(2) but is not tagged {@code kernel}: the kernel-matrix VMs run their JVMs with C1 alone
 * ({@code TieredStopAtLevel=1}), which does no escape analysis, so it runs on the host leg, where
 * C2 compiles the loop; the kernel path is the same syscall there.
 */
@ExtendWith(BpfCondition.class)
class PerCpuReadAllocationTest {

    /**
     * Zero bytes over many reads once C2 has compiled the loop: the thread's allocation counter, not
     * a timing, so it holds on a loaded machine. C1 alone (the VM legs run with TieredStopAtLevel=1)
     * does no escape analysis, so the downcall's transient objects show there: skipped then.
     */
    @Test
    void aWarmedUpOneCpuReadIntoASnapshotAllocatesNothing() {
        var diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        Assumptions.assumeTrue("4".equals(diagnostics.getVMOption("TieredStopAtLevel").getValue()),
                "C2 is off in this JVM (TieredStopAtLevel < 4): no escape analysis to measure");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (PerCpuGlobals<PerCpuReadCpuTest.Pair> globals = PerCpuReadCpuTest.bindWithDistinctValuePerCpu(BpfFeatures.probe())) {
            PerCpuSnapshot<PerCpuReadCpuTest.Pair> snapshot = globals.newSnapshot();
            int cpu = snapshot.cpus().cpuAt(0);
            long sum = 0;
            for (int round = 0; round < 10; round++) {
                sum += readLoop(globals, snapshot, cpu, 20_000);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            sum += readLoop(globals, snapshot, cpu, 20_000);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertThat(sum).isEqualTo(220_000L * (1000 + cpu));
            assertThat(allocated).as("bytes allocated by 20,000 warmed-up readCpu calls").isZero();
        }
    }

    private static long readLoop(PerCpuGlobals<PerCpuReadCpuTest.Pair> globals, PerCpuSnapshot<PerCpuReadCpuTest.Pair> snapshot, int cpu, int times) {
        long sum = 0;
        for (int i = 0; i < times; i++) {
            globals.readCpu(cpu, snapshot);
            sum += snapshot.slot(cpu).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        }
        return sum;
    }
}
