package dev.bpfglobals.runtime.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc entry points the runtime needs, bound once through the FFM linker. Every call captures
 * errno as part of the call (reading it afterwards would race with the JVM's own libc calls) and
 * returns {@code -errno} on failure, so callers never see a raw errno variable.
 */
public final class Sys {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // bpf(2) goes through Syscall's one shape. The libc functions below each live in a holder class,
    // made on the first call: a downcall handle of a new shape spins its stub classes (about 10 ms
    // cold), and a command that only calls bpf(2) should not pay for mmap's or sched_setaffinity's.
    // A static final field in a holder is as constant to the JIT as one here.

    /** {@code mmap} and the {@code munmap} that undoes it. */
    private static final class Mapping {
        static final MethodHandle MMAP = downcall("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG));
        static final MethodHandle MUNMAP = downcall("munmap",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    /** {@code sched_setaffinity} and {@code sched_getaffinity}, for per-CPU pinning. */
    private static final class Affinity {
        static final MethodHandle SET = downcall("sched_setaffinity",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        static final MethodHandle GET = downcall("sched_getaffinity",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    }

    private Sys() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }

    /** bpf(cmd, attr, size): the kernel's result, or {@code -errno}. */
    public static long bpf(int command, MemorySegment attr, int size) {
        return bpf(CallBuffers.current().errno, command, attr, size);
    }

    /** bpf(2) with the caller's errno buffer (already looked up on the hot path). */
    static long bpf(MemorySegment captured, int command, MemorySegment attr, int size) {
        long result = Syscall.call(captured, Syscall.BPF, "bpf", command, Syscall.address(attr), size, 0, 0, 0);
        java.lang.ref.Reference.reachabilityFence(attr); // passed as a number, which keeps nothing alive
        return result;
    }

    /**
     * Maps {@code length} bytes of the kernel object behind {@code fd} (a BPF_F_MMAPABLE map), shared,
     * readable and, when {@code writable}, writable; unmapped when {@code arena} closes.
     *
     * @return the mapping, or empty with {@code -errno} in {@code error[0]}
     */
    public static java.util.Optional<MemorySegment> mmap(dev.bpfglobals.runtime.kernel.BpfFd map, long length, boolean writable,
            Arena arena, int[] error) {
        MemorySegment mapped = mmap(map, 0, length, writable, arena, error);
        return mapped.equals(MemorySegment.NULL) ? java.util.Optional.empty() : java.util.Optional.of(mapped);
    }

    /**
     * Maps {@code length} bytes of {@code map} from {@code offset} (a ring buffer serves its producer
     * page at offset one page), shared, read-only unless {@code writable}; unmapped when {@code arena} closes.
     *
     * @return the mapping, or {@link MemorySegment#NULL} with {@code -errno} in {@code error[0]}
     */
    public static MemorySegment mmap(dev.bpfglobals.runtime.kernel.BpfFd map, long offset, long length, boolean writable,
            Arena arena, int[] error) {
        return mmap(map, 0, offset, length, writable, arena, error);
    }

    /**
     * Maps all {@code length} bytes of an ARENA map read-write and shared: at {@code address} where it
     * is not 0, with {@code MAP_FIXED_NOREPLACE} (an address already in use fails with EEXIST rather
     * than replacing this process's own memory, as the {@code MAP_FIXED} libbpf passes would), else
     * where the kernel's arena picks; unmapped when {@code arena} closes.
     *
     * @return the mapping, or {@link MemorySegment#NULL} with {@code -errno} in {@code error[0]}
     */
    public static MemorySegment mmapArena(dev.bpfglobals.runtime.kernel.BpfFd map, long address, long length, Arena arena,
            int[] error) {
        return mmap(map, address, 0, length, true, arena, error);
    }

    private static MemorySegment mmap(dev.bpfglobals.runtime.kernel.BpfFd map, long at, long offset, long length,
            boolean writable, Arena arena, int[] error) {
        MemorySegment captured = CallBuffers.current().errno;
        int fd = map.acquire();
        try {
            int protection = writable ? 3 : 1; // PROT_READ | PROT_WRITE : PROT_READ
            int flags = at == 0 ? 1 /* MAP_SHARED */ : 1 | 0x100000 /* MAP_SHARED | MAP_FIXED_NOREPLACE */;
            MemorySegment address = (MemorySegment) Mapping.MMAP.invokeExact(captured, MemorySegment.ofAddress(at), length,
                    protection, flags, fd, offset);
            if (address.address() == -1L) {
                error[0] = -(int) ERRNO.get(captured, 0L);
                return MemorySegment.NULL;
            }
            return address.reinterpret(length, arena, mapped -> munmap(mapped.address(), length));
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of mmap failed", t);
        } finally {
            map.release(); // the mapping holds its own reference to the map
        }
    }

    private static void munmap(long address, long length) {
        try {
            int ignored = (int) Mapping.MUNMAP.invokeExact(CallBuffers.current().errno, MemorySegment.ofAddress(address), length);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of munmap failed", t);
        }
    }

    /** Pins the calling thread to {@code cpu}: 0, or {@code -errno}. */
    public static int pinCurrentThread(int cpu) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(128);
            mask.set(ValueLayout.JAVA_BYTE, cpu / 8, (byte) (1 << (cpu % 8)));
            return affinity(Affinity.SET, mask);
        }
    }

    /** The calling thread's CPU mask (1024 CPUs), to restore after pinning. */
    public static byte[] currentAffinity() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(128);
            int result = affinity(Affinity.GET, mask);
            if (result < 0) {
                throw new IllegalStateException("sched_getaffinity failed: errno " + -result);
            }
            return mask.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** Restores a mask from {@link #currentAffinity()}: 0, or {@code -errno}. */
    public static int restoreAffinity(byte[] saved) {
        try (Arena arena = Arena.ofConfined()) {
            return affinity(Affinity.SET, arena.allocateFrom(ValueLayout.JAVA_BYTE, saved));
        }
    }

    private static int affinity(MethodHandle handle, MemorySegment mask) {
        MemorySegment captured = CallBuffers.current().errno;
        try {
            int result = (int) handle.invokeExact(captured, 0, mask.byteSize(), mask);
            return result >= 0 ? result : -(int) ERRNO.get(captured, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("FFM call of sched_*affinity failed", t);
        }
    }
}
