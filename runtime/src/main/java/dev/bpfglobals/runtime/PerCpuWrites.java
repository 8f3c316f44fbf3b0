package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.internal.Bpf;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Writing key 0 of a per-CPU array: with the kernel's per-CPU flags where it has them, else with
 * a buffer of one slot per possible CPU.
 */
final class PerCpuWrites {

    private PerCpuWrites() {
    }

    /** Writes {@code value} (one copy of the section) to every possible CPU. */
    static void writeAll(PerCpuArrayMap map, MemorySegment value, BpfFeatures features) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(4);
            if (features.allCpusUpdate()) {
                MemorySegment slot = arena.allocate(PerCpuSnapshot.slotStride(value.byteSize()), 8).copyFrom(value);
                check(map, map.updateRaw(key, slot, Bpf.F_ALL_CPUS));
                return;
            }
            PossibleCpus cpus = PossibleCpus.system();
            long stride = PerCpuSnapshot.slotStride(value.byteSize());
            MemorySegment all = arena.allocate(stride * cpus.count(), 8);
            for (int slot = 0; slot < cpus.count(); slot++) {
                all.asSlice(slot * stride, value.byteSize()).copyFrom(value);
            }
            check(map, map.updateRaw(key, all, 0));
        }
    }

    /**
     * Writes {@code value} to {@code cpu}'s copy only. Without BPF_F_CPU this reads every CPU's
     * copy, replaces one and writes all back: a BPF program updating other CPUs' copies in between
     * loses those updates.
     */
    static void writeCpu(PerCpuArrayMap map, int cpu, MemorySegment value, BpfFeatures features) {
        PossibleCpus cpus = PossibleCpus.system();
        int slotIndex = cpus.slotOf(cpu);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(4);
            long stride = PerCpuSnapshot.slotStride(value.byteSize());
            if (features.cpuFlag()) {
                MemorySegment slot = arena.allocate(stride, 8).copyFrom(value);
                check(map, map.updateRaw(key, slot, Bpf.F_CPU | ((long) cpu << 32)));
                return;
            }
            MemorySegment all = arena.allocate(stride * cpus.count(), 8);
            check(map, map.lookupRaw(key, all, 0), BpfCommand.BPF_MAP_LOOKUP_ELEM);
            all.asSlice(slotIndex * stride, value.byteSize()).copyFrom(value);
            check(map, map.updateRaw(key, all, 0));
        }
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
            // The kernel answers EPERM, not EACCES, for a write through a read-only fd.
            throw new BpfException(command, errno, context, "this is a kernel-enforced "
                    + (map.access() == MapAccess.READ_ONLY ? "read-only" : "write-only")
                    + " view (BPF_F_" + (map.access() == MapAccess.READ_ONLY ? "RDONLY" : "WRONLY")
                    + "); open the map READ_WRITE to change it");
        }
        throw new BpfException(command, errno, context);
    }
}
