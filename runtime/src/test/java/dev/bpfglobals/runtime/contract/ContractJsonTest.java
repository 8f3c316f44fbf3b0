package dev.bpfglobals.runtime.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bpfglobals.runtime.MapType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The contract file format; the processor's own output is parsed in the processor's tests. */
class ContractJsonTest {

    private static final String CONTRACT = """
            {"record": "a.B", "sections": [{"name": ".percpu", "mapType": "PERCPU_ARRAY", "keySize": 4,
              "valueSize": 12, "maxEntries": 1, "alignment": 8, "variables": [
                {"name": "packets", "cType": "__u64", "offset": 0, "size": 8, "alignment": 8},
                {"name": "drops", "cType": "__u32", "offset": 8, "size": 4, "alignment": 4}]}]}
            """;

    @Test
    void parsesEverySectionAndVariableField() {
        GlobalsContract contract = ContractJson.parse(CONTRACT);

        assertThat(contract.record()).isEqualTo("a.B");
        SectionContract section = contract.section(".percpu").orElseThrow();
        assertThat(section.mapType()).isEqualTo(MapType.PERCPU_ARRAY);
        assertThat(section.valueSize()).isEqualTo(12);
        assertThat(section.variables()).containsExactly(new VariableContract("packets", "__u64", 0, 8, 8),
                new VariableContract("drops", "__u32", 8, 4, 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[]", "{\"record\": 1, \"sections\": []}", "{\"record\": \"a\"}",
        "{\"record\": \"a\", \"sections\": [1]}", "{\"record\": \"a\", \"sections\": []} x",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "{\"record\": \"a\", \"sections\": [{\"name\": \".percpu\", \"mapType\": \"NOPE\"}]}"})
    void malformedContractsFailNamingTheProblem(String json) {
        assertThatThrownBy(() -> ContractJson.parse(json)).isInstanceOf(IllegalArgumentException.class)
                .satisfiesAnyOf(e -> assertThat(e).hasMessageContaining("contract JSON"),
                        e -> assertThat(e).hasMessageContaining("mapType"));
    }
}
