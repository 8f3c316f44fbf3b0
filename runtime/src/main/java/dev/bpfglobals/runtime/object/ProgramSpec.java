package dev.bpfglobals.runtime.object;

import java.util.List;

/**
 * A BPF program as the object file holds it, before relocation.
 *
 * @param name         the function's name
 * @param section      the ELF section, which names the program type (e.g. {@code xdp})
 * @param instructions the raw instructions, in the object's byte order
 * @param relocations  the references the loader must resolve
 */
public record ProgramSpec(String name, String section, long[] instructions, List<Reference> relocations) {

    /**
     * One instruction that refers to a symbol: a map, a global variable or a function.
     *
     * @param instruction   index of the instruction
     * @param symbol        the symbol's name (for a section symbol, the section's name)
     * @param symbolSection the ELF section the symbol lives in
     * @param symbolValue   the symbol's offset in that section
     */
    public record Reference(int instruction, String symbol, String symbolSection, long symbolValue) {
    }

    /** Copies the arrays. */
    public ProgramSpec {
        instructions = instructions.clone();
        relocations = List.copyOf(relocations);
    }

    /** A copy of the raw instructions. */
    @Override
    public long[] instructions() {
        return instructions.clone();
    }

    /** The kernel program type the section name stands for, or -1 when this library cannot load it yet. */
    public int kernelType() {
        if (section.equals("xdp") || section.startsWith("xdp/")) {
            return 6;
        }
        if (section.equals("socket") || section.startsWith("socket/")) {
            return 1;
        }
        if (section.equals("tc") || section.startsWith("tc/") || section.startsWith("classifier")) {
            return 3;
        }
        if (section.startsWith("tracepoint/") || section.startsWith("tp/")) {
            return 5;
        }
        if (section.startsWith("raw_tracepoint/") || section.startsWith("raw_tp/")) {
            return 17;
        }
        return -1;
    }
}
