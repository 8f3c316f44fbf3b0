package dev.bpfglobals.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.bpfglobals.contract.ValueType;
import dev.bpfglobals.processor.layout.CType;
import dev.bpfglobals.processor.layout.ScalarKind;
import dev.bpfglobals.processor.model.CNames;
import java.util.List;

/**
 * Java expressions that build the {@link ValueType} a C type has: the description the runtime
 * compares with a map's BTF, so the generated codec states the C type in the vocabulary the BTF
 * reader produces.
 */
final class ValueTypeCode {

    private static final ClassName VALUE_TYPE = ClassName.get(ValueType.class);
    private static final ClassName LIST = ClassName.get(List.class);

    private ValueTypeCode() {
    }

    /** An expression of type {@code ValueType} describing {@code type}. */
    static CodeBlock of(CType type) {
        return switch (type) {
            case CType.Scalar s -> CodeBlock.of("new $T.Int($S, $L, $L, $L, 0, $L)", VALUE_TYPE, s.kind().cName(),
                    s.kind().size(), s.kind().signed(), s.kind() == ScalarKind.BOOL, s.kind().size() * 8);
            case CType.Enum e -> {
                List<CodeBlock> constants = new java.util.ArrayList<>();
                for (int i = 0; i < e.constants().size(); i++) {
                    constants.add(CodeBlock.of("new $T.Constant($S, $L)", VALUE_TYPE, CNames.enumConstant(e, e.constants().get(i)), i));
                }
                yield CodeBlock.of("new $T.Enum($S, 4, false, $T.of($L))", VALUE_TYPE, e.cName(), LIST,
                        CodeBlock.join(constants, ", "));
            }
            case CType.Array a -> CodeBlock.of("new $T.Array($S, $L, $L)", VALUE_TYPE, a.contractName(), of(a.element()), a.length());
            case CType.Struct s -> {
                List<CodeBlock> fields = s.placed().stream()
                        .map(p -> CodeBlock.of("\nnew $T.Field($S, $L, 0, $L)", VALUE_TYPE, p.name(), p.offset() * 8L, of(p.type())))
                        .toList();
                yield CodeBlock.of("new $T.Struct($S, $L, false, $T.of($>$>$L$<$<))", VALUE_TYPE, s.cName(), s.size(), LIST,
                        CodeBlock.join(fields, ","));
            }
        };
    }
}
