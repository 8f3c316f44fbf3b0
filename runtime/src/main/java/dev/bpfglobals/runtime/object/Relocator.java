package dev.bpfglobals.runtime.object;

import dev.bpfglobals.runtime.BpfFeatures;
import dev.bpfglobals.runtime.contract.SectionContract;

/** Resolves a program's references to maps and global variables into kernel fds. */
final class Relocator {

    private static final int PSEUDO_MAP_FD = Instructions.PSEUDO_MAP_FD;
    private static final int PSEUDO_MAP_VALUE = Instructions.PSEUDO_MAP_VALUE;

    private final LoadedObject loaded;
    private final BpfFeatures features;

    Relocator(LoadedObject loaded, BpfFeatures features) {
        this.loaded = loaded;
        this.features = features;
    }

    /** The program's instructions with every map and global-data reference pointing at a kernel map. */
    long[] relocate(LinkedProgram linked) {
        ProgramSpec program = linked.spec();
        if (!linked.coreRelocations().isEmpty()) {
            throw new UnsupportedOperationException("program '" + program.name() + "' needs " + linked.coreRelocations().size()
                    + " CO-RE relocations (the first: " + linked.coreRelocations().get(0).describe()
                    + "); CO-RE is not supported yet");
        }
        long[] insns = linked.instructions();
        for (Relocation reference : linked.relocations()) {
            int index = reference.instruction();
            switch (reference.kind()) {
                case MAP -> patch(insns, index, PSEUDO_MAP_FD, loaded.mapFd(reference.symbol()));
                case GLOBAL_DATA -> {
                    String section = reference.section();
                    if (section.equals(SectionContract.PERCPU) && !features.nativePercpuGlobals()) {
                        throw new IllegalStateException("program '" + program.name() + "' accesses the .percpu variable '"
                                + reference.symbol() + "' directly, but this kernel has no native .percpu access ("
                                + features.details().lines().filter(l -> l.startsWith("native")).findFirst().orElse("")
                                + "); compile the program with -DBPF_GLOBALS_COMPAT and use BPF_PERCPU(" + reference.symbol() + ")");
                    }
                    patch(insns, index, PSEUDO_MAP_VALUE, loaded.mapFd(section));
                    insns[index + 1] = Instructions.withImm(insns[index + 1], (int) reference.offset());
                }
                default -> throw new UnsupportedOperationException("program '" + program.name() + "' refers to '"
                        + reference.symbol() + "' (" + reference.kind() + (reference.section().isEmpty() ? "" : " in section '"
                        + reference.section() + "'") + "): externs, kfuncs and CO-RE are not supported yet");
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
