package dev.bpfglobals.processor.generate;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import dev.bpfglobals.processor.layout.CType;
import dev.bpfglobals.processor.layout.ScalarKind;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.lang.model.element.Modifier;

/**
 * Java code that reads, writes and sums C values in a {@link MemorySegment}, in host byte order.
 * Accesses use the unaligned layouts because callers may pass heap segments, which guarantee no
 * alignment; each nested struct and enum gets one private helper method, emitted once.
 */
final class CodecCode {

    private static final ClassName SEGMENT = ClassName.get(MemorySegment.class);
    private static final ClassName LAYOUT = ClassName.get(ValueLayout.class);
    private static final ClassName SEGMENT_TYPE = ClassName.get(java.lang.foreign.MemorySegment.class);

    private final Map<String, ClassName> javaClasses;
    private final Map<String, MethodSpec> helpers = new LinkedHashMap<>();
    private final List<String> enumTags = new ArrayList<>();

    CodecCode(Map<String, ClassName> javaClasses) {
        this.javaClasses = javaClasses;
    }

    /** The helper methods the emitted code calls. */
    List<MethodSpec> helpers() {
        return List.copyOf(helpers.values());
    }

    /** The enums whose {@code values()} the helpers cache, by tag. */
    List<String> enumTags() {
        return List.copyOf(enumTags);
    }

    /** The Java type holding a value of {@code type}. */
    TypeName javaType(CType type) {
        return switch (type) {
            case CType.Scalar s -> TypeName.get(s.kind().javaType());
            case CType.Array a -> ArrayTypeName.of(javaType(a.element()));
            case CType.Struct s -> javaClasses.get(s.javaName());
            case CType.Enum e -> javaClasses.get(e.javaName());
        };
    }

    /** An expression reading a non-array value at {@code seg} + {@code offset}. */
    CodeBlock read(CType type, String seg, CodeBlock offset, String field) {
        return switch (type) {
            case CType.Scalar s when s.kind() == ScalarKind.BOOL -> CodeBlock.of("($L.get($T.JAVA_BYTE, $L) != 0)", seg, LAYOUT, offset);
            case CType.Scalar s -> CodeBlock.of("$L.get($T.$L, $L)", seg, LAYOUT, s.kind().unalignedValueLayout(), offset);
            case CType.Enum e -> CodeBlock.of("$N($L.get($T.JAVA_INT_UNALIGNED, $L), $S)", enumDecoder(e), seg, LAYOUT, offset, field);
            case CType.Struct s -> CodeBlock.of("$N($L, $L)", structDecoder(s), seg, offset);
            case CType.Array a -> throw new IllegalArgumentException("arrays are read element by element");
        };
    }

    /** An expression turning {@code ordinal}, as C holds it, into a constant of {@code e}, or an error naming {@code field}. */
    CodeBlock enumOf(CType.Enum e, CodeBlock ordinal, String field) {
        return CodeBlock.of("$N($L, $S)", enumDecoder(e), ordinal, field);
    }

    /** Statements declaring local {@code var} with the value of {@code type} at {@code offset}. */
    CodeBlock decode(CType type, String var, String seg, CodeBlock offset, String field) {
        if (!(type instanceof CType.Array array)) {
            return CodeBlock.builder().addStatement("$T $L = $L", javaType(type), var, read(type, seg, offset, field)).build();
        }
        CodeBlock element = read(array.element(), seg, CodeBlock.of("$L + i * $LL", offset, array.element().size()), field);
        return CodeBlock.builder()
                .addStatement("$T $L = new $T[$L]", javaType(type), var, javaType(array.element()), array.length())
                .beginControlFlow("for (int i = 0; i < $L; i++)", array.length())
                .addStatement("$L[i] = $L", var, element)
                .endControlFlow()
                .build();
    }

    /** Statements writing {@code value} of {@code type} at {@code offset}. */
    CodeBlock encode(CType type, CodeBlock value, String seg, CodeBlock offset, String field) {
        if (type instanceof CType.Array array) {
            return CodeBlock.builder()
                    .addStatement("$T[] $L_ = $T.requireNonNull($L, $S)", javaType(array.element()), field,
                            Objects.class, value, field)
                    .beginControlFlow("if ($L_.length != $L)", field, array.length())
                    .addStatement("throw new $T($S + $L_.length)", IllegalArgumentException.class,
                            field + " must have exactly " + array.length() + " elements (@Length), but has ", field)
                    .endControlFlow()
                    .add(writeAll(array, field, seg, offset))
                    .build();
        }
        return write(type, value, seg, offset, field);
    }

    /**
     * Statements writing array {@code field_}'s elements from {@code offset}: one bulk copy for
     * integers and chars (as fast as C's memcpy at 32 KiB), element by element for the others.
     */
    private CodeBlock writeAll(CType.Array array, String field, String seg, CodeBlock offset) {
        if (array.element() instanceof CType.Scalar s && s.kind() != ScalarKind.BOOL) {
            return CodeBlock.builder().addStatement("$T.copy($L_, 0, $L, $T.$L, $L, $L)", SEGMENT_TYPE, field, seg, LAYOUT,
                    s.kind().unalignedValueLayout(), offset, array.length()).build();
        }
        return CodeBlock.builder()
                .beginControlFlow("for (int i = 0; i < $L; i++)", array.length())
                .add(write(array.element(), CodeBlock.of("$L_[i]", field), seg,
                        CodeBlock.of("$L + i * $LL", offset, array.element().size()), field))
                .endControlFlow()
                .build();
    }

    private CodeBlock write(CType type, CodeBlock value, String seg, CodeBlock offset, String field) {
        return switch (type) {
            case CType.Scalar s when s.kind() == ScalarKind.BOOL ->
                    CodeBlock.builder().addStatement("$L.set($T.JAVA_BYTE, $L, (byte) ($L ? 1 : 0))", seg, LAYOUT, offset, value).build();
            case CType.Scalar s ->
                    CodeBlock.builder().addStatement("$L.set($T.$L, $L, $L)", seg, LAYOUT, s.kind().unalignedValueLayout(), offset, value).build();
            case CType.Enum e -> CodeBlock.builder().addStatement("$L.set($T.JAVA_INT_UNALIGNED, $L, $T.requireNonNull($L, $S).ordinal())",
                    seg, LAYOUT, offset, Objects.class, value, field).build();
            case CType.Struct s -> CodeBlock.builder().addStatement("$N($T.requireNonNull($L, $S), $L, $L)",
                    structEncoder(s), Objects.class, value, field, seg, offset).build();
            case CType.Array a -> throw new IllegalArgumentException("arrays of arrays are rejected by validation");
        };
    }

    /**
     * Statements declaring {@code var} as the sum over {@code count} copies {@code stride} bytes
     * apart, starting at {@code offset}: integers wrap, booleans OR, enums and chars keep copy 0.
     */
    CodeBlock sum(CType type, String var, String seg, CodeBlock offset, String field) {
        if (type instanceof CType.Array array) {
            CodeBlock.Builder code = CodeBlock.builder()
                    .addStatement("$T $L = new $T[$L]", javaType(type), var, javaType(array.element()), array.length())
                    .beginControlFlow("for (int i = 0; i < $L; i++)", array.length())
                    .add(sum(array.element(), var + "_i", seg, CodeBlock.of("$L + i * $LL", offset, array.element().size()), field))
                    .addStatement("$L[i] = $L_i", var, var)
                    .endControlFlow();
            return code.build();
        }
        return switch (type) {
            case CType.Scalar s when s.kind().integral() -> CodeBlock.builder()
                    .addStatement("$T $L = 0", javaType(type), var)
                    .beginControlFlow("for (int c = 0; c < count; c++)")
                    .addStatement("$L += $L", var, read(type, seg, CodeBlock.of("$L + c * stride", offset), field))
                    .endControlFlow().build();
            case CType.Scalar s when s.kind() == ScalarKind.BOOL -> CodeBlock.builder()
                    .addStatement("boolean $L = false", var)
                    .beginControlFlow("for (int c = 0; c < count; c++)")
                    .addStatement("$L |= $L", var, read(type, seg, CodeBlock.of("$L + c * stride", offset), field))
                    .endControlFlow().build();
            case CType.Struct s -> CodeBlock.builder()
                    .addStatement("$T $L = $N($L, $L, stride, count)", javaType(type), var, structSummer(s), seg, offset).build();
            default -> decode(type, var, seg, offset, field);
        };
    }

    /** Statements that build a record of type {@code record} from {@code placed} fields read by {@code fieldCode}. */
    CodeBlock construct(TypeName record, List<CType.Placed> placed, String var) {
        List<CodeBlock> args = placed.stream().map(p -> CodeBlock.of("$L", "v_" + p.name())).toList();
        return CodeBlock.builder().addStatement("$T $L = new $T($L)", record, var, record, CodeBlock.join(args, ", ")).build();
    }

    private String enumDecoder(CType.Enum e) {
        String name = "decode_" + e.tag();
        helpers.computeIfAbsent(name, n -> {
            enumTags.add(e.tag());
            ClassName type = javaClasses.get(e.javaName());
            return MethodSpec.methodBuilder(n)
                    .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(type)
                    .addParameter(int.class, "value")
                    .addParameter(String.class, "field")
                    .beginControlFlow("if (value < 0 || value >= $L.length)", valuesField(e.tag()))
                    .addStatement("throw new $T(field + $S + value + $S)", IllegalStateException.class,
                            " holds " , " , which is no constant of " + type.simpleName() + " (0.."
                                    + (e.constants().size() - 1) + "): the BPF program wrote a value the Java enum lacks")
                    .endControlFlow()
                    .addStatement("return $L[value]", valuesField(e.tag()))
                    .build();
        });
        return name;
    }

    /** The static field caching an enum's {@code values()}. */
    static String valuesField(String tag) {
        return tag.toUpperCase(java.util.Locale.ROOT) + "_VALUES";
    }

    private String structDecoder(CType.Struct s) {
        String name = "decode_" + s.tag();
        if (!helpers.containsKey(name)) {
            helpers.put(name, null);
            ClassName type = javaClasses.get(s.javaName());
            CodeBlock.Builder body = CodeBlock.builder();
            for (CType.Placed p : s.placed()) {
                body.add(decode(p.type(), "v_" + p.name(), "s", CodeBlock.of("base + $L", p.offset()), p.name()));
            }
            body.add(construct(type, s.placed(), "result")).addStatement("return result");
            helpers.put(name, MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(type).addParameter(SEGMENT, "s").addParameter(long.class, "base").addCode(body.build()).build());
        }
        return name;
    }

    private String structEncoder(CType.Struct s) {
        String name = "encode_" + s.tag();
        if (!helpers.containsKey(name)) {
            helpers.put(name, null);
            ClassName type = javaClasses.get(s.javaName());
            CodeBlock.Builder body = CodeBlock.builder();
            for (CType.Placed p : s.placed()) {
                body.add(encode(p.type(), CodeBlock.of("value.$L()", p.name()), "s", CodeBlock.of("base + $L", p.offset()), p.name()));
            }
            helpers.put(name, MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .addParameter(ParameterSpec.builder(type, "value").build()).addParameter(SEGMENT, "s")
                    .addParameter(long.class, "base").addCode(body.build()).build());
        }
        return name;
    }

    private String structSummer(CType.Struct s) {
        String name = "sum_" + s.tag();
        if (!helpers.containsKey(name)) {
            helpers.put(name, null);
            ClassName type = javaClasses.get(s.javaName());
            CodeBlock.Builder body = CodeBlock.builder();
            for (CType.Placed p : s.placed()) {
                body.add(sum(p.type(), "v_" + p.name(), "s", CodeBlock.of("base + $L", p.offset()), p.name()));
            }
            body.add(construct(type, s.placed(), "result")).addStatement("return result");
            helpers.put(name, MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(type).addParameter(SEGMENT, "s").addParameter(long.class, "base")
                    .addParameter(long.class, "stride").addParameter(int.class, "count").addCode(body.build()).build());
        }
        return name;
    }
}
