package dev.bpfglobals.processor.generate;

import static dev.bpfglobals.processor.generate.JavaAccessorGenerator.CONTRACT;
import static dev.bpfglobals.processor.generate.JavaAccessorGenerator.SECTION_CONTRACT;
import static dev.bpfglobals.processor.generate.JavaAccessorGenerator.VARIABLE_CONTRACT;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.bpfglobals.contract.GlobalsContract;
import dev.bpfglobals.contract.MetricKind;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.contract.VariableContract;
import dev.bpfglobals.processor.model.JavaNames;
import dev.bpfglobals.processor.model.Section;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The accessor's {@code CONTRACT} constant, rendered from the very {@link GlobalsContract} the JSON
 * file is written from, so the two cannot disagree. Every number is spelled as the accessor
 * constant that already holds it ({@code PERCPU_VALUE_SIZE}, {@code PACKETS_OFFSET}); only a
 * variable's alignment has no constant of its own and is labelled inline.
 */
final class ContractCode {

    private ContractCode() {
    }

    /** {@code CONTRACT}; must be added after the section and variable constants it names. */
    static FieldSpec field(List<Section> kinds, GlobalsContract contract, String binaryName) {
        List<CodeBlock> sections = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            sections.add(section(kinds.get(i), contract.sections().get(i)));
        }
        return FieldSpec.builder(CONTRACT, "CONTRACT", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The same contract as {@code META-INF/bpf-globals/$L.json}.\n", binaryName)
                .initializer("new $T($S, $T.of(\n$>$>$L$<$<))", CONTRACT, contract.record(), List.class,
                        CodeBlock.join(sections, ",\n"))
                .build();
    }

    /** {@code contract} is the part of the contract about {@code kind}. */
    private static CodeBlock section(Section kind, SectionContract contract) {
        if (!contract.name().equals(kind.elfName())) {
            throw new IllegalArgumentException("contract section " + contract.name() + " is not " + kind.elfName());
        }
        List<CodeBlock> variables = contract.variables().stream().map(ContractCode::variable).toList();
        return CodeBlock.of("new $T($L, $L, $L, $L, $L, $L, $T.of(\n$>$>$L$<$<))", SECTION_CONTRACT,
                kind.constant("SECTION"), kind.constant("MAP_TYPE"), kind.constant("KEY_SIZE"),
                kind.constant("VALUE_SIZE"), kind.constant("MAX_ENTRIES"), kind.constant("ALIGNMENT"),
                List.class, CodeBlock.join(variables, ",\n"));
    }

    /** Offsets and sizes are long constants (segment arithmetic); the contract's fields are ints. */
    private static CodeBlock variable(VariableContract variable) {
        CodeBlock metric = variable.metric() == null ? CodeBlock.of("")
                : CodeBlock.of(", $T.$L", ClassName.get(MetricKind.class), variable.metric().name());
        return CodeBlock.of("new $T($S, $S, (int) $L, (int) $L, /* alignment */ $L$L)", VARIABLE_CONTRACT,
                variable.name(), variable.cType(), JavaNames.offsetConstant(variable.name()),
                JavaNames.sizeConstant(variable.name()), variable.alignment(), metric);
    }
}
