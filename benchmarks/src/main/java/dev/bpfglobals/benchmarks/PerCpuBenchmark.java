package dev.bpfglobals.benchmarks;

import dev.bpfglobals.runtime.BpfFeatures;
import dev.bpfglobals.runtime.PerCpuArrayMap;
import dev.bpfglobals.runtime.PerCpuGlobals;
import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.SectionCodec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The typed .percpu paths against a real PERCPU_ARRAY, next to the C floor making the same
 * syscalls on the same map in the same run ({@link CFloor}), and a naive baseline that looks the
 * whole value up again for each field access into a fresh buffer, as some peers do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PerCpuBenchmark {

    @Param({"8", "64", "1024", "32768"})
    public int size;

    private PerCpuGlobals<Record> globals;
    private PerCpuSnapshot<Record> snapshot;
    private Record value;
    private int mapFd;
    private CFloor cFloor;
    private MemorySegment cSlots;
    private MemorySegment cValue;

    @Setup
    public void createMap() {
        SectionCodec<Record> codec = RawSections.codec(size);
        MemorySegment image = Arena.ofAuto().allocate(size);
        globals = PerCpuGlobals.bind(PerCpuArrayMap.create(codec.section(), image, BpfFeatures.probe()), codec);
        snapshot = globals.newSnapshot();
        value = RawSections.value(size);
        mapFd = globals.map().map().fd().value(); // for the C floor, while globals holds the map open
        cFloor = CFloor.load();
        cSlots = globals.newSnapshot().segment();
        cValue = Arena.ofAuto().allocate(size, 8);
    }

    @TearDown
    public void close() {
        globals.close();
    }

    /** One BPF_MAP_LOOKUP_ELEM of every CPU's copy into a reused buffer. */
    @Benchmark
    public MemorySegment readAllIntoSnapshot() {
        globals.readAll(snapshot);
        return snapshot.segment();
    }

    /** The same read, then the counter summed over CPUs, as the generated {@code xSum} does. */
    @Benchmark
    public long readAllAndSumField() {
        globals.readAll(snapshot);
        long sum = 0;
        for (int slot = 0; slot < snapshot.cpus().count(); slot++) {
            sum += snapshot.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, slot * snapshot.slotStride());
        }
        return sum;
    }

    /** One CPU's copy decoded (BPF_F_CPU where the kernel has it, else a full read). */
    @Benchmark
    public Record readOneCpu() {
        return globals.read(0);
    }

    /**
     * One CPU's copy into its slot of a reused snapshot, its counter read in place (BPF_F_CPU where
     * the kernel has it, else a full read: then its C floor is {@link #cFloorReadAll}).
     */
    @Benchmark
    public long readCpuIntoSnapshot() {
        globals.readCpu(0, snapshot);
        return snapshot.slot(0).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
    }

    /** Every CPU's copy written (BPF_F_ALL_CPUS where the kernel has it, else a replicated buffer). */
    @Benchmark
    public void writeAll() {
        globals.writeAll(value);
    }

    /** The C floor of {@link #readAllIntoSnapshot}: the same lookup from C into a snapshot-shaped buffer. */
    @Benchmark
    @OperationsPerInvocation(CFloor.BATCH)
    public void cFloorReadAll() throws Throwable {
        cFloor.lookups(mapFd, cSlots);
    }

    /** The C floor of {@link #writeAll} without BPF_F_ALL_CPUS (this kernel): the value copied into every CPU's slot, then one update. */
    @Benchmark
    @OperationsPerInvocation(CFloor.BATCH)
    public void cFloorWriteAll() throws Throwable {
        cFloor.updates(mapFd, cSlots, cValue, snapshot.cpus().count());
    }

    /** Naive: a fresh buffer and a full lookup for one field. */
    @Benchmark
    public long naiveFieldRead() {
        try (Arena arena = Arena.ofConfined()) {
            long stride = PerCpuSnapshot.slotStride(size);
            MemorySegment all = arena.allocate(stride * snapshot.cpus().count(), 8);
            globals.map().map().lookup(arena.allocate(4), all);
            return all.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        }
    }
}
