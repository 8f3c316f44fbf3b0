package dev.bpfglobals.runtime.internal.loader;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfExt;
import dev.bpfglobals.runtime.btf.CoreKind;
import dev.bpfglobals.runtime.btf.CoreResolver;
import dev.bpfglobals.runtime.btf.KernelBtf;
import dev.bpfglobals.runtime.kernel.BpfException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a program's CO-RE relocations against a kernel's BTF, patching each instruction as
 * libbpf's {@code bpf_core_patch_insn} does: the immediate of an ALU/ALU64 instruction, the offset
 * of a load or store (and its size, where a field's size changed safely), or both halves of a
 * 64-bit immediate load.
 *
 * <p>A relocation whose field or enumerator the kernel lacks is not refused here: as libbpf does,
 * its instruction is <em>poisoned</em>, replaced by a call to the invalid helper 195896080
 * ({@code 0xbad2310}, "bad relo"). The verifier drops unreachable code, so a program that checks
 * {@code bpf_core_field_exists} first still loads; only a program that can reach the instruction is
 * refused, and {@link #explain} turns the verifier's "invalid func unknown#195896080" into an error
 * naming the program and the relocation. EXISTS relocations and type relocations of a missing type
 * give 0 and are never poisoned.
 */
final class CoreRelocator {

    /** The helper id a poisoned instruction calls: no kernel has it. */
    static final int POISON_HELPER = 195896080;
    private static final Pattern POISONED_CALL = Pattern.compile("(?m)^(\\d+): \\(85\\) call unknown#" + POISON_HELPER);

    /** A relocation whose instruction was poisoned, kept to explain a refusal. */
    record Poisoned(int instruction, CoreKind kind, String access, String spec, String why) {
    }

    private final ObjectImage object;
    private final Path kernelBtfFile;
    private KernelBtf kernel;

    /** @param kernelBtfFile the kernel BTF to relocate against, {@code null} for the running kernel's */
    CoreRelocator(ObjectImage object, Path kernelBtfFile) {
        this.object = object;
        this.kernelBtfFile = kernelBtfFile;
    }

    /** The kernel BTF, read when the first program with CO-RE relocations is loaded. */
    private KernelBtf kernel() {
        if (kernel == null) {
            kernel = kernelBtfFile == null ? KernelBtf.running() : KernelBtf.read(kernelBtfFile);
        }
        return kernel;
    }

    /**
     * The loaded modules' BTF, searched where vmlinux has no candidate; none against a BTF file, as
     * libbpf searches no module with {@code btf_custom_path}.
     */
    private List<KernelBtf> modules() {
        return kernelBtfFile == null ? KernelBtf.modules() : List.of();
    }

    /** Where the kernel BTF comes from, for messages. */
    private String source() {
        return kernelBtfFile == null ? "this kernel's BTF (" + KernelBtf.VMLINUX + ")" : "the kernel BTF " + kernelBtfFile;
    }

    /**
     * Patches {@code insns}, the instructions of {@code linked}, for each of its CO-RE relocations.
     *
     * @return the relocations whose instruction was poisoned
     * @throws IllegalStateException naming program and relocation, for one that is malformed or ambiguous
     */
    List<Poisoned> apply(LinkedProgram linked, long[] insns) {
        List<Poisoned> poisoned = new ArrayList<>();
        if (linked.coreRelocations().isEmpty()) {
            return poisoned;
        }
        String program = linked.spec().name();
        Btf local = object.btf().orElseThrow(() -> new IllegalStateException("program '" + program
                + "' has CO-RE relocations but the object has no .BTF section to resolve them from"));
        for (BtfExt.CoreRelocation relocation : linked.coreRelocations()) {
            String what = "program '" + program + "': CO-RE relocation at instruction " + relocation.instruction() + " ("
                    + relocation.kindName() + ", access " + relocation.accessString() + " of local type " + relocation.typeId() + ")";
            CoreResolver.Resolution result;
            try {
                result = CoreResolver.resolve(local, relocation.typeId(), relocation.accessString(),
                        CoreKind.of(relocation.kind()), kernel(), this::modules);
            } catch (IllegalArgumentException | dev.bpfglobals.runtime.btf.BtfFormatException e) {
                throw new IllegalStateException(what + " against " + source() + ": " + e.getMessage(), e);
            }
            int index = relocation.instruction();
            if (index < 0 || index >= insns.length) {
                throw new IllegalStateException(what + " is past the program's " + insns.length + " instructions");
            }
            boolean memory = isMemory(insns[index]);
            String problem = patch(insns, index, result);
            if (problem != null) {
                throw new IllegalStateException(what + " for " + result.local().describe() + ": " + problem);
            }
            if (result.poison() || (result.sizeChangeUnsafe() && memory)) {
                poisoned.add(new Poisoned(index, result.local().kind(), relocation.accessString(), result.local().describe(),
                        why(result)));
            }
        }
        return poisoned;
    }

    /**
     * A verifier refusal of a program that reaches a poisoned instruction, as an error naming the
     * relocation; any other refusal as it was.
     */
    RuntimeException explain(BpfException refusal, String program, List<Poisoned> poisoned) {
        if (poisoned.isEmpty() || refusal.getMessage() == null) {
            return refusal;
        }
        Matcher call = POISONED_CALL.matcher(refusal.getMessage());
        while (call.find()) {
            int at = Integer.parseInt(call.group(1));
            for (Poisoned p : poisoned) {
                if (p.instruction() == at) {
                    return new IllegalStateException("program '" + program + "' reaches instruction " + at + ", a CO-RE relocation ("
                            + p.kind() + " of " + p.spec() + ", access " + p.access() + ") that does not exist in " + source()
                            + ": " + p.why() + "; check for it first with bpf_core_field_exists / bpf_core_enum_value_exists "
                            + "so the verifier drops the access on kernels without it", refusal);
                }
            }
        }
        return refusal;
    }

    /** Why a poisoned relocation has no target, in the words of the C it came from. */
    private String why(CoreResolver.Resolution result) {
        String root = result.local().describe().replaceFirst("[.:\\[].*", "");
        String essential = root.replaceFirst("___.*", "");
        if (result.sizeChangeUnsafe()) {
            return "the kernel's field has another size, and reading it at that size would give another value "
                    + "(only pointers and unsigned integers may change size)";
        }
        if (result.candidates() == 0) {
            return "the kernel has no " + essential + (essential.equals(root) ? "" : " (the name without its ___ flavour)")
                    + " (" + modulesSearched() + ")";
        }
        return "the kernel's " + essential + " has no such " + (result.local().kind().isEnumValue() ? "enumerator" : "member")
                + " (by name, flavours ignored) of a compatible type";
    }

    /** Which module BTF a missing type was also looked for in, for messages. */
    private String modulesSearched() {
        if (kernelBtfFile != null) {
            return "no module BTF is searched against a BTF file, as libbpf searches none with btf_custom_path";
        }
        List<String> names = KernelBtf.moduleNames();
        return names.isEmpty()
                ? "nor any module: this kernel exposes no module BTF in " + KernelBtf.DIRECTORY + " (no module loaded, or "
                + "built without CONFIG_DEBUG_INFO_BTF_MODULES); a type only a module defines is found once that module is loaded"
                : "nor any of the " + names.size() + " loaded modules' BTF in " + KernelBtf.DIRECTORY + ": " + names;
    }

    private static final int CLASS_LD = 0x00;
    private static final int CLASS_LDX = 0x01;
    private static final int CLASS_ST = 0x02;
    private static final int CLASS_STX = 0x03;
    private static final int CLASS_ALU = 0x04;
    private static final int CLASS_ALU64 = 0x07;
    private static final int SOURCE_REGISTER = 0x08;

    private static boolean isMemory(long insn) {
        int type = Instructions.opcode(insn) & 7;
        return type == CLASS_LDX || type == CLASS_ST || type == CLASS_STX;
    }

    /** Patches one instruction; the reason it cannot be, or null. */
    static String patch(long[] insns, int index, CoreResolver.Resolution result) {
        long insn = insns[index];
        int opcode = Instructions.opcode(insn);
        if (result.poison()) {
            poison(insns, index);
            return null;
        }
        long value = result.value();
        switch (opcode & 7) {
            case CLASS_ALU, CLASS_ALU64 -> {
                if ((opcode & SOURCE_REGISTER) != 0) {
                    return "instruction " + index + " is an ALU instruction on a register, not an immediate";
                }
                int imm = Instructions.imm(insn);
                if (result.validate() && imm != result.localValue() && Integer.toUnsignedLong(imm) != result.localValue()) {
                    return "instruction " + index + " holds " + imm + " where clang's value is " + result.localValue()
                            + " (the object's BTF and code disagree)";
                }
                insns[index] = Instructions.withImm(insn, (int) value);
            }
            case CLASS_LDX, CLASS_ST, CLASS_STX -> {
                int offset = Instructions.offset(insn);
                if (result.validate() && offset != result.localValue()) {
                    return "instruction " + index + " has offset " + offset + " where clang's value is " + result.localValue()
                            + " (the object's BTF and code disagree)";
                }
                if (value > Short.MAX_VALUE) {
                    return "the kernel's offset " + value + " does not fit a load or store's 16-bit offset";
                }
                if (result.sizeChangeUnsafe()) {
                    // libbpf: the field changed size in a way a narrower or wider load would misread.
                    poison(insns, index);
                    return null;
                }
                insn = (insn & ~0xffff0000L) | (value & 0xffff) << 16;
                if (result.localSize() != result.size()) {
                    int bytes = accessBytes(opcode);
                    if (bytes != result.localSize()) {
                        return "instruction " + index + " accesses " + bytes + " bytes of a " + result.localSize() + "-byte field";
                    }
                    int code = sizeCode(result.size());
                    if (code < 0) {
                        return "the kernel's field is " + result.size() + " bytes, which no load or store has";
                    }
                    insn = (insn & ~0xffL) | (opcode & ~0x18 & 0xff) | code;
                }
                insns[index] = insn;
            }
            case CLASS_LD -> {
                if (opcode != Instructions.LD_IMM64 || index + 1 >= insns.length || Instructions.src(insn) != 0
                        || Instructions.offset(insn) != 0 || (insns[index + 1] & 0xffffffffL) != 0) {
                    return "instruction " + index + " is not a plain 64-bit immediate load";
                }
                long imm = Integer.toUnsignedLong(Instructions.imm(insn)) | (long) Instructions.imm(insns[index + 1]) << 32;
                if (result.validate() && imm != result.localValue()) {
                    return "instruction " + index + " loads " + imm + " where clang's value is " + result.localValue();
                }
                insns[index] = Instructions.withImm(insn, (int) value);
                insns[index + 1] = Instructions.withImm(insns[index + 1], (int) (value >>> 32));
            }
            default -> {
                return "instruction " + index + " (opcode 0x" + Integer.toHexString(opcode) + ") is not one CO-RE can patch";
            }
        }
        return null;
    }

    /** libbpf's {@code bpf_core_poison_insn}, on both halves of a 64-bit immediate load. */
    private static void poison(long[] insns, int index) {
        if (Instructions.opcode(insns[index]) == Instructions.LD_IMM64 && index + 1 < insns.length) {
            insns[index + 1] = Instructions.of(Instructions.CALL, 0, 0, 0, POISON_HELPER);
        }
        insns[index] = Instructions.of(Instructions.CALL, 0, 0, 0, POISON_HELPER);
    }

    private static int accessBytes(int opcode) {
        return switch (opcode & 0x18) {
            case 0x00 -> 4;
            case 0x08 -> 2;
            case 0x10 -> 1;
            default -> 8;
        };
    }

    private static int sizeCode(int bytes) {
        return switch (bytes) {
            case 4 -> 0x00;
            case 2 -> 0x08;
            case 1 -> 0x10;
            case 8 -> 0x18;
            default -> -1;
        };
    }
}
