package dev.bpfglobals.runtime.internal.loader;

import java.util.Objects;

/**
 * One instruction of a program that refers to something the loader must resolve: a map, a global
 * variable, another BPF function, or a symbol defined outside the object.
 *
 * <p>Besides the object's REL entries this lists the calls clang resolved itself (a call between
 * functions of one section carries no relocation), so a loader finds every callee here.
 *
 * @param instruction index of the instruction in its program ({@link ProgramImage#instructions()})
 * @param kind        what the instruction refers to
 * @param symbol      the map's, variable's or function's name; for a section symbol the section's name
 * @param section     the ELF section of the target ({@code .maps}, {@code .data}, {@code .text}, ...;
 *                    empty for an extern)
 * @param offset      {@link Kind#GLOBAL_DATA}: the byte offset in the section the instruction must
 *                    point to (symbol value plus the offset clang left in the instruction), and so for
 *                    {@link Kind#ARENA_DATA} in {@code .addr_space.1};
 *                    {@link Kind#MAP}: the map's offset in {@code .maps}; {@link Kind#CALL} and
 *                    {@link Kind#FUNCTION_ADDRESS}: the callee's first instruction in its section; else 0
 */
public record Relocation(int instruction, Kind kind, String symbol, String section, long offset) {

    /** What an instruction refers to. */
    public enum Kind {
        /** An {@code ld_imm64} of a map declared in {@code .maps}: becomes the map's fd. */
        MAP,
        /** An {@code ld_imm64} of an address in a global section ({@code .data}, {@code .percpu}, ...). */
        GLOBAL_DATA,
        /** An {@code ld_imm64} of an {@code __arena} global ({@code .addr_space.1}): an address in the object's ARENA map. */
        ARENA_DATA,
        /** A call of another BPF function (a subprogram in {@code .text}, or a function of the same section). */
        CALL,
        /** An {@code ld_imm64} of a BPF function's address (a callback, e.g. for {@code bpf_loop}). */
        FUNCTION_ADDRESS,
        /** A symbol the object only declares: an {@code extern} variable, a kfunc, a kconfig value. */
        EXTERN,
        /** Anything else, kept so a loader can name it when it refuses the program. */
        UNKNOWN
    }

    /** Checks the fields. */
    public Relocation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(section, "section");
    }

    /** The same relocation at instruction {@code index}: programs index from their own first instruction. */
    public Relocation at(int index) {
        return new Relocation(index, kind, symbol, section, offset);
    }
}
