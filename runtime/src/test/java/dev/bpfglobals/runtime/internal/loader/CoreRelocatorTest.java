package dev.bpfglobals.runtime.internal.loader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfAggregateTypes.Member;
import dev.bpfglobals.runtime.btf.BtfAggregateTypes.Struct;
import dev.bpfglobals.runtime.btf.BtfNumberTypes.Enum64;
import dev.bpfglobals.runtime.btf.BtfNumberTypes.Enum64Value;
import dev.bpfglobals.runtime.btf.BtfNumberTypes.Int;
import dev.bpfglobals.runtime.btf.CoreKind;
import dev.bpfglobals.runtime.btf.CoreResolver;
import dev.bpfglobals.runtime.btf.KernelBtf;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Instructions patched for resolved CO-RE relocations as libbpf's {@code bpf_core_patch_insn} patches them. */
class CoreRelocatorTest {

    private static final int LDX_W = 0x61;
    private static final int LDX_DW = 0x79;
    private static final int MOV64_K = 0xb7;
    private static final int MOV64_X = 0xbf;

    /** Object: {@code struct s { unsigned int u; int i; }}, an enum64 with E = 1. */
    private static final Btf LOCAL = Btf.of(List.of(
            Int.of("unsigned int", 4, false),                                            // 1
            Int.of("int", 4, true),                                                      // 2
            new Struct("s", 8, List.of(new Member("u", 1, 0, 0), new Member("i", 2, 32, 0))), // 3
            new Enum64("e", 8, false, List.of(new Enum64Value("E", 1)))),                // 4
            ByteOrder.nativeOrder());

    /** Kernel: both members widened to 8 bytes and moved, E = 2^40. */
    private static final KernelBtf KERNEL = KernelBtf.of(Btf.of(List.of(
            Int.of("unsigned long", 8, false),                                           // 1
            Int.of("long", 8, true),                                                     // 2
            new Struct("s", 24, List.of(new Member("pad", 1, 0, 0), new Member("u", 1, 64, 0),
                    new Member("i", 2, 128, 0))),                                        // 3
            new Enum64("e", 8, false, List.of(new Enum64Value("E", 1L << 40)))),         // 4
            ByteOrder.nativeOrder()), Path.of("kernel"));

    private static CoreResolver.Resolution resolve(String access, CoreKind kind) {
        return CoreResolver.resolve(LOCAL, access.equals("0") && kind.isEnumValue() ? 4 : 3, access, kind, KERNEL);
    }

    @Test
    void aLoadOfAnUnsignedFieldThatWidenedGetsTheNewOffsetAndSize() {
        long[] insns = {Instructions.of(LDX_W, 1, 2, 0, 0)};

        assertThat(CoreRelocator.patch(insns, 0, resolve("0:0", CoreKind.FIELD_BYTE_OFFSET))).isNull();

        assertThat(insns[0]).isEqualTo(Instructions.of(LDX_DW, 1, 2, 8, 0));
    }

    @Test
    void aLoadOfASignedFieldThatWidenedIsPoisoned() {
        long[] insns = {Instructions.of(LDX_W, 1, 2, 4, 0)};

        assertThat(CoreRelocator.patch(insns, 0, resolve("0:1", CoreKind.FIELD_BYTE_OFFSET))).isNull();

        assertThat(insns[0]).isEqualTo(Instructions.of(Instructions.CALL, 0, 0, 0, CoreRelocator.POISON_HELPER));
    }

    @Test
    void anAluImmediateGetsTheNewValue() {
        long[] insns = {Instructions.of(MOV64_K, 1, 0, 0, 4)};

        assertThat(CoreRelocator.patch(insns, 0, resolve("0:1", CoreKind.FIELD_BYTE_OFFSET))).isNull();

        assertThat(insns[0]).isEqualTo(Instructions.of(MOV64_K, 1, 0, 0, 16));
    }

    @Test
    void a64BitImmediateLoadGetsBothHalves() {
        long[] insns = {Instructions.of(Instructions.LD_IMM64, 1, 0, 0, 1), 0};

        assertThat(CoreRelocator.patch(insns, 0, resolve("0", CoreKind.ENUMVAL_VALUE))).isNull();

        assertThat(insns).containsExactly(Instructions.of(Instructions.LD_IMM64, 1, 0, 0, 0), Instructions.of(0, 0, 0, 0, 1 << 8));
    }

    @Test
    void aPoisoned64BitImmediateLoadIsPoisonedInBothHalves() {
        long[] insns = {Instructions.of(Instructions.LD_IMM64, 1, 0, 0, 1), 0};
        CoreResolver.Resolution missing = CoreResolver.resolve(LOCAL, 4, "0", CoreKind.ENUMVAL_VALUE,
                KernelBtf.of(Btf.of(List.of(Int.of("int", 4, true)), ByteOrder.nativeOrder()), Path.of("empty")));

        assertThat(CoreRelocator.patch(insns, 0, missing)).isNull();

        long poison = Instructions.of(Instructions.CALL, 0, 0, 0, CoreRelocator.POISON_HELPER);
        assertThat(insns).containsExactly(poison, poison);
    }

    @Test
    void anInstructionNotHoldingClangsValueIsRefused() {
        long[] insns = {Instructions.of(LDX_W, 1, 2, 12, 0)};

        assertThat(CoreRelocator.patch(insns, 0, resolve("0:0", CoreKind.FIELD_BYTE_OFFSET)))
                .contains("has offset 12 where clang's value is 0");
    }

    @Test
    void anAluInstructionOnARegisterIsRefused() {
        long[] insns = {Instructions.of(MOV64_X, 1, 2, 0, 0)};

        assertThat(CoreRelocator.patch(insns, 0, resolve("0:0", CoreKind.FIELD_BYTE_OFFSET))).contains("on a register");
    }
}
