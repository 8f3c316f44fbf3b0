package dev.bpfglobals.runtime.btf;

import java.util.List;

/**
 * The {@code .BTF.ext} section of a BPF object: per ELF section, which BTF function each
 * subprogram is, which source line each instruction came from, and the CO-RE relocations that
 * would have to be resolved against the running kernel's types. Instruction positions are
 * instruction indices (the file stores byte offsets) from the start of the ELF section.
 *
 * @param funcInfo        one entry per function
 * @param lineInfo        one entry per instruction that starts a source line
 * @param coreRelocations CO-RE relocations; a loader without CO-RE support must refuse a program that has any
 */
public record BtfExt(List<FuncInfo> funcInfo, List<LineInfo> lineInfo, List<CoreRelocation> coreRelocations) {

    /** An empty {@code .BTF.ext}, for objects without one. */
    public static final BtfExt EMPTY = new BtfExt(List.of(), List.of(), List.of());

    /** Copies the lists. */
    public BtfExt {
        funcInfo = List.copyOf(funcInfo);
        lineInfo = List.copyOf(lineInfo);
        coreRelocations = List.copyOf(coreRelocations);
    }

    /**
     * The function starting at {@code instruction} of ELF section {@code section} is BTF type {@code typeId} (a FUNC).
     */
    public record FuncInfo(String section, int instruction, int typeId) {
    }

    /**
     * Instruction {@code instruction} of {@code section} comes from {@code line} ({@code lineNumber},
     * {@code column}) of {@code fileName}.
     */
    public record LineInfo(String section, int instruction, String fileName, String line, int lineNumber, int column) {
    }

    /**
     * A CO-RE relocation of instruction {@code instruction} of {@code section}: field or type
     * {@code accessString} (e.g. {@code 0:1}) of local BTF type {@code typeId}, of relocation
     * {@code kind} ({@code enum bpf_core_relo_kind}).
     */
    public record CoreRelocation(String section, int instruction, int typeId, String accessString, int kind) {

        /** E.g. {@code field byte offset of access 0:1 of type 5, instruction 1}. */
        public String describe() {
            return kindName() + " of access " + accessString + " of type " + typeId + ", instruction " + instruction;
        }

        /** The kind in words, e.g. {@code field byte offset}. */
        public String kindName() {
            return kind >= 0 && kind < CoreKind.values().length ? CoreKind.of(kind).toString() : "kind " + kind;
        }
    }
}
