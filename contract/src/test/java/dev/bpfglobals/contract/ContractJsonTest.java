package dev.bpfglobals.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The contract file format; the processor's own output is parsed and rewritten in the processor's tests. */
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

    @Test
    void writtenContractParsesBackEqual() {
        GlobalsContract contract = new GlobalsContract("a.\"Quoted\"\\Name", List.of(
                ContractJson.parse(CONTRACT).sections().get(0),
                new SectionContract(".data", MapType.ARRAY, 4, 1, 1, 1, List.of(new VariableContract("on", "_Bool", 0, 1, 1)))));

        assertThat(ContractJson.parse(ContractJson.write(contract))).isEqualTo(contract);
    }

    @Test
    void aVariablesMetricKindIsOptionalAndRoundTrips() {
        String withKinds = CONTRACT.replace("\"alignment\": 8}", "\"alignment\": 8, \"metric\": \"counter\"}");
        GlobalsContract contract = ContractJson.parse(withKinds);

        List<VariableContract> variables = contract.sections().get(0).variables();
        assertThat(variables.get(0).metric()).isEqualTo(MetricKind.COUNTER);
        assertThat(variables.get(1).metric()).as("absent: the contract does not say").isNull();
        assertThat(ContractJson.parse(ContractJson.write(contract))).isEqualTo(contract);
    }

    @Test
    void aMetricKindOtherThanCounterOrGaugeIsRefusedWithItsPath() {
        String bad = CONTRACT.replace("\"alignment\": 8}", "\"alignment\": 8, \"metric\": \"histogram\"}");

        assertThatThrownBy(() -> ContractJson.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("contract JSON: sections[0].variables[0]: \"metric\" must be \"counter\", \"gauge\" or \"log2-histogram\"");
    }

    @Test
    void unknownKeysAndLiteralsAreIgnoredSoNewerContractsStillRead() {
        String newer = CONTRACT.replace("\"record\": \"a.B\",", "\"record\": \"a.B\", \"version\": 2, \"generated\": true, \"note\": null,");

        assertThat(ContractJson.parse(newer)).isEqualTo(ContractJson.parse(CONTRACT));
    }

    @Test
    void syntaxErrorNamesLineAndColumn() {
        String broken = CONTRACT.replace("\"offset\": 8", "\"offset\" 8");

        assertThatThrownBy(() -> ContractJson.parse(broken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("contract JSON: expected ':' at line 4, column 50");
    }

    @Test
    void missingOrMistypedFieldNamesItsPath() {
        String missing = CONTRACT.replace("\"cType\": \"__u32\", ", "");
        String mistyped = CONTRACT.replace("\"size\": 8", "\"size\": \"8\"");

        assertThatThrownBy(() -> ContractJson.parse(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("contract JSON: sections[0].variables[1]: \"cType\" must be a string");
        assertThatThrownBy(() -> ContractJson.parse(mistyped)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("contract JSON: sections[0].variables[0]: \"size\" must be a 32-bit integer");
    }

    @Test
    void impossibleLayoutNamesItsPath() {
        String zeroSize = CONTRACT.replace("\"size\": 4", "\"size\": 0");

        assertThatThrownBy(() -> ContractJson.parse(zeroSize)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("contract JSON: sections[0].variables[1]: variable 'drops'");
    }

    @Test
    void duplicateKeyIsRefused() {
        assertThatThrownBy(() -> ContractJson.parse("{\"record\": \"a\", \"record\": \"b\", \"sections\": []}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate key \"record\"");
    }

    @Test
    void deepNestingIsRefusedWithoutOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);

        assertThatThrownBy(() -> ContractJson.parse(deep)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nested deeper than 16");
    }

    @Test
    void oversizedInputIsRefusedBeforeParsing() {
        String huge = " ".repeat(ContractJson.MAX_LENGTH + 1);

        assertThatThrownBy(() -> ContractJson.parse(huge)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over the limit of " + ContractJson.MAX_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[]", "{\"record\": 1, \"sections\": []}", "{\"record\": \"a\"}",
        "{\"record\": \"a\", \"sections\": [1]}", "{\"record\": \"a\", \"sections\": []} x",
        "{\"record\": \"a\", \"sections\": [{\"name\": \".percpu\", \"mapType\": \"NOPE\", \"variables\": []}]}",
        "{\"record\": \"a\\u12\", \"sections\": []}", "{\"record\": \"a\\u+123\", \"sections\": []}",
        "{\"record\": \"a\nb\", \"sections\": []}", "{\"record\": \"a\", \"sections\": [], \"n\": 1.}",
        "{\"record\": \"a\", \"sections\": [], \"n\": 99999999999999999999}", "{\"record\": tru, \"sections\": []}"})
    void malformedContractsFailNamingTheProblem(String json) {
        assertThatThrownBy(() -> ContractJson.parse(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("contract JSON: ");
    }
}
