package dev.bpfglobals.benchmarks;

import dev.bpfglobals.runtime.BpfFeatures;
import dev.bpfglobals.runtime.PerCpuArrayMap;
import dev.bpfglobals.runtime.PerCpuSnapshot;
import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.kernel.BpfFd;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
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
 * Where the time of an 8-byte {@code readAll} goes, layer by layer, so that the gap to the C floor
 * can be attributed: the bare FFM downcall of syscall(SYS_bpf) (without and with errno capture,
 * and with the {@code critical} linker option the runtime deliberately does not use), the runtime's
 * own {@code BpfMap.lookup} (thread-local attributes, size checks), and the use count of
 * {@link BpfFd} that keeps a concurrent close from recycling the fd under a call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class DowncallCostBenchmark {

    private static final int SIZE = 8;
    private static final long SYS_BPF_X86_64 = 321;
    private static final long LOOKUP_ELEM = 1;
    private static final long ELEM_ATTR_SIZE = 32;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemorySegment SYSCALL = LINKER.defaultLookup().find("syscall").orElseThrow();
    private static final FunctionDescriptor SYSCALL_4 = FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
    private static final MethodHandle PLAIN = LINKER.downcallHandle(SYSCALL, SYSCALL_4, Linker.Option.firstVariadicArg(1));
    private static final MethodHandle CAPTURING = LINKER.downcallHandle(SYSCALL, SYSCALL_4,
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
    // Not used by the runtime: the JDK reserves critical for calls as short as an empty function,
    // which a syscall copying up to 32 KiB per CPU is not (the JVM cannot reach a safepoint meanwhile).
    private static final MethodHandle CRITICAL = LINKER.downcallHandle(SYSCALL, SYSCALL_4,
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1), Linker.Option.critical(false));

    private PerCpuArrayMap map;
    private BpfMap live;
    private BpfFd liveFd;
    private int fd;
    private MemorySegment key;
    private MemorySegment values;
    private MemorySegment attr;
    private MemorySegment errno;

    @Setup
    public void createMap() {
        if (!System.getProperty("os.arch").equals("amd64")) {
            throw new IllegalStateException("this benchmark calls syscall 321, bpf(2) on x86-64 only");
        }
        map = PerCpuArrayMap.create(RawSections.codec(SIZE).section(), Arena.ofAuto().allocate(SIZE), BpfFeatures.probe());
        live = map.map();
        liveFd = live.fd();
        fd = liveFd.value();
        Arena arena = Arena.ofAuto();
        key = arena.allocate(4);
        values = arena.allocate(PerCpuSnapshot.slotStride(SIZE) * 1024, 64);
        attr = arena.allocate(ELEM_ATTR_SIZE, 8);
        attr.set(ValueLayout.JAVA_INT, 0, fd);
        attr.set(ValueLayout.JAVA_LONG, 8, key.address());
        attr.set(ValueLayout.JAVA_LONG, 16, values.address());
        errno = arena.allocate(Linker.Option.captureStateLayout());
    }

    @TearDown
    public void close() {
        map.close();
    }

    /** The bare downcall with a prepared attribute buffer, no errno. */
    @Benchmark
    public long downcall() throws Throwable {
        return (long) PLAIN.invokeExact(SYS_BPF_X86_64, LOOKUP_ELEM, attr, ELEM_ATTR_SIZE);
    }

    /** The same with errno captured, as every runtime call does. */
    @Benchmark
    public long downcallCapturingErrno() throws Throwable {
        return (long) CAPTURING.invokeExact(errno, SYS_BPF_X86_64, LOOKUP_ELEM, attr, ELEM_ATTR_SIZE);
    }

    /** The same marked critical (no thread-state transition): what the JDK's fastest path would give. */
    @Benchmark
    public long downcallCritical() throws Throwable {
        return (long) CRITICAL.invokeExact(errno, SYS_BPF_X86_64, LOOKUP_ELEM, attr, ELEM_ATTR_SIZE);
    }

    /** The runtime's public lookup: size checks, per-thread buffers, attributes written, errno captured. */
    @Benchmark
    public MemorySegment runtimeLookup() {
        live.lookup(key, values);
        return values;
    }

    /** The use count alone: what keeping the fd from being closed under a call costs. */
    @Benchmark
    public int fdUseCount() {
        int open = liveFd.acquire();
        liveFd.release();
        return open;
    }
}
