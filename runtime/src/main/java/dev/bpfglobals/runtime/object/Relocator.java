package dev.bpfglobals.runtime.object;

import dev.bpfglobals.runtime.BpfFeatures;
import dev.bpfglobals.runtime.contract.SectionContract;

/** Resolves a program's references to maps and global variables into kernel fds. */
final class Relocator {

    private static final int PSEUDO_MAP_FD = Instructions.PSEUDO_MAP_FD;
    private static final int PSEUDO_MAP_VALUE = Instructions.PSEUDO_MAP_VALUE;

    private final BpfObject object;
    private final LoadedObject loaded;
    private final BpfFeatures features;

    Relocator(BpfObject object, LoadedObject loaded, BpfFeatures features) {
        this.object = object;
        this.loaded = loaded;
        this.features = features;
    }

    /**
     * The variable a global-data reference points into: its symbol, or for a reference through the
     * section symbol (static variables) the variable covering the offset, so errors name what the C names.
     */
    private String variableAt(Relocation reference) {
        if (!reference.symbol().equals(reference.section())) {
            return reference.symbol();
        }
        return object.globalSection(reference.section()).flatMap(s -> s.variables().stream()
                        .filter(v -> v.offset() <= reference.offset() && reference.offset() < v.end()).findFirst())
                .map(GlobalVariable::name).orElse(reference.symbol() + "+" + reference.offset());
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
                    if (GlobalSection.isPerCpu(section) && !features.nativePercpuGlobals()) {
                        String variable = variableAt(reference);
                        throw new IllegalStateException("program '" + program.name() + "' accesses the " + section + " variable '"
                                + variable + "' directly, but this kernel has no native .percpu access ("
                                + features.details().lines().filter(l -> l.startsWith("native")).findFirst().orElse("")
                                + "); compile the program with -DBPF_GLOBALS_COMPAT and use BPF_PERCPU(" + variable + ")"
                                + (section.equals(SectionContract.PERCPU) ? "" : ", reaching " + section + " through a map named '"
                                        + LoadedObject.percpuCompatMapName(section) + "' of its shape (PERCPU_ARRAY, key 4, value "
                                        + object.globalSection(section).map(GlobalSection::size).orElse(0) + ", 1 entry)"));
                    }
                    patch(insns, index, PSEUDO_MAP_VALUE, loaded.mapFd(section));
                    insns[index + 1] = Instructions.withImm(insns[index + 1], (int) reference.offset());
                }
                case EXTERN -> {
                    ExternSymbol extern = object.extern(reference.symbol())
                            .orElseGet(() -> new ExternSymbol(reference.symbol(), ExternSymbol.Kind.OTHER, "", false));
                    throw new UnsupportedOperationException("program '" + program.name() + "' refers to " + extern.declaredAs()
                            + " '" + extern.name() + "', which the object declares but does not define: externs are not "
                            + "supported yet (the object opens, and lists it in BpfObject.externs()); leave the program out "
                            + "with BpfObject.withAutoload(\"" + program.name() + "\", false)");
                }
                default -> throw new UnsupportedOperationException("program '" + program.name() + "' refers to '"
                        + reference.symbol() + "' (" + reference.kind() + (reference.section().isEmpty() ? "" : " in section '"
                        + reference.section() + "', which is neither .maps nor a global-data section this loader maps")
                        + "); this loader cannot resolve it");
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
