package dev.bpfglobals.runtime.attach;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One argument of a USDT probe, parsed from its x86-64 spec as libbpf's {@code parse_usdt_arg}
 * parses it, into the fields of {@code struct __bpf_usdt_arg_spec} in {@code usdt.bpf.h}:
 * {@code N@$CONST} (a constant), {@code N@%REG} (a register), {@code N@OFFSET(%REG)} or
 * {@code N@(%REG)} (memory at a register plus an offset). {@code N} is the size in bytes (1, 2, 4
 * or 8), negative for a signed value; a register may be named by any of its 64-, 32-, 16- or 8-bit
 * names ({@code %rdi}, {@code %edi}, {@code %di}, {@code %dil}), since the BPF side reads all 64
 * bits and then keeps the argument's low {@code |N|} bytes.
 *
 * @param kind           where the value is
 * @param valueOffset    {@code val_off}: the constant, or the memory operand's offset
 * @param registerOffset {@code reg_off}: {@code offsetof(struct pt_regs, REG)}, 0 for a constant
 * @param signed         {@code arg_signed}: sign-extend the value rather than zero-extend it
 * @param bitShift       {@code arg_bitshift}: 64 less the argument's size in bits
 */
record UsdtArgument(Kind kind, long valueOffset, short registerOffset, boolean signed, byte bitShift) {

    /** {@code enum __bpf_usdt_arg_type}, in its order. */
    enum Kind {
        /** {@code BPF_USDT_ARG_CONST}. */
        CONSTANT,
        /** {@code BPF_USDT_ARG_REG}. */
        REGISTER,
        /** {@code BPF_USDT_ARG_REG_DEREF}. */
        MEMORY
    }

    private static final Pattern CONSTANT = Pattern.compile("(-?\\d+)\\s*@\\s*\\$(-?(?:0x[0-9a-fA-F]+|\\d+))");
    private static final Pattern REGISTER = Pattern.compile("(-?\\d+)\\s*@\\s*%(\\w+)");
    private static final Pattern MEMORY = Pattern.compile("(-?\\d+)\\s*@\\s*(-?(?:0x[0-9a-fA-F]+|\\d+))?\\s*\\(\\s*%(\\w+)\\s*\\)");
    /** Scaled-index operands ({@code -4@-8(%rbp,%rax,4)}), which the installed {@code usdt.bpf.h} cannot read. */
    private static final Pattern SCALED = Pattern.compile("-?\\d+\\s*@.*\\(.*,.*\\)");

    /** {@code offsetof(struct pt_regs, REG)} on x86-64, by every name of each register. */
    private static final Map<String, Integer> PT_REGS = registers();

    /**
     * The argument {@code spec}, the {@code index}th of probe {@code probe} (named in refusals).
     *
     * @throws IllegalArgumentException naming the probe, the spec and what is wrong with it
     */
    static UsdtArgument parse(String probe, int index, String spec) {
        try {
            return parseNumbers(probe, index, spec);
        } catch (NumberFormatException e) {
            throw refusal(probe, index, spec, "a number beyond 64 bits (" + e.getMessage() + ")");
        }
    }

    private static UsdtArgument parseNumbers(String probe, int index, String spec) {
        Matcher constant = CONSTANT.matcher(spec);
        Matcher register = REGISTER.matcher(spec);
        Matcher memory = MEMORY.matcher(spec);
        if (constant.matches()) {
            return of(probe, index, spec, Kind.CONSTANT, constant.group(1), Long.decode(constant.group(2)), 0);
        }
        if (register.matches()) {
            return of(probe, index, spec, Kind.REGISTER, register.group(1), 0, registerOffset(probe, index, spec, register.group(2)));
        }
        if (memory.matches()) {
            long offset = memory.group(2) == null ? 0 : Long.decode(memory.group(2));
            return of(probe, index, spec, Kind.MEMORY, memory.group(1), offset, registerOffset(probe, index, spec, memory.group(3)));
        }
        String why = SCALED.matcher(spec).matches()
                ? "a scaled-index memory operand, which usdt.bpf.h (libbpf 1.1) cannot read"
                : spec.matches("-?\\d+\\s*@.*\\(%rip\\)")
                ? "an operand relative to %rip (a global variable), which usdt.bpf.h cannot read"
                : "not an x86-64 USDT argument (expected N@$CONST, N@%REG, N@OFFSET(%REG))";
        throw refusal(probe, index, spec, why);
    }

    private static UsdtArgument of(String probe, int index, String spec, Kind kind, String size, long value, int register) {
        int bytes;
        try {
            bytes = Integer.parseInt(size);
        } catch (NumberFormatException e) {
            throw refusal(probe, index, spec, "size '" + size + "' is not a number");
        }
        int magnitude = Math.abs(bytes);
        if (magnitude != 1 && magnitude != 2 && magnitude != 4 && magnitude != 8) {
            throw refusal(probe, index, spec, "size " + bytes + " is not 1, 2, 4 or 8 bytes (negative for signed)");
        }
        return new UsdtArgument(kind, value, (short) register, bytes < 0, (byte) (64 - magnitude * 8));
    }

    private static int registerOffset(String probe, int index, String spec, String name) {
        Integer offset = PT_REGS.get(name);
        if (offset == null) {
            throw refusal(probe, index, spec, "register %" + name + " is not one usdt.bpf.h reads from struct pt_regs");
        }
        return offset;
    }

    private static IllegalArgumentException refusal(String probe, int index, String spec, String why) {
        return new IllegalArgumentException("USDT probe " + probe + ": argument " + index + " '" + spec + "' is " + why);
    }

    private static Map<String, Integer> registers() {
        Map<String, Integer> offsets = new java.util.HashMap<>();
        // struct pt_regs of x86-64: r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di orig_ax ip cs flags sp ss.
        String[][] legacy = {
            {"rbp", "ebp", "bp", "bpl"}, {"rbx", "ebx", "bx", "bl"}, {"rax", "eax", "ax", "al"}, {"rcx", "ecx", "cx", "cl"},
            {"rdx", "edx", "dx", "dl"}, {"rsi", "esi", "si", "sil"}, {"rdi", "edi", "di", "dil"},
        };
        int[] legacyOffsets = {32, 40, 80, 88, 96, 104, 112};
        for (int i = 0; i < legacy.length; i++) {
            for (String name : legacy[i]) {
                offsets.put(name, legacyOffsets[i]);
            }
        }
        for (int r = 8; r <= 15; r++) {
            int offset = r <= 11 ? 72 - (r - 8) * 8 : 24 - (r - 12) * 8; // r8 72 .. r11 48; r12 24 .. r15 0
            for (String suffix : new String[] {"", "d", "w", "b"}) {
                offsets.put("r" + r + suffix, offset);
            }
        }
        for (String name : new String[] {"rsp", "esp", "sp", "spl"}) {
            offsets.put(name, 152);
        }
        offsets.put("rip", 128);
        offsets.put("eip", 128);
        return Map.copyOf(offsets);
    }
}
