package dev.bpfglobals.runtime.internal.light;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small BPF assembler for the loader program: the few instructions it needs, and forward jumps to
 * named labels resolved when the program is finished. Encodings follow {@code struct bpf_insn} on a
 * little-endian host (code, dst and src registers in one byte, 16-bit offset, 32-bit immediate).
 */
final class LoaderAsm {

    static final int R0 = 0;
    static final int R1 = 1;
    static final int R2 = 2;
    static final int R3 = 3;
    static final int R4 = 4;
    static final int R6 = 6;
    static final int R7 = 7;
    static final int R10 = 10;

    /** {@code BPF_PSEUDO_MAP_IDX}: an ld_imm64's immediate is an index into {@code fd_array}, naming a map. */
    static final int PSEUDO_MAP_IDX = 5;
    /** {@code BPF_PSEUDO_MAP_IDX_VALUE}: the same, for the address of the map's value plus an offset. */
    static final int PSEUDO_MAP_IDX_VALUE = 6;

    /** Helper ids of {@code enum bpf_func_id}. */
    static final int HELPER_MAP_LOOKUP_ELEM = 1;
    static final int HELPER_SYS_BPF = 166;
    static final int HELPER_BTF_FIND_BY_NAME_KIND = 167;
    static final int HELPER_SYS_CLOSE = 168;

    private static final int SIZE_W = 0x00;
    private static final int SIZE_DW = 0x18;

    private final List<Long> code = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();
    /** Jumps still waiting for their label: instruction index and label. */
    private final Map<Integer, String> pending = new HashMap<>();

    /** One instruction as the kernel reads it. */
    static long insn(int code, int dst, int src, int offset, int imm) {
        return (code & 0xffL) | ((long) (dst & 0xf) << 8) | ((long) (src & 0xf) << 12)
                | ((long) (offset & 0xffff) << 16) | ((long) imm << 32);
    }

    /** {@code dst = src} (64 bits). */
    LoaderAsm mov(int dst, int src) {
        return emit(insn(0xbf, dst, src, 0, 0));
    }

    /** {@code dst = imm} (64 bits, sign-extended). */
    LoaderAsm movImm(int dst, int imm) {
        return emit(insn(0xb7, dst, 0, 0, imm));
    }

    /** {@code dst += imm} (64 bits). */
    LoaderAsm addImm(int dst, int imm) {
        return emit(insn(0x07, dst, 0, 0, imm));
    }

    /** {@code dst >>= imm} (64 bits, logical). */
    LoaderAsm rshImm(int dst, int imm) {
        return emit(insn(0x77, dst, 0, 0, imm));
    }

    /** {@code dst += src} (64 bits). */
    LoaderAsm addReg(int dst, int src) {
        return emit(insn(0x0f, dst, src, 0, 0));
    }

    /** {@code dst = &value(fd_array[mapIndex]) + offset}: a pointer into a map's value. */
    LoaderAsm mapValue(int dst, int mapIndex, int offset) {
        emit(insn(0x18, dst, PSEUDO_MAP_IDX_VALUE, 0, mapIndex));
        return emit(insn(0, 0, 0, 0, offset));
    }

    /** {@code dst = map(fd_array[mapIndex])}: the map itself, as helpers take it. */
    LoaderAsm map(int dst, int mapIndex) {
        emit(insn(0x18, dst, PSEUDO_MAP_IDX, 0, mapIndex));
        return emit(insn(0, 0, 0, 0, 0));
    }

    /** {@code *(u32 *)(base + offset) = src}. */
    LoaderAsm storeWord(int base, int offset, int src) {
        return emit(insn(0x03 | 0x60 | SIZE_W, base, src, offset, 0));
    }

    /** {@code *(u16 *)(base + offset) = src}. */
    LoaderAsm storeHalf(int base, int offset, int src) {
        return emit(insn(0x03 | 0x60 | 0x08, base, src, offset, 0));
    }

    /** {@code *(u64 *)(base + offset) = src}. */
    LoaderAsm storeDouble(int base, int offset, int src) {
        return emit(insn(0x03 | 0x60 | SIZE_DW, base, src, offset, 0));
    }

    /** {@code dst = *(u32 *)(base + offset)}. */
    LoaderAsm loadWord(int dst, int base, int offset) {
        return emit(insn(0x61, dst, base, offset, 0));
    }

    /** {@code dst = *(u64 *)(base + offset)}. */
    LoaderAsm loadDouble(int dst, int base, int offset) {
        return emit(insn(0x01 | 0x60 | SIZE_DW, dst, base, offset, 0));
    }

    /** Calls helper {@code id}; r1-r5 are its arguments, r0 its result, r1-r5 clobbered. */
    LoaderAsm call(int id) {
        return emit(insn(0x85, 0, 0, 0, id));
    }

    /** {@code return r0}. */
    LoaderAsm exit() {
        return emit(insn(0x95, 0, 0, 0, 0));
    }

    /** {@code if (s64) reg < imm goto label}. */
    LoaderAsm jumpIfSignedBelow(int reg, int imm, String label) {
        return jump(0xc5, reg, imm, label);
    }

    /** {@code if (s64) reg <= imm goto label}. */
    LoaderAsm jumpIfSignedAtMost(int reg, int imm, String label) {
        return jump(0xd5, reg, imm, label);
    }

    /** {@code if reg == imm goto label}. */
    LoaderAsm jumpIfEqual(int reg, int imm, String label) {
        return jump(0x15, reg, imm, label);
    }

    /** {@code goto label}. */
    LoaderAsm jumpTo(String label) {
        return jump(0x05, 0, 0, label);
    }

    /** Names the next instruction {@code label}. */
    LoaderAsm label(String label) {
        if (labels.putIfAbsent(label, code.size()) != null) {
            throw new IllegalStateException("label " + label + " defined twice");
        }
        return this;
    }

    /** The finished program: every jump resolved. */
    long[] finish() {
        long[] out = new long[code.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = code.get(i);
        }
        pending.forEach((at, label) -> {
            Integer target = labels.get(label);
            if (target == null) {
                throw new IllegalStateException("jump to undefined label " + label);
            }
            int offset = target - at - 1;
            if (offset != (short) offset) {
                // A jump holds a signed 16-bit offset; one that wrapped would send the loader elsewhere.
                throw new UnsupportedOperationException("the light loader is too large: a jump at instruction " + at + " spans "
                        + offset + " instructions, over the 32,767 a BPF jump reaches (too many programs or kernel symbols"
                        + " for one loader); load the object with LoadedObject.load");
            }
            out[at] = (out[at] & ~(0xffffL << 16)) | ((long) (offset & 0xffff) << 16);
        });
        return out;
    }

    private LoaderAsm jump(int opcode, int reg, int imm, String label) {
        pending.put(code.size(), label);
        return emit(insn(opcode, reg, 0, 0, imm));
    }

    private LoaderAsm emit(long instruction) {
        code.add(instruction);
        return this;
    }
}
