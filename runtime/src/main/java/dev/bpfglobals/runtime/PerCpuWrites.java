package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.kernel.BpfCommand;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Writing key 0 of a per-CPU array: with the kernel's per-CPU flags where it has them, else with
 * a buffer of one slot per possible CPU. Callers pass the buffer, so repeated writes allocate nothing.
 */
final class PerCpuWrites {

    /** Key 0, only ever read by the kernel, shared by every map and thread. */
    static final MemorySegment ZERO_KEY = Arena.global().allocate(4, 4);

    private PerCpuWrites() {
    }

    /** A buffer with one slot per possible CPU for a value of {@code valueSize} bytes. */
    static MemorySegment slotsBuffer(Arena arena, long valueSize) {
        return arena.allocate(PerCpuSnapshot.slotStride(valueSize) * PossibleCpus.system().count(), 8);
    }

    /** Writes {@code value} (one copy of the section) to every possible CPU, using {@code slots} as scratch. */
    static void writeAll(PerCpuArrayMap map, MemorySegment value, BpfFeatures features, MemorySegment slots) {
        MemorySegment.copy(value, 0, slots, 0, value.byteSize());
        writeFirstSlotToAll(map, slots, value.byteSize(), features);
    }

    /**
     * Writes the value in the first slot of {@code slots} to every possible CPU. Callers that encode
     * straight into that slot save a copy of the whole value (a tenth of a 32 KiB write, measured).
     */
    static void writeFirstSlotToAll(PerCpuArrayMap map, MemorySegment slots, long valueSize, BpfFeatures features) {
        if (features.allCpusUpdate()) {
            check(map, map.updateRaw(ZERO_KEY, slots, BpfMaps.F_ALL_CPUS));
            return;
        }
        long stride = PerCpuSnapshot.slotStride(valueSize);
        int count = PossibleCpus.system().count();
        for (int slot = 1; slot < count; slot++) {
            MemorySegment.copy(slots, 0, slots, slot * stride, valueSize);
        }
        check(map, map.updateRaw(ZERO_KEY, slots, 0));
    }

    /** Writes {@code value} to every possible CPU with a temporary buffer (for one-off writes). */
    static void writeAll(PerCpuArrayMap map, MemorySegment value, BpfFeatures features) {
        try (Arena arena = Arena.ofConfined()) {
            writeAll(map, value, features, slotsBuffer(arena, value.byteSize()));
        }
    }

    /**
     * Writes {@code value} to {@code cpu}'s copy only. Without BPF_F_CPU this reads every CPU's
     * copy, replaces one and writes all back: a BPF program updating other CPUs' copies in between
     * loses those updates.
     */
    static void writeCpu(PerCpuArrayMap map, int cpu, MemorySegment value, BpfFeatures features, MemorySegment slots) {
        int slotIndex = PossibleCpus.system().slotOf(cpu);
        long stride = PerCpuSnapshot.slotStride(value.byteSize());
        if (features.cpuFlag()) {
            slots.asSlice(0, value.byteSize()).copyFrom(value);
            check(map, map.updateRaw(ZERO_KEY, slots, BpfMaps.F_CPU | ((long) cpu << 32)));
            return;
        }
        check(map, map.lookupRaw(ZERO_KEY, slots, 0), BpfCommand.BPF_MAP_LOOKUP_ELEM);
        MemorySegment.copy(value, 0, slots, slotIndex * stride, value.byteSize());
        check(map, map.updateRaw(ZERO_KEY, slots, 0));
    }

    static void check(PerCpuArrayMap map, long result) {
        check(map, result, BpfCommand.BPF_MAP_UPDATE_ELEM);
    }

    static void check(PerCpuArrayMap map, long result, BpfCommand command) {
        if (result >= 0) {
            return;
        }
        Errno errno = Errno.of((int) -result);
        String context = "map '" + map.info().name() + "' id " + map.info().id() + ", opened " + map.access();
        if (errno == Errno.EPERM && map.access() != MapAccess.READ_WRITE) {
            // The kernel answers EPERM, not EACCES, for a write through a read-only fd and for a
            // read through a write-only one (see MapAccess).
            boolean readOnly = map.access() == MapAccess.READ_ONLY;
            throw new BpfException(command, errno, context, "this is a kernel-enforced "
                    + (readOnly ? "read-only view (BPF_F_RDONLY)" : "write-only view (BPF_F_WRONLY)")
                    + "; open the map READ_WRITE to " + (readOnly ? "change" : "read") + " it");
        }
        throw new BpfException(command, errno, context);
    }
}
