package dev.bpfglobals.runtime.internal.loader;

/**
 * Fields of a BPF instruction held as a {@code long} the way {@link ProgramImage#instructions()}
 * holds them: opcode in bits 0-7, destination register 8-11, source register 12-15, offset 16-31,
 * immediate 32-63, whatever the object's byte order (this is the little-endian memory layout of
 * {@code struct bpf_insn}, which the loader hands a little-endian kernel as is).
 */
public final class Instructions {

    /** {@code BPF_LD | BPF_IMM | BPF_DW}: a 64-bit immediate load, two instruction slots. */
    public static final int LD_IMM64 = 0x18;
    /** {@code BPF_JMP | BPF_CALL}. */
    public static final int CALL = 0x85;
    /** Source register of a call to another BPF function ({@code BPF_PSEUDO_CALL}). */
    public static final int PSEUDO_CALL = 1;
    /** Source register of a call to a kernel function ({@code BPF_PSEUDO_KFUNC_CALL}). */
    public static final int PSEUDO_KFUNC_CALL = 2;
    /** Source register of an {@code ld_imm64} of a map fd ({@code BPF_PSEUDO_MAP_FD}). */
    public static final int PSEUDO_MAP_FD = 1;
    /** Source register of an {@code ld_imm64} of an address in a map's value ({@code BPF_PSEUDO_MAP_VALUE}). */
    public static final int PSEUDO_MAP_VALUE = 2;
    /** Source register of an {@code ld_imm64} of a kernel variable by its BTF id ({@code BPF_PSEUDO_BTF_ID}). */
    public static final int PSEUDO_BTF_ID = 3;
    /** Source register of an {@code ld_imm64} of a BPF function's address ({@code BPF_PSEUDO_FUNC}). */
    public static final int PSEUDO_FUNC = 4;

    private Instructions() {
    }

    /** The 8-bit opcode. */
    public static int opcode(long instruction) {
        return (int) (instruction & 0xff);
    }

    /** The destination register. */
    public static int dst(long instruction) {
        return (int) (instruction >>> 8 & 0xf);
    }

    /** The source register (for pseudo instructions, what the immediate means). */
    public static int src(long instruction) {
        return (int) (instruction >>> 12 & 0xf);
    }

    /** The signed 16-bit offset. */
    public static int offset(long instruction) {
        return (short) (instruction >>> 16);
    }

    /** The signed 32-bit immediate. */
    public static int imm(long instruction) {
        return (int) (instruction >>> 32);
    }

    /** {@code instruction} with its immediate replaced. */
    public static long withImm(long instruction, int imm) {
        return (instruction & 0xffffffffL) | (long) imm << 32;
    }

    /** {@code instruction} with its source register replaced. */
    public static long withSrc(long instruction, int src) {
        return (instruction & ~0xf000L) | (long) (src & 0xf) << 12;
    }

    /** An instruction from its fields. */
    public static long of(int opcode, int dst, int src, int offset, int imm) {
        return (opcode & 0xffL) | (dst & 0xfL) << 8 | (src & 0xfL) << 12 | (offset & 0xffffL) << 16 | (long) imm << 32;
    }
}
