package dev.bpfglobals.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.contract.ValueType;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a hash map's key bytes become label values, from the key's BTF as {@link ValueType} describes it. */
class MapKeyLabelsTest {

    private static final ValueType.Int U32 = new ValueType.Int("__u32", 4, false, false, 0, 32);
    private static final ValueType.Int S16 = new ValueType.Int("__s16", 2, true, false, 0, 16);
    private static final ValueType.Int CHAR = new ValueType.Int("__s8", 1, true, false, 0, 8);
    private static final ValueType.Int U8 = new ValueType.Int("__u8", 1, false, false, 0, 8);

    private static ValueType.Field field(String name, long byteOffset, ValueType type) {
        return new ValueType.Field(name, byteOffset * 8, 0, type);
    }

    private static MapKeyLabels labels(ValueType key, List<String> names) {
        return MapKeyLabels.of("m", Optional.of(key), (int) key.size(), names, List.of("source"));
    }

    @Test
    void eachStructMemberIsALabelNamedAfterIt() {
        ValueType.Struct key = new ValueType.Struct("struct k", 12, false, List.of(field("id", 0, U32), field("delta", 4, S16),
                field("addr", 6, new ValueType.Array("__u8[4]", U8, 4)), field("tag", 10, new ValueType.Array("char[2]", CHAR, 2))));
        byte[] bytes = {7, 0, 0, 0, (byte) 0xfe, (byte) 0xff, 10, 0, 0, 1, 'o', 'k'};

        MapKeyLabels labels = labels(key, List.of());

        assertThat(labels.names()).containsExactly("id", "delta", "addr", "tag");
        assertThat(labels.values(MemorySegment.ofArray(bytes))).containsExactly("7", "-2", "0a000001", "ok");
    }

    @Test
    void aCharArrayIsItsUtf8TextToTheFirstNulWithBadBytesAndControlsEscaped() {
        assertThat(MapKeyLabels.string(MemorySegment.ofArray("héllo\0junk".getBytes(StandardCharsets.UTF_8)))).isEqualTo("héllo");
        assertThat(MapKeyLabels.string(MemorySegment.ofArray(new byte[] {'d', (byte) 0xff, 0, 'x'}))).isEqualTo("d\\xff");
        assertThat(MapKeyLabels.string(MemorySegment.ofArray(new byte[] {'a', 1, 'b'}))).isEqualTo("a\\x01b");
        assertThat(MapKeyLabels.string(MemorySegment.ofArray(new byte[] {(byte) 0xc3}))).as("a cut multi-byte sequence").isEqualTo("\\xc3");
    }

    @Test
    void aBitfieldIsReadFromItsBits() {
        ValueType.Struct key = new ValueType.Struct("struct b", 4, false, List.of(
                new ValueType.Field("low", 0, 3, U32), new ValueType.Field("high", 3, 13, U32)));
        // low = 5 (bits 0-2), high = 4097 (bits 3-15): 5 | 4097 << 3
        int packed = 5 | 4097 << 3;
        byte[] bytes = {(byte) packed, (byte) (packed >> 8), 0, 0};

        assertThat(labels(key, List.of()).values(MemorySegment.ofArray(bytes))).containsExactly("5", "4097");
    }

    @Test
    void anEnumIsItsConstantsNameOrItsNumber() {
        ValueType.Enum verdict = new ValueType.Enum("enum v", 4, false, List.of(new ValueType.Constant("PASS", 2)));

        MapKeyLabels labels = labels(verdict, List.of("verdict"));

        assertThat(labels.values(MemorySegment.ofArray(new byte[] {2, 0, 0, 0}))).containsExactly("PASS");
        assertThat(labels.values(MemorySegment.ofArray(new byte[] {9, 0, 0, 0}))).containsExactly("9");
    }

    @Test
    void aScalarKeyIsOneLabelNamedKeyAndAnUnsignedValuePastTheSignBitStaysPositive() {
        ValueType.Int u64 = new ValueType.Int("__u64", 8, false, false, 0, 64);
        byte[] max = {-1, -1, -1, -1, -1, -1, -1, -1};

        MapKeyLabels labels = labels(u64, List.of());

        assertThat(labels.names()).containsExactly("key");
        assertThat(labels.values(MemorySegment.ofArray(max))).containsExactly("18446744073709551615");
    }

    @Test
    void withoutBtfAKeyOfOneToEightBytesIsAnUnsignedInteger() {
        MapKeyLabels labels = MapKeyLabels.of("m", Optional.empty(), 2, List.of("port"), List.of());

        assertThat(labels.values(MemorySegment.ofArray(new byte[] {(byte) 0xbb, 0x01}))).containsExactly("443");
        assertThatThrownBy(() -> MapKeyLabels.of("m", Optional.empty(), 12, List.of(), List.of()))
                .hasMessageContaining("has no BTF key type and a 12-byte key");
    }

    @Test
    void whatCannotBeALabelIsRefusedNamingIt() {
        ValueType.Struct nested = new ValueType.Struct("struct k", 8, false, List.of(field("id", 0, U32),
                field("inner", 4, new ValueType.Struct("struct in", 4, false, List.of(field("x", 0, U32))))));
        ValueType.Struct two = new ValueType.Struct("struct t", 8, false, List.of(field("a", 0, U32), field("b", 4, U32)));

        assertThatThrownBy(() -> labels(nested, List.of()))
                .hasMessage("map 'm': key member 'inner' of struct k is a struct in; only integers, enums and byte arrays become labels");
        assertThatThrownBy(() -> labels(two, List.of("only")))
                .hasMessage("map 'm': labels= names 1 labels but its key has 2 parts (a, b)");
        assertThatThrownBy(() -> labels(two, List.of("a", "source"))).hasMessageContaining("label 'source' is used twice");
        assertThatThrownBy(() -> labels(two, List.of("a", "1b"))).hasMessageContaining("'1b' is not a Prometheus label name");
    }
}
