package dev.bpfglobals.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import dev.bpfglobals.runtime.testing.KernelExpectations;
import dev.bpfglobals.runtime.testing.KernelExpectations.Feature;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PerCpuGlobals#readCpu(int, PerCpuSnapshot)}: one CPU's copy into its slot of a reused
 * snapshot, exact per CPU, with BPF_F_CPU where this leg's kernel is stated to have it (the other
 * slots are left alone) and a full read elsewhere (every slot refreshed). Its allocation is held
 * by {@link PerCpuReadAllocationTest}.
 */
@RequiresBpf
class PerCpuReadCpuTest {

    /** {@code __u64 counter; __u64 tag;} in {@code .percpu}: 16 bytes. */
    record Pair(long counter, long tag) {
    }

    static final SectionContract SECTION = new SectionContract(".percpu", MapType.PERCPU_ARRAY, 4, 16, 1, 8, List.of(
            new VariableContract("counter", "__u64", 0, 8, 8),
            new VariableContract("tag", "__u64", 8, 8, 8)));

    /** Bytes no kernel read writes, to see which slots a read touched. */
    private static final byte STALE = (byte) 0x5a;
    private static final long STALE_LONG = 0x5a5a5a5a5a5a5a5aL;

    static final SectionCodec<Pair> CODEC = new SectionCodec<>() {
        @Override
        public Class<Pair> recordType() {
            return Pair.class;
        }

        @Override
        public SectionContract section() {
            return SECTION;
        }

        @Override
        public Pair decode(MemorySegment src) {
            return new Pair(src.get(ValueLayout.JAVA_LONG_UNALIGNED, 0), src.get(ValueLayout.JAVA_LONG_UNALIGNED, 8));
        }

        @Override
        public void encode(Pair value, MemorySegment dst) {
            dst.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value.counter());
            dst.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, value.tag());
        }

        @Override
        public Pair sum(MemorySegment slots, long stride, int count) {
            throw new UnsupportedOperationException("not needed here");
        }
    };

    static PerCpuGlobals<Pair> bindWithDistinctValuePerCpu(BpfFeatures features) {
        PerCpuGlobals<Pair> globals = PerCpuGlobals.bind(
                PerCpuArrayMap.create(SECTION, Arena.ofAuto().allocate(16), features), CODEC, features);
        PossibleCpus cpus = PossibleCpus.system();
        for (int slot = 0; slot < cpus.count(); slot++) {
            int cpu = cpus.cpuAt(slot);
            globals.write(cpu, new Pair(1000 + cpu, -cpu - 1));
        }
        return globals;
    }

    @Test
    void readsEachCpusExactValueIntoItsSlotWithTheCpuFlagWhereStatedElseByAFullRead() {
        boolean cpuFlag = KernelExpectations.has(Feature.CPU_FLAG);
        try (PerCpuGlobals<Pair> globals = bindWithDistinctValuePerCpu(BpfFeatures.probe())) {
            assertReadsEachCpu(globals, cpuFlag);
        }
    }

    @Test
    void withoutPerCpuFlagsReadsEachCpusExactValueByAFullReadOnEveryKernel() {
        try (PerCpuGlobals<Pair> globals = bindWithDistinctValuePerCpu(BpfFeatures.probe().withoutPerCpuFlags())) {
            assertReadsEachCpu(globals, false);
        }
    }

    private static void assertReadsEachCpu(PerCpuGlobals<Pair> globals, boolean onlyThatSlot) {
        PerCpuSnapshot<Pair> snapshot = globals.newSnapshot();
        PossibleCpus cpus = snapshot.cpus();
        for (int slot = 0; slot < cpus.count(); slot++) {
            int cpu = cpus.cpuAt(slot);
            snapshot.segment().fill(STALE);

            globals.readCpu(cpu, snapshot);

            assertThat(snapshot.get(cpu)).isEqualTo(new Pair(1000 + cpu, -cpu - 1));
            for (int other = 0; other < cpus.count(); other++) {
                int otherCpu = cpus.cpuAt(other);
                if (otherCpu != cpu) {
                    long counter = snapshot.slot(otherCpu).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
                    assertThat(counter).as("CPU %d's slot after reading CPU %d", otherCpu, cpu)
                            .isEqualTo(onlyThatSlot ? STALE_LONG : 1000 + otherCpu);
                }
            }
        }
    }

    @Test
    void refusesACpuThatIsNotPossibleAndASnapshotOfAnotherRecord() {
        try (PerCpuGlobals<Pair> globals = bindWithDistinctValuePerCpu(BpfFeatures.probe())) {
            PerCpuSnapshot<Pair> snapshot = globals.newSnapshot();
            int impossible = PossibleCpus.system().cpuAt(PossibleCpus.system().count() - 1) + 1;
            assertThatThrownBy(() -> globals.readCpu(impossible, snapshot))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(String.valueOf(impossible));
            @SuppressWarnings({"unchecked", "rawtypes"})
            PerCpuSnapshot<Pair> foreign = (PerCpuSnapshot) PerCpuSnapshot.allocate(DataLimits.CODEC, PossibleCpus.system());
            assertThatThrownBy(() -> globals.readCpu(0, foreign))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("snapshot was made for " + DataLimits.class.getName());
        }
    }
}
