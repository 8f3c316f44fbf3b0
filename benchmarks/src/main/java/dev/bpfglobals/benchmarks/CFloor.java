package dev.bpfglobals.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The C floor ({@code bench/c/percpu_floor.c}, built by bench/run as a shared library) called from
 * the benchmarks, so that C and Java make the same syscalls on the same map and buffers in the
 * same JVM run. Each call loops {@link #BATCH} times in C, which spreads the one downcall thin.
 */
final class CFloor {

    /** Syscalls per downcall; benchmarks divide by it with {@code @OperationsPerInvocation}. */
    static final int BATCH = 100;

    /** The library's path: {@code -Dbpfglobals.bench.cFloor=...}, else where bench/run builds it. */
    private static final Path LIBRARY = Path.of(System.getProperty("bpfglobals.bench.cFloor",
            "bench/results/libpercpu_floor.so")).toAbsolutePath();

    private final MethodHandle lookups;
    private final MethodHandle updates;

    private CFloor(SymbolLookup library) {
        Linker linker = Linker.nativeLinker();
        lookups = linker.downcallHandle(library.find("floor_lookups").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        updates = linker.downcallHandle(library.find("floor_updates").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    }

    /** The floor library, loaded for the life of the JVM; a missing library is named with how to build it. */
    static CFloor load() {
        if (!Files.isRegularFile(LIBRARY)) {
            throw new IllegalStateException("no C floor library at " + LIBRARY + ": run bench/run, which builds it"
                    + " (gcc -O2 -shared -fPIC -o " + LIBRARY + " bench/c/percpu_floor.c)");
        }
        return new CFloor(SymbolLookup.libraryLookup(LIBRARY, Arena.global()));
    }

    /** {@link #BATCH} lookups of key 0 of {@code fd} into {@code slots}. */
    void lookups(int fd, MemorySegment slots) throws Throwable {
        check((long) lookups.invokeExact(fd, slots, (long) BATCH), "floor_lookups");
    }

    /** {@link #BATCH} times: {@code value} copied into every slot of {@code slots}, then one update of key 0. */
    void updates(int fd, MemorySegment slots, MemorySegment value, int cpus) throws Throwable {
        check((long) updates.invokeExact(fd, slots, value, (int) value.byteSize(), cpus, (long) BATCH), "floor_updates");
    }

    private static void check(long result, String function) {
        if (result < 0) {
            throw new IllegalStateException(function + " failed with errno " + -result);
        }
    }
}
