package dev.bpfglobals.benchmarks;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.runtime.BpfMap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** A .data field read through the mmapped view the loader gives: a plain memory load, no syscall. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class DataMmapBenchmark {

    private Arena arena;
    private MemorySegment data;
    private BpfMap map;

    @Setup
    public void mapData() {
        map = BpfMap.create(MapType.ARRAY, 4, 64, 1, true, ".data");
        arena = Arena.ofShared();
        data = map.mmap(arena);
        data.set(ValueLayout.JAVA_LONG, 8, 42);
    }

    @TearDown
    public void unmap() {
        arena.close();
        map.close();
    }

    @Benchmark
    public long dataFieldRead() {
        return data.get(ValueLayout.JAVA_LONG, 8);
    }
}
