package dev.bpfglobals.runtime.internal.light;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One program the loader program loads: the {@code BPF_PROG_LOAD} attributes of a relocated
 * program whose map references name maps by their index among the loader's maps
 * ({@code BPF_PSEUDO_MAP_IDX} and {@code BPF_PSEUDO_MAP_IDX_VALUE} in an ld_imm64's source
 * register, the index in its immediate), since no map has a descriptor when the loader is built.
 * The BTF records (func info, line info, CO-RE relocations) refer to the plan's BTF, which the
 * loader hands the kernel as {@code prog_btf_fd}; they are used only when the plan has BTF.
 *
 * @param name               the kernel's name for it (15 characters kept)
 * @param type               {@code enum bpf_prog_type}
 * @param expectedAttachType {@code enum bpf_attach_type}, 0 where none is named
 * @param flags              {@code prog_flags} ({@code BPF_F_SLEEPABLE} ...)
 * @param license            the license string ({@code GPL} for GPL-only helpers)
 * @param instructions       the instructions, maps named by index
 * @param funcInfo           {@code struct bpf_func_info} records flattened (instruction, FUNC type id), empty for none
 * @param lineInfo           {@code struct bpf_line_info} records flattened (instruction, file name offset,
 *                           line offset, {@code line << 10 | column}), empty for none
 * @param coreRelos          {@code struct bpf_core_relo} records flattened (byte offset of the instruction,
 *                           local type id, access string offset, kind), which the kernel applies at load; empty for none
 * @param attachTarget       the kernel BTF type the program is verified against, found by name when the
 *                           loader runs; null for programs that need none
 * @param symbols            the kernel symbols ({@code __ksym} variables, kfuncs) its instructions name by
 *                           BTF id, found by name when the loader runs
 */
public record LightProgram(String name, int type, int expectedAttachType, int flags, String license, long[] instructions,
        int[] funcInfo, int[] lineInfo, int[] coreRelos, AttachTarget attachTarget, List<KernelSymbolRef> symbols) {

    /** Copies the arrays and checks their shapes. */
    public LightProgram {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(license, "license");
        if (instructions.length == 0) {
            throw new IllegalArgumentException("program '" + name + "' has no instructions");
        }
        if (funcInfo.length % 2 != 0 || lineInfo.length % 4 != 0 || coreRelos.length % 4 != 0) {
            throw new IllegalArgumentException("program '" + name + "': BTF records of the wrong length");
        }
        instructions = instructions.clone();
        funcInfo = funcInfo.clone();
        lineInfo = lineInfo.clone();
        coreRelos = coreRelos.clone();
        symbols = List.copyOf(symbols);
    }

    /**
     * A program without BTF records or attach target.
     *
     * @param name               the kernel's name for it
     * @param type               {@code enum bpf_prog_type}
     * @param expectedAttachType {@code enum bpf_attach_type}, 0 where none is named
     * @param flags              {@code prog_flags}
     * @param license            the license string
     * @param instructions       the instructions, maps named by index
     */
    public LightProgram(String name, int type, int expectedAttachType, int flags, String license, long[] instructions) {
        this(name, type, expectedAttachType, flags, license, instructions, new int[0], new int[0], new int[0], null, List.of());
    }

    /** {@return the instructions, a copy} */
    @Override
    public long[] instructions() {
        return instructions.clone();
    }

    /** {@return the func info records, a copy} */
    @Override
    public int[] funcInfo() {
        return funcInfo.clone();
    }

    /** {@return the line info records, a copy} */
    @Override
    public int[] lineInfo() {
        return lineInfo.clone();
    }

    /** {@return the CO-RE relocation records, a copy} */
    @Override
    public int[] coreRelos() {
        return coreRelos.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LightProgram p && name.equals(p.name) && type == p.type
                && expectedAttachType == p.expectedAttachType && flags == p.flags && license.equals(p.license)
                && Arrays.equals(instructions, p.instructions) && Arrays.equals(funcInfo, p.funcInfo)
                && Arrays.equals(lineInfo, p.lineInfo) && Arrays.equals(coreRelos, p.coreRelos)
                && Objects.equals(attachTarget, p.attachTarget) && symbols.equals(p.symbols);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, expectedAttachType, flags, license, Arrays.hashCode(instructions),
                Arrays.hashCode(funcInfo), Arrays.hashCode(lineInfo), Arrays.hashCode(coreRelos), attachTarget, symbols);
    }

    @Override
    public String toString() {
        return "LightProgram[" + name + ", type " + type + ", " + instructions.length + " instructions"
                + (coreRelos.length == 0 ? "" : ", " + coreRelos.length / 4 + " CO-RE relocations")
                + (attachTarget == null ? "" : ", attach " + attachTarget) + "]";
    }
}
