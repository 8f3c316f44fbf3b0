package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.contract.ValueType;
import dev.bpfglobals.contract.ValueType.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code dump --json} spells each kind of value, from hand-built value types and bytes. */
class ValueJsonTest {

    private static String decode(ValueType type, ByteBuffer bytes) {
        return new ValueJson(bytes.array()).value(type, 0);
    }

    private static ByteBuffer bytes(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ValueType.Int integer(String cName, int size, boolean signed) {
        return new ValueType.Int(cName, size, signed, false, 0, size * 8);
    }

    @Test
    void unsignedSixtyFourBitValuesBeyondLongMaxAreExactDecimals() {
        ValueType u64 = integer("__u64", 8, false);

        assertThat(decode(u64, bytes(8).putLong(0, -1L))).isEqualTo("18446744073709551615");
        assertThat(decode(u64, bytes(8).putLong(0, Long.MIN_VALUE))).isEqualTo("9223372036854775808");
    }

    @Test
    void signedIntegersAreNegativeWhereTheirSignBitIsSet() {
        ValueType s8 = integer("__s8", 1, true);
        ValueType s64 = integer("__s64", 8, true);
        ValueType u16 = integer("__u16", 2, false);

        assertThat(decode(s8, bytes(1).put(0, (byte) -3))).isEqualTo("-3");
        assertThat(decode(s64, bytes(8).putLong(0, Long.MIN_VALUE))).isEqualTo("-9223372036854775808");
        assertThat(decode(u16, bytes(2).putShort(0, (short) -1))).isEqualTo("65535");
    }

    @Test
    void boolsAreTrueOrFalse() {
        ValueType bool = new ValueType.Int("_Bool", 1, false, true, 0, 8);

        assertThat(decode(bool, bytes(1).put(0, (byte) 1))).isEqualTo("true");
        assertThat(decode(bool, bytes(1))).isEqualTo("false");
    }

    @Test
    void charArraysAreListsOfNumbers() {
        ValueType name = new ValueType.Array("__s8[4]", integer("__s8", 1, true), 4);

        assertThat(decode(name, bytes(4).put(0, (byte) 'h').put(1, (byte) 'i'))).isEqualTo("[104, 105, 0, 0]");
    }

    @Test
    void structsAndUnionsAreObjectsAndAnonymousMembersAppearInTheirParent() {
        ValueType u32 = integer("__u32", 4, false);
        ValueType u8 = integer("__u8", 1, false);
        ValueType inner = new ValueType.Struct("union <anonymous>", 4, true,
                List.of(new Field("word", 0, 0, u32), new Field("low", 0, 0, u8)));
        ValueType point = new ValueType.Struct("struct point", 8, false,
                List.of(new Field("x", 0, 0, u32), new Field("", 32, 0, inner)));
        ValueType anonymous = new ValueType.Struct("struct <anonymous>", 12, false,
                List.of(new Field("at", 0, 0, point), new Field("flags", 64, 0, u8)));

        ByteBuffer value = bytes(12).putInt(0, 7).putInt(4, 0x1ff).put(8, (byte) 3);
        assertThat(decode(anonymous, value)).isEqualTo("{\"at\": {\"x\": 7, \"word\": 511, \"low\": 255}, \"flags\": 3}");
    }

    @Test
    void bitfieldsAreTheirBitsSignExtendedWhereSigned() {
        ValueType s32 = integer("__s32", 4, true);
        ValueType u32 = integer("__u32", 4, false);
        ValueType flags = new ValueType.Struct("struct flags", 4, false, List.of(new Field("on", 0, 1, u32),
                new Field("level", 1, 3, s32), new Field("rest", 4, 28, u32)));

        // on = 1, level = 0b111 = -1 as a signed 3-bit field, rest = 0xabcdef0
        assertThat(decode(flags, bytes(4).putInt(0, 0xabcdef0f))).isEqualTo("{\"on\": 1, \"level\": -1, \"rest\": 180150000}");
    }

    @Test
    void enumsAreNumbersBySignedness() {
        ValueType signed = new ValueType.Enum("enum mode", 4, true, List.of(new ValueType.Constant("OFF", -1)));
        ValueType unsigned = new ValueType.Enum("enum proto", 4, false, List.of());

        assertThat(decode(signed, bytes(4).putInt(0, -1))).isEqualTo("-1");
        assertThat(decode(unsigned, bytes(4).putInt(0, -1))).isEqualTo("4294967295");
    }

    @Test
    void aSectionIsAnObjectOfItsVariablesAndNamesAreEscaped() {
        ValueType data = new ValueType.Section(".data", 4,
                List.of(new ValueType.Variable("odd\"name", 2, 2, integer("__u16", 2, false))));

        assertThat(decode(data, bytes(4).putShort(2, (short) 9))).isEqualTo("{\"odd\\\"name\": 9}");
    }

    @Test
    void floatsAreNumbersAndNotANumberAString() {
        ValueType f32 = new ValueType.Float("float", 4);
        ValueType f64 = new ValueType.Float("double", 8);

        assertThat(decode(f32, bytes(4).putFloat(0, 1.5f))).isEqualTo("1.5");
        assertThat(decode(f64, bytes(8).putDouble(0, Double.NaN))).isEqualTo("\"NaN\"");
    }
}
