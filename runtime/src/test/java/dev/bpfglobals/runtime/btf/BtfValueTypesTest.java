package dev.bpfglobals.runtime.btf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.contract.ValueType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BTF as the public value-type description: typedefs seen through, offsets and signedness kept. */
class BtfValueTypesTest {

    private final BtfBuilder types = new BtfBuilder();

    @Test
    void typedefsAreSeenThroughAndKeepTheirContractSpelling() {
        int charType = types.add(new BtfType.Int("char", 1, BtfType.Int.SIGNED | BtfType.Int.CHAR, 0, 8));
        int index = types.add(BtfType.Int.of("__ARRAY_SIZE_TYPE__", 4, false));
        int array = types.add(new BtfType.Array(charType, index, 4));
        int name = types.add(new BtfType.Typedef("name_t", array));

        ValueType type = BtfValueTypes.of(types.build(), name);

        assertThat(type).isInstanceOfSatisfying(ValueType.Array.class, a -> {
            assertThat(a.length()).isEqualTo(4);
            assertThat(a.size()).isEqualTo(4);
            assertThat(a.element()).isEqualTo(new ValueType.Int("__s8", 1, true, false, 0, 8));
        });
    }

    @Test
    void aDatasecIsASectionOfItsVariablesWithStructFieldsAtTheirBitOffsets() {
        int u32 = types.add(BtfType.Int.of("unsigned int", 4, false));
        int u8 = types.add(BtfType.Int.of("unsigned char", 1, false));
        int pair = types.add(new BtfType.Union("pair", 4, List.of(new BtfType.Member("word", u32, 0, 0),
                new BtfType.Member("low", u8, 0, 3))));
        int var = types.add(new BtfType.Var("limits", pair, BtfType.Linkage.GLOBAL));
        int datasec = types.add(new BtfType.Datasec(".data", 8, List.of(new BtfType.VarSecinfo(var, 4, 4))));

        ValueType.Section section = (ValueType.Section) BtfValueTypes.of(types.build(), datasec);

        assertThat(section.cName()).isEqualTo(".data");
        assertThat(section.variables()).singleElement().satisfies(v -> {
            assertThat(v.name()).isEqualTo("limits");
            assertThat(v.offset()).isEqualTo(4);
            assertThat(v.type()).isInstanceOfSatisfying(ValueType.Struct.class, s -> {
                assertThat(s.union()).isTrue();
                assertThat(s.cName()).isEqualTo("union pair");
                assertThat(s.fields()).extracting(ValueType.Field::name).containsExactly("word", "low");
                assertThat(s.fields().get(1).bitfieldSize()).isEqualTo(3);
            });
        });
    }

    @Test
    void unsignedEnumConstantsAreNonNegative() {
        int proto = types.add(new BtfType.Enum("proto", 4, false, List.of(new BtfType.EnumValue("ALL", -1))));

        ValueType.Enum type = (ValueType.Enum) BtfValueTypes.of(types.build(), proto);

        assertThat(type.signed()).isFalse();
        assertThat(type.constants()).containsExactly(new ValueType.Constant("ALL", 4294967295L));
    }
}
