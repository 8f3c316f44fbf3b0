package dev.bpfglobals.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.attach.UsdtArgument.Kind;
import dev.bpfglobals.runtime.kernel.MapInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * x86-64 USDT argument specs parsed into {@code struct __bpf_usdt_arg_spec} as libbpf parses them
 * (HotSpot's own among them), the 208-byte {@code struct __bpf_usdt_spec}, the refusals, and spec
 * ids handed out and given back.
 */
class UsdtSpecTest {

    private static final String PROBE = "hotspot:thread__start";

    @Test
    void aRegisterArgumentNamesItsPtRegsSlotByAnyOfItsNames() {
        assertThat(UsdtArgument.parse(PROBE, 0, "8@%r13")).isEqualTo(new UsdtArgument(Kind.REGISTER, 0, (short) 16, false, (byte) 0));
        assertThat(UsdtArgument.parse(PROBE, 1, "-4@%r14d")).isEqualTo(new UsdtArgument(Kind.REGISTER, 0, (short) 8, true, (byte) 32));
        assertThat(UsdtArgument.parse(PROBE, 0, "1@%dil")).isEqualTo(new UsdtArgument(Kind.REGISTER, 0, (short) 112, false, (byte) 56));
        assertThat(UsdtArgument.parse(PROBE, 4, "1@%al")).isEqualTo(new UsdtArgument(Kind.REGISTER, 0, (short) 80, false, (byte) 56));
        assertThat(UsdtArgument.parse(PROBE, 0, "2@%cx").registerOffset()).isEqualTo((short) 88);
        assertThat(UsdtArgument.parse(PROBE, 0, "8@%rsp").registerOffset()).isEqualTo((short) 152);
        assertThat(UsdtArgument.parse(PROBE, 0, "8@%r8").registerOffset()).isEqualTo((short) 72);
        assertThat(UsdtArgument.parse(PROBE, 0, "8@%r11w").registerOffset()).isEqualTo((short) 48);
        assertThat(UsdtArgument.parse(PROBE, 0, "8@%r15b").registerOffset()).isEqualTo((short) 0);
        assertThat(UsdtArgument.parse(PROBE, 0, "8@%rbp").registerOffset()).isEqualTo((short) 32);
        assertThat(UsdtArgument.parse(PROBE, 0, "8@%ebx").registerOffset()).isEqualTo((short) 40);
    }

    @Test
    void aMemoryArgumentKeepsItsOffsetAndBaseRegister() {
        assertThat(UsdtArgument.parse(PROBE, 2, "-8@-64(%rbp)")).isEqualTo(new UsdtArgument(Kind.MEMORY, -64, (short) 32, true, (byte) 0));
        assertThat(UsdtArgument.parse(PROBE, 3, "8@-56(%rbp)")).isEqualTo(new UsdtArgument(Kind.MEMORY, -56, (short) 32, false, (byte) 0));
        assertThat(UsdtArgument.parse(PROBE, 0, "-8@8(%rsp)")).isEqualTo(new UsdtArgument(Kind.MEMORY, 8, (short) 152, true, (byte) 0));
        assertThat(UsdtArgument.parse(PROBE, 0, "4@(%rax)")).isEqualTo(new UsdtArgument(Kind.MEMORY, 0, (short) 80, false, (byte) 32));
    }

    @Test
    void aConstantArgumentKeepsItsValueAndSign() {
        assertThat(UsdtArgument.parse(PROBE, 0, "1@$1")).isEqualTo(new UsdtArgument(Kind.CONSTANT, 1, (short) 0, false, (byte) 56));
        assertThat(UsdtArgument.parse(PROBE, 0, "-4@$-7")).isEqualTo(new UsdtArgument(Kind.CONSTANT, -7, (short) 0, true, (byte) 32));
    }

    @Test
    void hotspotsThreadStartParsesIntoFiveArguments() {
        UsdtSpec spec = UsdtSpec.parse(PROBE, "8@%r13 -4@%r14d -8@-64(%rbp) 8@-56(%rbp) 1@%al", 0);
        assertThat(spec.arguments()).extracting(UsdtArgument::kind)
                .containsExactly(Kind.REGISTER, Kind.REGISTER, Kind.MEMORY, Kind.MEMORY, Kind.REGISTER);
        assertThat(UsdtSpec.parse(PROBE, "", 0).arguments()).isEmpty();
    }

    @Test
    void theSpecIsLaidOutAsStructBpfUsdtSpec() {
        byte[] bytes = UsdtSpec.parse(PROBE, "-4@%r14d -8@-64(%rbp)", 0x1122334455L).bytes();
        ByteBuffer spec = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        assertThat(bytes).hasSize(208);
        assertThat(spec.getLong(0)).as("args[0].val_off").isZero();
        assertThat(spec.getInt(8)).as("args[0].arg_type: BPF_USDT_ARG_REG").isEqualTo(1);
        assertThat(spec.getShort(12)).as("args[0].reg_off: r14").isEqualTo((short) 8);
        assertThat(spec.get(14)).as("args[0].arg_signed").isEqualTo((byte) 1);
        assertThat(spec.get(15)).as("args[0].arg_bitshift").isEqualTo((byte) 32);
        assertThat(spec.getLong(16)).as("args[1].val_off").isEqualTo(-64);
        assertThat(spec.getInt(24)).as("args[1].arg_type: BPF_USDT_ARG_REG_DEREF").isEqualTo(2);
        assertThat(spec.getShort(28)).as("args[1].reg_off: rbp").isEqualTo((short) 32);
        assertThat(spec.getLong(192)).as("usdt_cookie").isEqualTo(0x1122334455L);
        assertThat(spec.getShort(200)).as("arg_cnt").isEqualTo((short) 2);
    }

    @Test
    void anUnknownRegisterIsRefusedNamingIt() {
        assertThatThrownBy(() -> UsdtArgument.parse(PROBE, 1, "8@%xmm0"))
                .hasMessage("USDT probe hotspot:thread__start: argument 1 '8@%xmm0' is register %xmm0 is not one usdt.bpf.h "
                        + "reads from struct pt_regs");
    }

    @Test
    void aSizeOtherThanOneTwoFourOrEightIsRefused() {
        assertThatThrownBy(() -> UsdtArgument.parse(PROBE, 0, "3@%rax"))
                .hasMessage("USDT probe hotspot:thread__start: argument 0 '3@%rax' is size 3 is not 1, 2, 4 or 8 bytes "
                        + "(negative for signed)");
    }

    @Test
    void aScaledIndexOperandIsRefusedAsUnsupported() {
        assertThatThrownBy(() -> UsdtArgument.parse(PROBE, 2, "-4@-8(%rbp,%rax,4)"))
                .hasMessage("USDT probe hotspot:thread__start: argument 2 '-4@-8(%rbp,%rax,4)' is a scaled-index memory "
                        + "operand, which usdt.bpf.h (libbpf 1.1) cannot read");
    }

    @Test
    void aGlobalVariableOperandIsRefusedAsUnsupported() {
        assertThatThrownBy(() -> UsdtArgument.parse(PROBE, 0, "8@counter(%rip)"))
                .hasMessage("USDT probe hotspot:thread__start: argument 0 '8@counter(%rip)' is an operand relative to %rip "
                        + "(a global variable), which usdt.bpf.h cannot read");
    }

    @Test
    void aConstantBeyondSixtyFourBitsIsRefusedNamingIt() {
        assertThatThrownBy(() -> UsdtArgument.parse(PROBE, 0, "8@$18446744073709551616"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("USDT probe hotspot:thread__start: argument 0 '8@$18446744073709551616' is a number "
                        + "beyond 64 bits");
    }

    @Test
    void somethingElseIsRefusedNamingTheExpectedForms() {
        assertThatThrownBy(() -> UsdtArgument.parse(PROBE, 0, "rax"))
                .hasMessage("USDT probe hotspot:thread__start: argument 0 'rax' is not an x86-64 USDT argument "
                        + "(expected N@$CONST, N@%REG, N@OFFSET(%REG))");
    }

    @Test
    void moreThanTwelveArgumentsAreRefused() {
        String thirteen = String.join(" ", java.util.Collections.nCopies(13, "8@%rax"));
        assertThatThrownBy(() -> UsdtSpec.parse(PROBE, thirteen, 0))
                .hasMessageStartingWith("USDT probe hotspot:thread__start has more than 12 arguments");
    }

    @Test
    void aSitesAddressInAProcessIsWhereItsExecutableMappingPutsItsFileOffset() {
        List<String> maps = List.of(
                "7f0000000000-7f0000001000 r--p 00000000 fd:01 42 /usr/lib/libprobed.so",
                "7f0000001000-7f0000005000 r-xp 00001000 fd:01 42 /usr/lib/libprobed.so",
                "7f0000010000-7f0000011000 r-xp 00001000 fd:01 43 /usr/lib/libother.so");
        assertThat(UsdtAddresses.mapped(maps, "/usr/lib/libprobed.so", 0x1234)).hasValue(0x7f0000001234L);
        assertThat(UsdtAddresses.mapped(maps, "/usr/lib/libprobed.so", 0x800)).as("only in a non-executable mapping").isEmpty();
        assertThat(UsdtAddresses.mapped(maps, "/usr/lib/libprobed.so", 0x5000)).as("past the mapping").isEmpty();
        assertThat(UsdtAddresses.mapped(maps, "/usr/lib/libmissing.so", 0x1234)).isEmpty();
    }

    @Test
    void specIdsRunOutAtTheMapsSizeAndComeBackWhenReleased() {
        MapInfo specs = new MapInfo(-424242, 2, 4, 208, 4, 0, "__bpf_usdt_spec", 0, 0, 0, 0);
        assertThat(UsdtSpecMaps.allocate(specs, 3, "first")).containsExactly(0, 1, 2);
        assertThatThrownBy(() -> UsdtSpecMaps.allocate(specs, 2, "second"))
                .hasMessage("second needs 2 argument specs, but map __bpf_usdt_specs has 1 of its 4 free; define "
                        + "BPF_USDT_MAX_SPEC_CNT larger before including usdt.bpf.h, or close other USDT links");
        UsdtSpecMaps.release(specs.id(), List.of(0, 2));
        assertThat(UsdtSpecMaps.allocate(specs, 3, "third")).containsExactly(0, 2, 3);
        UsdtSpecMaps.release(specs.id(), List.of(0, 1, 2, 3));
    }
}
