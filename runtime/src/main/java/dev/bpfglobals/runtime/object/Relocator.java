package dev.bpfglobals.runtime.object;

import dev.bpfglobals.runtime.BpfFeatures;
import dev.bpfglobals.runtime.contract.SectionContract;

/** Resolves a program's references to maps and global variables into kernel fds. */
final class Relocator {

    private static final int LD_IMM64 = 0x18;
    private static final int CALL = 0x85;
    private static final int PSEUDO_MAP_FD = 1;
    private static final int PSEUDO_MAP_VALUE = 2;

    private final LoadedObject loaded;
    private final BpfFeatures features;

    Relocator(LoadedObject loaded, BpfFeatures features) {
        this.loaded = loaded;
        this.features = features;
    }

    long[] relocate(ProgramSpec program) {
        long[] insns = program.instructions();
        for (ProgramSpec.Reference reference : program.relocations()) {
            int index = reference.instruction();
            int code = (int) (insns[index] & 0xff);
            if (code == CALL) {
                throw new UnsupportedOperationException("program '" + program.name() + "' calls '" + reference.symbol()
                        + "': bpf-to-bpf calls are not supported yet; make the function static __always_inline");
            }
            if (code != LD_IMM64 || index + 1 >= insns.length) {
                throw new BpfFormatException("program '" + program.name() + "': relocation of instruction " + index
                        + " (opcode 0x" + Integer.toHexString(code) + ") against '" + reference.symbol() + "' is not a 64-bit load");
            }
            String section = reference.symbolSection();
            if (section.equals(".maps")) {
                patch(insns, index, PSEUDO_MAP_FD, loaded.mapFd(reference.symbol()));
            } else if (GlobalSection.isGlobalData(section)) {
                if (section.equals(SectionContract.PERCPU) && !features.nativePercpuGlobals()) {
                    throw new IllegalStateException("program '" + program.name() + "' accesses the .percpu variable '"
                            + reference.symbol() + "' directly, but this kernel has no native .percpu access ("
                            + features.details().lines().filter(l -> l.startsWith("native")).findFirst().orElse("")
                            + "); compile the program with -DBPF_GLOBALS_COMPAT and use BPF_PERCPU(" + reference.symbol() + ")");
                }
                long offset = (insns[index] >> 32) + reference.symbolValue();
                patch(insns, index, PSEUDO_MAP_VALUE, loaded.mapFd(section));
                insns[index + 1] = (insns[index + 1] & 0xffffffffL) | (offset << 32);
            } else {
                throw new UnsupportedOperationException("program '" + program.name() + "' refers to '" + reference.symbol()
                        + "' in section '" + section + "': externs, kfuncs and CO-RE are not supported yet");
            }
        }
        return insns;
    }

    /** Sets the source register and immediate of {@code insns[index]}, keeping opcode, dst and offset. */
    private static void patch(long[] insns, int index, int source, int fd) {
        long low = insns[index] & 0xffff0fffL;
        insns[index] = low | ((long) source << 12) | ((long) fd << 32);
    }
}
