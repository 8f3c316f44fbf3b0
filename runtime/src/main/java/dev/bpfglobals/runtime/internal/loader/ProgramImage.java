package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.attach.ProgramType;
import dev.bpfglobals.runtime.btf.BtfExt;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A BPF function as the object holds it, before relocation: the loader's data behind the public
 * {@code ProgramSpec}.
 *
 * @param name          the function's C name
 * @param section       the ELF section, whose name gives the program type and attach point
 * @param type          the program type the section stands for ({@link ProgramType#UNSPEC} for subprograms)
 * @param sectionOffset the index of the function's first instruction in its section
 * @param instructions  the raw instructions, one {@code long} each
 * @param relocations   the instructions the loader must resolve, by index into {@code instructions}
 * @param btfExt        this function's {@code .BTF.ext} records, with indices into {@code instructions}
 */
public record ProgramImage(String name, String section, ProgramType type, int sectionOffset, long[] instructions,
        List<Relocation> relocations, BtfExt btfExt) {

    /** libbpf's mark, first in a section name, for a program not loaded automatically. */
    public static final String AUTOLOAD_OFF = "?";

    /** Checks the fields and copies the instructions and relocations. */
    public ProgramImage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(btfExt, "btfExt");
        instructions = instructions.clone();
        relocations = List.copyOf(relocations);
    }

    /** {@return a copy of the raw instructions} */
    @Override
    public long[] instructions() {
        return instructions.clone();
    }

    /** {@return the number of instruction slots, without copying them} */
    public int instructionCount() {
        return instructions.length;
    }

    /** {@return whether the section asks for the program to be loaded with the object (no leading {@code ?})} */
    public boolean autoload() {
        return !section.startsWith(AUTOLOAD_OFF);
    }

    /** {@return what the section names after the program type ({@code syscalls/sys_enter_getpid}), or empty} */
    public String attachTarget() {
        int slash = section.indexOf('/');
        return slash < 0 ? "" : section.substring(slash + 1);
    }

    /** {@return the functions this one calls directly, by name, in order of first call} */
    public List<String> callees() {
        return relocations.stream().filter(r -> r.kind() == Relocation.Kind.CALL).map(Relocation::symbol).distinct().toList();
    }

    /** Equal when every component is, the instructions compared by content. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ProgramImage that && name.equals(that.name) && section.equals(that.section)
                && type == that.type && sectionOffset == that.sectionOffset && Arrays.equals(instructions, that.instructions)
                && relocations.equals(that.relocations) && btfExt.equals(that.btfExt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, section, type, sectionOffset, Arrays.hashCode(instructions), relocations, btfExt);
    }

    @Override
    public String toString() {
        return "ProgramImage[" + name + " in " + section + ", " + type + ", " + instructions.length + " instructions, "
                + relocations.size() + " relocations]";
    }
}
