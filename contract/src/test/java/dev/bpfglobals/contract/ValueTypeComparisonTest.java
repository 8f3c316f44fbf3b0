package dev.bpfglobals.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The first difference between the C type a codec expects and a map's BTF, named in one line. */
class ValueTypeComparisonTest {

    private static final ValueType U32 = new ValueType.Int("__u32", 4, false, false, 0, 32);
    private static final ValueType S32 = new ValueType.Int("int", 4, true, false, 0, 32);
    private static final ValueType U16 = new ValueType.Int("__u16", 2, false, false, 0, 16);

    private static ValueType.Field field(String name, long offset, ValueType type) {
        return new ValueType.Field(name, offset * 8, 0, type);
    }

    private static ValueType.Struct struct(String name, long size, ValueType.Field... fields) {
        return new ValueType.Struct(name, size, false, List.of(fields));
    }

    private static final ValueType.Struct KEY = struct("struct key", 8, field("addr", 0, U32), field("port", 4, U16));

    @Test
    void equalLayoutsUnderOtherNamesAgree() {
        ValueType.Struct typedef = struct("key_t", 8, field("addr", 0, new ValueType.Int("unsigned int", 4, false, false, 0, 32)),
                field("port", 4, U16));
        assertThat(ValueTypeComparison.firstDifference(KEY, typedef)).isEmpty();
    }

    @Test
    void aMovedMemberIsNamedWithBothOffsets() {
        ValueType.Struct moved = struct("struct key", 8, field("addr", 0, U32), field("port", 6, U16));
        assertThat(ValueTypeComparison.firstDifference(KEY, moved)).contains("field 'port': offset 4 expected, BTF has 6");
    }

    @Test
    void aRenamedMemberIsNamedByPosition() {
        ValueType.Struct renamed = struct("struct key", 8, field("daddr", 0, U32), field("port", 4, U16));
        assertThat(ValueTypeComparison.firstDifference(KEY, renamed)).contains("member 1 is 'addr' expected, BTF has 'daddr'");
    }

    @Test
    void signednessIsADifference() {
        ValueType.Struct signed = struct("struct key", 8, field("addr", 0, S32), field("port", 4, U16));
        assertThat(ValueTypeComparison.firstDifference(KEY, signed))
                .contains("field 'addr': __u32 expected, BTF has int (signedness differs; @Unsigned decides it)");
    }

    @Test
    void aMissingMemberIsNamed() {
        ValueType.Struct shorter = struct("struct key", 8, field("addr", 0, U32));
        assertThat(ValueTypeComparison.firstDifference(KEY, shorter)).contains("2 members expected, BTF has 1 (no 'port')");
    }

    @Test
    void aNestedDifferenceNamesTheMembersPath() {
        ValueType.Struct outer = struct("struct flow", 16, field("id", 0, U32), field("key", 8, KEY));
        ValueType.Struct other = struct("struct flow", 16, field("id", 0, U32),
                field("key", 8, struct("struct key", 8, field("addr", 0, U32), field("port", 4, U32))));
        assertThat(ValueTypeComparison.firstDifference(outer, other))
                .contains("field 'key.port': 2 bytes (__u16) expected, BTF has 4 (__u32)");
    }

    @Test
    void anArrayOfAnotherLengthIsNamed() {
        ValueType four = new ValueType.Array("__u32[4]", U32, 4);
        ValueType two = new ValueType.Array("__u64[2]", new ValueType.Int("__u64", 8, false, false, 0, 64), 2);
        assertThat(ValueTypeComparison.firstDifference(four, two)).contains("4 elements expected, BTF has 2");
    }

    @Test
    void aStructWhereAnIntegerIsExpectedIsAKindDifference() {
        assertThat(ValueTypeComparison.firstDifference(new ValueType.Int("__u64", 8, false, false, 0, 64), KEY))
                .contains("integer __u64 expected, BTF has struct key");
    }
}
