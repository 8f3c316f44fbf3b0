package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.attach.ProgramType;
import dev.bpfglobals.runtime.attach.SectionDefinitions;
import dev.bpfglobals.runtime.attach.SectionFlag;
import dev.bpfglobals.runtime.internal.Bpf;
import dev.bpfglobals.runtime.internal.ProgramLoad;
import dev.bpfglobals.runtime.kernel.BpfException;
import dev.bpfglobals.runtime.kernel.Errno;
import java.util.List;

/**
 * Tells a kernel that does not know a program type from one that refuses a program: a kernel
 * answers {@code EINVAL} to both. Where a program's load is refused with {@code EINVAL}, an empty
 * program of the same type and expected attach type ({@code r0 = 0; exit}) is loaded, as libbpf's
 * {@code libbpf_probe_bpf_prog_type} does; if that is refused with {@code EINVAL} too, the kernel
 * lacks the type, and the refusal names it and the kernel that brought it. The probe takes the
 * expected attach type of the program's row in the section table, as libbpf's probe takes the one
 * each type needs: a kernel cannot tell an unknown type from a wrong attach type apart. Types whose
 * programs name a BTF target (TRACING, LSM) are not probed: an empty one is refused for want of it.
 */
final class ProgramTypeProbe {

    private static final long[] EMPTY_PROGRAM = {0xb7L, 0x95L}; // r0 = 0; exit

    private ProgramTypeProbe() {
    }

    /** {@code refusal} of {@code program}'s load, or an UnsupportedOperationException where the kernel lacks its type. */
    static RuntimeException explain(ProgramImage program, int expectedAttachType, BpfException refusal) {
        // An empty TRACING or LSM program names no BTF target, which the kernel refuses whatever it knows.
        boolean needsTarget = program.type() == ProgramType.STRUCT_OPS
                || SectionDefinitions.find(program.section()).map(row -> row.has(SectionFlag.ATTACH_BTF)).orElse(true);
        if (refusal.errno() != Errno.EINVAL || needsTarget || kernelKnows(program.type(), expectedAttachType)) {
            return refusal;
        }
        return new UnsupportedOperationException("program '" + program.name() + "' in section '" + program.section()
                + "': this kernel (" + System.getProperty("os.version") + ") does not know program type " + program.type()
                + " (BPF_PROG_LOAD of an empty " + program.type() + " program is refused with EINVAL too); "
                + since(program.type()), refusal);
    }

    private static boolean kernelKnows(ProgramType type, int expectedAttachType) {
        try {
            Bpf.progLoad(new ProgramLoad(type.kernelValue(), EMPTY_PROGRAM, "GPL", "bpfglobals_prb", null, new int[0],
                    new int[0], expectedAttachType, 0, null, List.of())).close();
            return true;
        } catch (BpfException refused) {
            return refused.errno() != Errno.EINVAL;
        }
    }

    /** The kernel release that brought {@code type}, for the refusal. */
    private static String since(ProgramType type) {
        return switch (type) {
            case NETFILTER -> "netfilter programs need kernel 6.4+";
            case SK_LOOKUP -> "sk_lookup programs need kernel 5.9+";
            case SYSCALL -> "syscall programs need kernel 5.14+";
            default -> "use a kernel that has it";
        };
    }
}
