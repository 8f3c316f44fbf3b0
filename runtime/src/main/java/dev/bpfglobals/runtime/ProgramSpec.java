package dev.bpfglobals.runtime;

import dev.bpfglobals.runtime.attach.ProgramType;
import dev.bpfglobals.runtime.btf.BtfExt;
import dev.bpfglobals.runtime.internal.loader.ProgramImage;
import dev.bpfglobals.runtime.internal.loader.Relocation;
import java.util.List;
import java.util.Objects;

/**
 * A BPF function as the object file holds it, before relocation: a program (a function in a
 * section such as {@code xdp} or {@code tracepoint/syscalls/sys_enter_getpid}) or a subprogram it
 * may call (a function in {@code .text}). Loading turns it into a {@code BpfProgram}. Made by
 * {@link ObjectSpec#open}; what the loader alone needs of it (relocations, {@code .BTF.ext}) is not public.
 */
public final class ProgramSpec {

    /** The loader's data: this class is its public face. */
    private final ProgramImage image;

    ProgramSpec(ProgramImage image) {
        this.image = Objects.requireNonNull(image, "image");
    }

    /**
     * @param relocations the instructions the loader must resolve, by index into {@code instructions}
     * @param btfExt      this function's {@code .BTF.ext} records, with instruction indices into {@code instructions}
     */
    ProgramSpec(String name, String section, ProgramType type, int sectionOffset, long[] instructions,
            List<Relocation> relocations, BtfExt btfExt) {
        this(new ProgramImage(name, section, type, sectionOffset, instructions, relocations, btfExt));
    }

    /** {@return the loader's data behind this spec} */
    ProgramImage image() {
        return image;
    }

    /** {@return the function's C name} */
    public String name() {
        return image.name();
    }

    /** {@return the ELF section, whose name gives the program type and attach point} */
    public String section() {
        return image.section();
    }

    /**
     * The program type the section name stands for ({@link ProgramType#UNSPEC} for subprograms and
     * sections this library does not know).
     *
     * @return the program type
     */
    public ProgramType type() {
        return image.type();
    }

    /** {@return the index of the function's first instruction in its section} */
    public int sectionOffset() {
        return image.sectionOffset();
    }

    /**
     * A copy of the raw instructions, one {@code long} each (opcode in bits 0-7, registers 8-15,
     * offset 16-31, immediate 32-63); an {@code ld_imm64} takes two.
     *
     * @return the instructions, a copy
     */
    public long[] instructions() {
        return image.instructions();
    }

    /** {@return how many references the loader must resolve in it: maps, global data, calls, externs} */
    public int relocationCount() {
        return image.relocations().size();
    }

    /** The instructions the loader must resolve, by index into {@link #instructions()}. */
    List<Relocation> relocations() {
        return image.relocations();
    }

    /** This function's {@code .BTF.ext} records, with instruction indices into {@link #instructions()}. */
    BtfExt btfExt() {
        return image.btfExt();
    }

    /** {@return the number of instruction slots} */
    public int instructionCount() {
        return image.instructionCount();
    }

    /**
     * Whether the section asks for the program to be loaded with the object: false for libbpf's
     * {@code SEC("?xdp")}, whose leading {@code ?} means "do not load automatically" (a program
     * only some kernels accept, or one a test loads on its own). {@link ObjectSpec#withAutoload}
     * overrides it for one load.
     *
     * @return whether loading the object loads this program unless told otherwise
     */
    public boolean autoload() {
        return image.autoload();
    }

    /**
     * What the section names after the program type: the tracepoint {@code syscalls/sys_enter_getpid}
     * of {@code tracepoint/syscalls/sys_enter_getpid}, the raw tracepoint {@code sys_enter} of
     * {@code raw_tp/sys_enter}; empty when the section is just the type ({@code xdp}).
     *
     * @return the attach target, or empty
     */
    public String attachTarget() {
        return image.attachTarget();
    }

    /** {@return the functions this one calls directly, by name, in order of first call} */
    public List<String> callees() {
        return image.callees();
    }

    /** Equal when every component is, the instructions compared by content. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ProgramSpec that && image.equals(that.image);
    }

    @Override
    public int hashCode() {
        return image.hashCode();
    }

    @Override
    public String toString() {
        return "ProgramSpec[" + name() + " in " + section() + ", " + type() + ", " + instructionCount() + " instructions, "
                + relocationCount() + " relocations]";
    }
}
