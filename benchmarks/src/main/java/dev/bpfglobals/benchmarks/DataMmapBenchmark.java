package dev.bpfglobals.benchmarks;

import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.Sys;
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
    private int fd;

    @Setup
    public void mapData() {
        fd = Bpf.mapCreate(2, 4, 64, 1, Bpf.F_MMAPABLE, ".data", 0, 0, 0);
        arena = Arena.ofShared();
        int[] error = new int[1];
        data = Sys.mmap(fd, 64, true, arena, error).orElseThrow(() -> new IllegalStateException("mmap: " + error[0]));
        data.set(ValueLayout.JAVA_LONG, 8, 42);
    }

    @TearDown
    public void unmap() {
        arena.close();
        Bpf.close(fd);
    }

    @Benchmark
    public long dataFieldRead() {
        return data.get(ValueLayout.JAVA_LONG, 8);
    }
}
