package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.btf.Btf;
import dev.bpfglobals.runtime.btf.BtfBuilder;
import dev.bpfglobals.runtime.btf.BtfType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code dump --json} spells each kind of value, from hand-built BTF and bytes. */
class BtfJsonTest {

    private final BtfBuilder types = new BtfBuilder();

    private String decode(int type, ByteBuffer bytes) {
        Btf btf = types.build();
        return new BtfJson(btf, bytes.array()).value(type, 0);
    }

    private static ByteBuffer bytes(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void unsignedSixtyFourBitValuesBeyondLongMaxAreExactDecimals() {
        int u64 = types.add(BtfType.Int.of("unsigned long long", 8, false));

        assertThat(decode(u64, bytes(8).putLong(0, -1L))).isEqualTo("18446744073709551615");
        assertThat(decode(u64, bytes(8).putLong(0, Long.MIN_VALUE))).isEqualTo("9223372036854775808");
    }

    @Test
    void signedIntegersAreNegativeWhereTheirSignBitIsSet() {
        int s8 = types.add(BtfType.Int.of("signed char", 1, true));
        int s64 = types.add(BtfType.Int.of("long long", 8, true));
        int u16 = types.add(BtfType.Int.of("unsigned short", 2, false));

        assertThat(decode(s8, bytes(1).put(0, (byte) -3))).isEqualTo("-3");
        assertThat(decode(s64, bytes(8).putLong(0, Long.MIN_VALUE))).isEqualTo("-9223372036854775808");
        assertThat(decode(u16, bytes(2).putShort(0, (short) -1))).isEqualTo("65535");
    }

    @Test
    void boolsAreTrueOrFalse() {
        int bool = types.add(new BtfType.Int("_Bool", 1, BtfType.Int.BOOL, 0, 8));

        assertThat(decode(bool, bytes(1).put(0, (byte) 1))).isEqualTo("true");
        assertThat(decode(bool, bytes(1))).isEqualTo("false");
    }

    @Test
    void charArraysAreListsOfNumbersAndTypedefsAreSeenThrough() {
        int charType = types.add(new BtfType.Int("char", 1, BtfType.Int.SIGNED | BtfType.Int.CHAR, 0, 8));
        int index = types.add(BtfType.Int.of("__ARRAY_SIZE_TYPE__", 4, false));
        int array = types.add(new BtfType.Array(charType, index, 4));
        int name = types.add(new BtfType.Typedef("name_t", array));

        assertThat(decode(name, bytes(4).put(0, (byte) 'h').put(1, (byte) 'i'))).isEqualTo("[104, 105, 0, 0]");
    }

    @Test
    void structsAndUnionsAreObjectsAndAnonymousMembersAppearInTheirParent() {
        int u32 = types.add(BtfType.Int.of("unsigned int", 4, false));
        int u8 = types.add(BtfType.Int.of("unsigned char", 1, false));
        int inner = types.add(new BtfType.Union("", 4, List.of(new BtfType.Member("word", u32, 0, 0),
                new BtfType.Member("low", u8, 0, 0))));
        int point = types.add(new BtfType.Struct("point", 8, List.of(new BtfType.Member("x", u32, 0, 0),
                new BtfType.Member("", inner, 32, 0))));
        int anonymous = types.add(new BtfType.Struct("", 12, List.of(new BtfType.Member("at", point, 0, 0),
                new BtfType.Member("flags", u8, 64, 0))));

        ByteBuffer value = bytes(12).putInt(0, 7).putInt(4, 0x1ff).put(8, (byte) 3);
        assertThat(decode(anonymous, value)).isEqualTo("{\"at\": {\"x\": 7, \"word\": 511, \"low\": 255}, \"flags\": 3}");
    }

    @Test
    void bitfieldsAreTheirBitsSignExtendedWhereSigned() {
        int s32 = types.add(BtfType.Int.of("int", 4, true));
        int u32 = types.add(BtfType.Int.of("unsigned int", 4, false));
        int flags = types.add(new BtfType.Struct("flags", 4, List.of(new BtfType.Member("on", u32, 0, 1),
                new BtfType.Member("level", s32, 1, 3), new BtfType.Member("rest", u32, 4, 28))));

        // on = 1, level = 0b111 = -1 as a signed 3-bit field, rest = 0xabcdef0
        assertThat(decode(flags, bytes(4).putInt(0, 0xabcdef0f))).isEqualTo("{\"on\": 1, \"level\": -1, \"rest\": 180150000}");
    }

    @Test
    void enumsAreNumbersBySignedness() {
        int signed = types.add(new BtfType.Enum("mode", 4, true, List.of(new BtfType.EnumValue("OFF", -1))));
        int unsigned = types.add(new BtfType.Enum("proto", 4, false, List.of()));

        assertThat(decode(signed, bytes(4).putInt(0, -1))).isEqualTo("-1");
        assertThat(decode(unsigned, bytes(4).putInt(0, -1))).isEqualTo("4294967295");
    }

    @Test
    void aDatasecIsAnObjectOfItsVariablesAndNamesAreEscaped() {
        int u16 = types.add(BtfType.Int.of("unsigned short", 2, false));
        int var = types.add(new BtfType.Var("odd\"name", u16, BtfType.Linkage.GLOBAL));
        int datasec = types.add(new BtfType.Datasec(".data", 4, List.of(new BtfType.VarSecinfo(var, 2, 2))));

        assertThat(decode(datasec, bytes(4).putShort(2, (short) 9))).isEqualTo("{\"odd\\\"name\": 9}");
    }

    @Test
    void floatsAreNumbersAndNotANumberAString() {
        int f32 = types.add(new BtfType.Float("float", 4));
        int f64 = types.add(new BtfType.Float("double", 8));

        assertThat(decode(f32, bytes(4).putFloat(0, 1.5f))).isEqualTo("1.5");
        assertThat(decode(f64, bytes(8).putDouble(0, Double.NaN))).isEqualTo("\"NaN\"");
    }
}
