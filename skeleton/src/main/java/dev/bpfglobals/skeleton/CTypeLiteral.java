package dev.bpfglobals.skeleton;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.bpfglobals.contract.ValueType;
import java.util.List;

/**
 * A {@link ValueType} as the Java expression that rebuilds it, so that a generated codec states the
 * exact C type (names, offsets, enum constants) its bytes have, which a typed map compares with the
 * map's BTF when it binds.
 */
final class CTypeLiteral {

    static final ClassName VALUE_TYPE = ClassName.get(ValueType.class);
    private static final ClassName LIST = ClassName.get(List.class);

    private CTypeLiteral() {
    }

    static CodeBlock of(ValueType type) {
        return switch (type) {
            case ValueType.Int i -> CodeBlock.of("new $T.Int($S, $LL, $L, $L, $L, $L)", VALUE_TYPE, i.cName(), i.size(),
                    i.signed(), i.bool(), i.bitOffset(), i.bits());
            case ValueType.Float f -> CodeBlock.of("new $T.Float($S, $LL)", VALUE_TYPE, f.cName(), f.size());
            case ValueType.Pointer p -> CodeBlock.of("new $T.Pointer($S)", VALUE_TYPE, p.cName());
            case ValueType.Enum e -> CodeBlock.of("new $T.Enum($S, $LL, $L, $T.of($L))", VALUE_TYPE, e.cName(), e.size(), e.signed(),
                    LIST, CodeBlock.join(e.constants().stream()
                            .map(c -> CodeBlock.of("new $T.Constant($S, $LL)", VALUE_TYPE, c.name(), c.value())).toList(), ", "));
            case ValueType.Array a -> CodeBlock.of("new $T.Array($S, $L, $L)", VALUE_TYPE, a.cName(), of(a.element()), a.length());
            case ValueType.Struct s -> CodeBlock.of("new $T.Struct($S, $LL, $L, $T.of($L))", VALUE_TYPE, s.cName(), s.size(), s.union(),
                    LIST, CodeBlock.join(s.fields().stream().map(f -> CodeBlock.of("new $T.Field($S, $LL, $L, $L)", VALUE_TYPE,
                            f.name(), f.bitOffset(), f.bitfieldSize(), of(f.type()))).toList(), ", "));
            case ValueType.Section s -> CodeBlock.of("new $T.Opaque($S, $LL)", VALUE_TYPE, s.cName(), s.size());
            case ValueType.Opaque o -> CodeBlock.of("new $T.Opaque($S, $LL)", VALUE_TYPE, o.cName(), o.size());
        };
    }
}
