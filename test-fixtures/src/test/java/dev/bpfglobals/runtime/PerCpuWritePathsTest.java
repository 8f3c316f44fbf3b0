package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.fixtures.CompatCounterGlobals.PerCpuPart;
import dev.bpfglobals.fixtures.CompatCounterGlobals;
import dev.bpfglobals.fixtures.FixturePrograms;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.internal.Sys;
import dev.bpfglobals.runtime.kernel.Errno;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Which write path runs on which kernel, each shown by what only that path does. Kernels with
 * BPF_F_ALL_CPUS and BPF_F_CPU (6.19+; 7.3 under bin/test --kernel 7.3) honour them and the runtime
 * uses them; kernels without them (the host's 6.18, 6.1) refuse the flags and the fallbacks run.
 * Each test asserts the kernel's answer on the kernel it runs on, so none is skipped anywhere.
 */
@RequiresBpf
class PerCpuWritePathsTest {

    private static final long SLOT = PerCpuSnapshot.slotStride(16);

    @Test
    void aBindingUsesExactlyThePerCpuFlagsTheKernelHas() throws Exception {
        BpfFeatures probed = BpfFeatures.probe();
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(FixturePrograms.compile("compat_counter")));
             PerCpuGlobals<PerCpuPart> globals = PerCpuGlobals.bind(loaded.percpuMap().orElseThrow(), CompatCounterGlobals.PERCPU)) {
            assertThat(globals.features().allCpusUpdate()).isEqualTo(probed.allCpusUpdate());
            assertThat(globals.features().cpuFlag()).isEqualTo(probed.cpuFlag());
        }
    }

    @Test
    void allCpusFlagCopiesTheFirstSlotToEveryCpuWhereTheKernelHasItAndIsRefusedElsewhere() throws Exception {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(FixturePrograms.compile("compat_counter")));
             PerCpuArrayMap map = loaded.percpuMap().orElseThrow();
             Arena arena = Arena.ofConfined()) {
            int cpus = PossibleCpus.system().count();
            MemorySegment slots = arena.allocate(SLOT * cpus, 8);
            slots.set(ValueLayout.JAVA_LONG, 0, 7);
            slots.set(ValueLayout.JAVA_LONG, 8, 70);
            // The other slots hold what a kernel reading them would give away: -1 everywhere.
            slots.asSlice(SLOT).fill((byte) -1);

            long result = map.updateRaw(PerCpuWrites.ZERO_KEY, slots, BpfMaps.F_ALL_CPUS);

            if (BpfFeatures.probe().allCpusUpdate()) {
                assertThat(result).isZero();
                for (int slot = 0; slot < cpus; slot++) {
                    assertThat(read(map, slot)).as("CPU slot %d", slot).isEqualTo(new PerCpuPart(7, 70));
                }
            } else {
                assertThat(Errno.of((int) -result)).isEqualTo(Errno.EINVAL);
                assertThat(read(map, 0)).isEqualTo(new PerCpuPart(0, 0));
            }
        }
    }

    @Test
    void cpuFlagReadsAndWritesOneCpusCopyWhereTheKernelHasItAndIsRefusedElsewhere() throws Exception {
        PossibleCpus cpus = PossibleCpus.system();
        int last = cpus.cpuAt(cpus.count() - 1);
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(FixturePrograms.compile("compat_counter")));
             PerCpuArrayMap map = loaded.percpuMap().orElseThrow();
             Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(16, 8);
            one.set(ValueLayout.JAVA_LONG, 0, 5);
            one.set(ValueLayout.JAVA_LONG, 8, 50);

            long written = map.updateRaw(PerCpuWrites.ZERO_KEY, one, BpfMaps.F_CPU | ((long) last << 32));

            if (BpfFeatures.probe().cpuFlag()) {
                assertThat(written).isZero();
                MemorySegment back = arena.allocate(16, 8);
                assertThat(map.lookupRaw(PerCpuWrites.ZERO_KEY, back, BpfMaps.F_CPU | ((long) last << 32))).isZero();
                assertThat(back.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(5);
                for (int slot = 0; slot < cpus.count(); slot++) {
                    PerCpuPart expected = cpus.cpuAt(slot) == last ? new PerCpuPart(5, 50) : new PerCpuPart(0, 0);
                    assertThat(read(map, slot)).as("CPU slot %d", slot).isEqualTo(expected);
                }
            } else {
                assertThat(Errno.of((int) -written)).isEqualTo(Errno.EINVAL);
            }
        }
    }

    /**
     * A program counts on the last CPU while Java, pinned to the first, rewrites the first CPU's copy
     * again and again. With BPF_F_CPU the write touches that copy alone, so every increment survives,
     * round after round. Without it the write reads all CPUs and writes all back (as the runtime
     * documents), and increments the program made in between are lost: a race, so rounds are repeated
     * (at most 10) until one shows it; that it shows is the point, not how often.
     */
    @Test
    void oneCpuWritesKeepEveryIncrementOnOtherCpusExactlyWhereTheKernelHasTheCpuFlag() throws Exception {
        PossibleCpus cpus = PossibleCpus.system();
        org.junit.jupiter.api.Assumptions.assumeTrue(cpus.count() >= 2, "needs two possible CPUs");
        int first = cpus.cpuAt(0);
        int last = cpus.cpuAt(cpus.count() - 1);
        boolean cpuFlag = BpfFeatures.probe().cpuFlag();
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(FixturePrograms.compile("compat_counter")));
             PerCpuGlobals<PerCpuPart> globals = PerCpuGlobals.bind(loaded.percpuMap().orElseThrow(), CompatCounterGlobals.PERCPU);
             BpfProgram program = loaded.program("count")) {
            long expected = 0;
            boolean lossSeen = false;
            for (int round = 0; round < (cpuFlag ? 3 : 10) && !lossSeen; round++) {
                expected += writeFirstWhileCountingOnLast(globals, program, first, last);
                long counted = globals.read(last).hits();
                if (cpuFlag) {
                    assertThat(counted).as("increments on CPU %d after round %d", last, round).isEqualTo(expected);
                } else {
                    lossSeen = counted < expected;
                    expected = counted;
                }
                assertThat(globals.read(first)).isEqualTo(new PerCpuPart(19_999, 19_999));
            }
            if (!cpuFlag) {
                assertThat(lossSeen).as("the read-modify-write fallback loses increments made between its read and write")
                        .isTrue();
            }
        }
    }

    /** 20,000 writes of the first CPU's copy from a thread pinned there; the runs made on the last CPU meanwhile. */
    private static long writeFirstWhileCountingOnLast(PerCpuGlobals<PerCpuPart> globals, BpfProgram program, int first, int last)
            throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Long> runs = CompletableFuture.supplyAsync(() -> {
            long made = 0;
            while (writing.get() || made == 0) {
                program.testRun(new byte[64], 1000, last);
                made += 1000;
            }
            return made;
        });
        byte[] affinity = Sys.currentAffinity();
        assertThat(Sys.pinCurrentThread(first)).isZero();
        try {
            for (int i = 0; i < 20_000; i++) {
                globals.write(first, new PerCpuPart(i, i));
            }
        } finally {
            writing.set(false);
            Sys.restoreAffinity(affinity);
        }
        return runs.get();
    }

    private static PerCpuPart read(PerCpuArrayMap map, int slot) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment all = arena.allocate(SLOT * PossibleCpus.system().count(), 8);
            map.lookupAll(all);
            return CompatCounterGlobals.PERCPU.decode(all.asSlice(slot * SLOT, 16));
        }
    }
}
