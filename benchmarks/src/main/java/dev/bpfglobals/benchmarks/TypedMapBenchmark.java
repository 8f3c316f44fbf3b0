package dev.bpfglobals.benchmarks;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.fixtures.FlowKey;
import dev.bpfglobals.fixtures.FlowKeyCodec;
import dev.bpfglobals.fixtures.FlowStats;
import dev.bpfglobals.fixtures.FlowStatsCodec;
import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.TypedMap;
import dev.bpfglobals.runtime.UpdateFlag;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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

/**
 * One element of a HASH map keyed by a {@code @BpfStruct} record (16-byte key, 32-byte value), read
 * and written through {@code TypedMap} (encode the key, one syscall, decode the value into a
 * record) against the allocation-free byte form on buffers made once, which is the syscall alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TypedMapBenchmark {

    private static final FlowKey KEY = new FlowKey(0x0a000001, 0x0a000002, (short) 1234, (short) 443, (byte) 6, true, (short) 7);
    private static final FlowStats VALUE = new FlowStats(3, 192, new int[] {64, 64}, FlowStats.Verdict.DROP, 0);

    private TypedMap<FlowKey, FlowStats> typed;
    private Arena arena;
    private MemorySegment keyBytes;
    private MemorySegment valueBytes;

    @Setup
    public void fillMap() {
        typed = TypedMap.of(BpfMap.create(MapType.HASH, 16, 32, 16, false, "bench_typed"), FlowKeyCodec.INSTANCE,
                FlowStatsCodec.INSTANCE);
        typed.update(KEY, VALUE);
        arena = Arena.ofConfined();
        keyBytes = arena.allocate(16, 8);
        FlowKeyCodec.INSTANCE.encode(KEY, keyBytes);
        valueBytes = arena.allocate(32, 8);
    }

    @TearDown
    public void close() {
        arena.close();
        typed.close();
    }

    @Benchmark
    public FlowStats typedLookup() {
        return typed.lookup(KEY).orElseThrow();
    }

    @Benchmark
    public void typedUpdate() {
        typed.update(KEY, VALUE);
    }

    @Benchmark
    public boolean rawLookup() {
        return typed.map().elements().lookup(keyBytes, valueBytes);
    }

    @Benchmark
    public void rawUpdate() {
        typed.map().elements().update(keyBytes, valueBytes, UpdateFlag.ANY);
    }
}
