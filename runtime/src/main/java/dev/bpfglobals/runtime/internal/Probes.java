package dev.bpfglobals.runtime.internal;

import dev.bpfglobals.runtime.Errno;
import dev.bpfglobals.runtime.MapType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Tiny real kernel calls that tell which per-CPU features this kernel has. Each makes a throwaway
 * one-entry PERCPU_ARRAY and tries the feature on it; an EINVAL answer means "not supported".
 */
public final class Probes {

    /** What a probe found, with the kernel's own words when it said no. */
    public record Outcome(boolean supported, String detail) {
    }

    private Probes() {
    }

    /** Whether BPF_MAP_UPDATE_ELEM takes BPF_F_ALL_CPUS with a single value slot. */
    public static Outcome allCpusUpdate() {
        return withMap((fd, arena) -> {
            MemorySegment key = arena.allocate(4);
            MemorySegment value = arena.allocate(8);
            long result = Bpf.updateRaw(fd, key, value, Bpf.F_ALL_CPUS);
            return outcome(result, "update with BPF_F_ALL_CPUS");
        });
    }

    /** Whether lookup and update take BPF_F_CPU (CPU number in the upper 32 bits) with one slot. */
    public static Outcome cpuFlag() {
        return withMap((fd, arena) -> {
            MemorySegment key = arena.allocate(4);
            MemorySegment value = arena.allocate(8);
            long update = Bpf.updateRaw(fd, key, value, Bpf.F_CPU);
            if (update < 0) {
                return outcome(update, "update with BPF_F_CPU");
            }
            return outcome(Bpf.lookupRaw(fd, key, value, Bpf.F_CPU), "lookup with BPF_F_CPU");
        });
    }

    /**
     * Whether a program may address a PERCPU_ARRAY's value directly (ld_imm64 with
     * BPF_PSEUDO_MAP_VALUE), which native {@code .percpu} globals need.
     */
    public static Outcome nativePercpuGlobals() {
        return withMap((fd, arena) -> {
            // r1 = map_value(fd) + 0; r0 = 0; exit
            long[] program = {
                insn(0x18, 1, 2, 0, fd), insn(0, 0, 0, 0, 0),
                insn(0xb7, 0, 0, 0, 0),
                insn(0x95, 0, 0, 0, 0),
            };
            MemorySegment insns = arena.allocateFrom(ValueLayout.JAVA_LONG, program);
            MemorySegment license = arena.allocateFrom("GPL");
            MemorySegment log = arena.allocate(4096);
            MemorySegment attr = Bpf.attr();
            attr.set(ValueLayout.JAVA_INT, 0, 1); // BPF_PROG_TYPE_SOCKET_FILTER
            attr.set(ValueLayout.JAVA_INT, 4, program.length);
            attr.set(ValueLayout.JAVA_LONG, 8, insns.address());
            attr.set(ValueLayout.JAVA_LONG, 16, license.address());
            attr.set(ValueLayout.JAVA_INT, 24, 1);
            attr.set(ValueLayout.JAVA_INT, 28, (int) log.byteSize());
            attr.set(ValueLayout.JAVA_LONG, 32, log.address());
            long result = Sys.bpf(5, attr, Bpf.ATTR_SIZE);
            if (result >= 0) {
                Bpf.close((int) result);
                return new Outcome(true, "program with direct .percpu value access loaded");
            }
            String verifier = log.getString(0, StandardCharsets.UTF_8).strip();
            // The verifier's first line says why; the last is only its statistics.
            String why = verifier.isEmpty() ? "" : ": " + verifier.lines().findFirst().orElse("");
            return new Outcome(false, "program load refused with " + Errno.of((int) -result) + why);
        });
    }

    /** Whether the kernel loads BTF (needed to give maps variable names). */
    public static Outcome btf() {
        dev.bpfglobals.runtime.contract.SectionContract section = new dev.bpfglobals.runtime.contract.SectionContract(
                ".percpu", MapType.PERCPU_ARRAY, 4, 8, 1, 8,
                java.util.List.of(new dev.bpfglobals.runtime.contract.VariableContract("probe", "__u64", 0, 8, 8)));
        try {
            Bpf.close(Bpf.btfLoad(dev.bpfglobals.runtime.btf.SectionBtfWriter.encode(section).bytes()));
            return new Outcome(true, "BPF_BTF_LOAD accepted");
        } catch (dev.bpfglobals.runtime.BpfException e) {
            return new Outcome(false, "BPF_BTF_LOAD refused with " + e.errno());
        }
    }

    /** Whether the kernel loads this BTF blob: how the kind probes of {@code BtfSupport} ask. */
    public static boolean btfLoads(byte[] btf) {
        try {
            Bpf.close(Bpf.btfLoad(btf));
            return true;
        } catch (dev.bpfglobals.runtime.BpfException e) {
            if (e.errno() == Errno.EPERM) {
                throw e; // no CAP_BPF: that says nothing about the kernel's BTF
            }
            return false;
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
        Outcome run(int fd, Arena arena);
    }

    private static Outcome withMap(MapProbe probe) {
        int fd = Bpf.mapCreate(MapType.PERCPU_ARRAY.kernelValue(), 4, 8, 1, 0, "bpfglobals_prb", 0, 0, 0);
        try (Arena arena = Arena.ofConfined()) {
            return probe.run(fd, arena);
        } finally {
            Bpf.close(fd);
        }
    }
}
