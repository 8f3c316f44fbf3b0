package dev.bpfglobals.benchmarks;

import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Open + load + close of a CO-RE object built on vmlinux.h ({@code bench/bpf/core_load.bpf.c}, the
 * shape of libbpf-bootstrap's bootstrap), by this project's loader and by the system libbpf
 * ({@code bench/c/libbpf_load.c}: {@code bpf_object__open_file}, {@code bpf_object__load},
 * {@code bpf_object__close}) in the same JVM run. Warm: the mean over many loads. Cold: the first
 * load in a fresh JVM (one per fork), which for this loader includes reading and indexing the
 * kernel's BTF, and class loading; libbpf reads the kernel's BTF on every load.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CoreLoadBenchmark {

    private static final Path OBJECT = Path.of(System.getProperty("bpfglobals.bench.coreObject",
            "bench/results/core_load.bpf.o")).toAbsolutePath();
    private static final Path LIBRARY = Path.of(System.getProperty("bpfglobals.bench.libbpfLoad",
            "bench/results/liblibbpf_load.so")).toAbsolutePath();

    private MethodHandle libbpfOpenLoad;
    private MemorySegment objectPath;

    @Setup
    public void findObjectAndLibbpf() {
        for (Path file : new Path[] {OBJECT, LIBRARY}) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("no " + file + ": run bench/run, which builds it");
            }
        }
        Linker linker = Linker.nativeLinker();
        SymbolLookup library = SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        libbpfOpenLoad = linker.downcallHandle(library.find("libbpf_open_load").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        objectPath = Arena.global().allocateFrom(OBJECT.toString());
    }

    @Benchmark
    public int ourLoader() throws java.io.IOException {
        try (LoadedObject loaded = LoadedObject.load(ObjectSpec.open(OBJECT))) {
            return loaded.hashCode();
        }
    }

    @Benchmark
    public long libbpf() throws Throwable {
        return check((long) libbpfOpenLoad.invokeExact(objectPath));
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(value = 5, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
    public int ourLoaderCold() throws java.io.IOException {
        return ourLoader();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(value = 5, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
    public long libbpfCold() throws Throwable {
        return libbpf();
    }

    private static long check(long result) {
        if (result != 0) {
            throw new IllegalStateException("libbpf could not load " + OBJECT + ": " + result);
        }
        return result;
    }
}
