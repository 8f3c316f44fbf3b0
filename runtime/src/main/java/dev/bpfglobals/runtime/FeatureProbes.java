package dev.bpfglobals.runtime;

import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import dev.bpfglobals.runtime.btf.SectionBtfWriter;
import dev.bpfglobals.runtime.internal.BpfMaps;
import dev.bpfglobals.runtime.internal.BpfPrograms;
import dev.bpfglobals.runtime.internal.BtfObjects;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.kernel.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Tiny real kernel calls that tell {@link BpfFeatures} which per-CPU features this kernel has. Each
 * makes a throwaway one-entry PERCPU_ARRAY and tries the feature on it; an EINVAL answer means
 * "not supported".
 */
final class FeatureProbes {

    /** What a probe found, with the kernel's own words when it said no. */
    record Outcome(boolean supported, String detail) {
    }

    private FeatureProbes() {
    }

    /** Whether BPF_MAP_UPDATE_ELEM takes BPF_F_ALL_CPUS with a single value slot. */
    static Outcome allCpusUpdate() {
        return withMap((fd, arena) -> {
            MemorySegment key = arena.allocate(4);
            MemorySegment value = arena.allocate(8);
            long result = BpfMaps.updateRaw(fd, key, value, BpfMaps.F_ALL_CPUS);
            return outcome(result, "update with BPF_F_ALL_CPUS");
        });
    }

    /** Whether lookup and update take BPF_F_CPU (CPU number in the upper 32 bits) with one slot. */
    static Outcome cpuFlag() {
        return withMap((fd, arena) -> {
            MemorySegment key = arena.allocate(4);
            MemorySegment value = arena.allocate(8);
            long update = BpfMaps.updateRaw(fd, key, value, BpfMaps.F_CPU);
            if (update < 0) {
                return outcome(update, "update with BPF_F_CPU");
            }
            return outcome(BpfMaps.lookupRaw(fd, key, value, BpfMaps.F_CPU), "lookup with BPF_F_CPU");
        });
    }

    /**
     * Whether a program may address a PERCPU_ARRAY's value directly (ld_imm64 with
     * BPF_PSEUDO_MAP_VALUE), which native {@code .percpu} globals need.
     */
    static Outcome nativePercpuGlobals() {
        return withMap((fd, arena) -> {
            // r1 = map_value(fd) + 0; r0 = 0; exit
            long[] program = {
                insn(0x18, 1, 2, 0, fd.value()), insn(0, 0, 0, 0, 0),
                insn(0xb7, 0, 0, 0, 0),
                insn(0x95, 0, 0, 0, 0),
            };
            BpfPrograms.LoadAttempt load = BpfPrograms.loadAttempt(1, program, "GPL", 4096); // BPF_PROG_TYPE_SOCKET_FILTER
            if (load.program() != null) {
                load.program().close();
                return new Outcome(true, "program with direct .percpu value access loaded");
            }
            String verifier = load.verifierLog();
            // The verifier's first line says why; the last is only its statistics.
            String why = verifier.isEmpty() ? "" : ": " + verifier.lines().findFirst().orElse("");
            return new Outcome(false, "program load refused with " + load.errno() + why);
        });
    }

    /** Whether the kernel loads BTF (needed to give maps variable names). */
    static Outcome btf() {
        SectionContract section = new SectionContract(SectionContract.PERCPU, MapType.PERCPU_ARRAY, 4, 8, 1, 8,
                List.of(new VariableContract("probe", "__u64", 0, 8, 8)));
        try (BpfFd loaded = BtfObjects.load(SectionBtfWriter.encode(section).bytes())) {
            return new Outcome(true, "BPF_BTF_LOAD accepted");
        } catch (BpfException e) {
            return new Outcome(false, "BPF_BTF_LOAD refused with " + e.errno());
        }
    }

    /** A BPF instruction as the kernel reads it on a little-endian host. */
    static long insn(int code, int dst, int src, int offset, int imm) {
        return (code & 0xffL) | ((long) (dst & 0xf) << 8) | ((long) (src & 0xf) << 12)
                | ((long) (offset & 0xffff) << 16) | ((long) imm << 32);
    }

    private static Outcome outcome(long result, String what) {
        if (result >= 0) {
            return new Outcome(true, what + " accepted");
        }
        return new Outcome(false, what + " refused with " + Errno.of((int) -result));
    }

    private interface MapProbe {
        Outcome run(BpfFd map, Arena arena);
    }

    private static Outcome withMap(MapProbe probe) {
        try (BpfFd map = BpfMaps.create(MapType.PERCPU_ARRAY.kernelValue(), 4, 8, 1, 0, "bpfglobals_prb", null, 0, 0);
             Arena arena = Arena.ofConfined()) {
            return probe.run(map, arena);
        }
    }
}
