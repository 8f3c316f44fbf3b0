package dev.bpfglobals.skeleton;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.bpfglobals.contract.ValueType;
import dev.bpfglobals.runtime.MapCodec;
import java.lang.foreign.MemorySegment;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The generated records (one per C struct and enum) and array codecs. Each record holds a
 * {@code CODEC}, a {@link MapCodec} like the one the processor generates for a {@code @BpfStruct}
 * record, so that a typed map takes either the same way; its {@code add} sums two per-CPU copies.
 */
final class RecordCode {

    static final ClassName MAP_CODEC = ClassName.get(MapCodec.class);
    static final ClassName SEGMENT = ClassName.get(MemorySegment.class);
    private static final CodeBlock SRC = CodeBlock.of("src");
    private static final CodeBlock DST = CodeBlock.of("dst");

    /** One member of a struct: its C and Java names, byte offset and shape. */
    record Member(String cName, String javaName, long offset, Shape shape) {
    }

    private RecordCode() {
    }

    static TypeSpec structRecord(ClassName name, ValueType.Struct struct, List<Member> members) {
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder();
        StringBuilder declaration = new StringBuilder(struct.cName() + " { ");
        for (Member m : members) {
            constructor.addParameter(ParameterSpec.builder(m.shape().type(), m.javaName()).build());
            declaration.append(m.shape().cType().cName()).append(' ').append(m.cName())
                    .append(m.shape() instanceof Shape.Bits b ? " : " + b.bits() : "").append("; ");
        }
        declaration.append("} (").append(struct.size()).append(" bytes)");
        CodeBlock.Builder decode = CodeBlock.builder().add("return new $T(", name);
        CodeBlock.Builder add = CodeBlock.builder().add("return new $T(", name);
        CodeBlock.Builder encode = CodeBlock.builder().addStatement("dst.asSlice(0, $LL).fill((byte) 0)", struct.size());
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            CodeBlock offset = CodeBlock.of("$LL", m.offset());
            decode.add(i == 0 ? "$L" : ", $L", m.shape().read(SRC, offset));
            add.add(i == 0 ? "$L" : ", $L", m.shape().add(CodeBlock.of("x.$L()", m.javaName()), CodeBlock.of("y.$L()", m.javaName())));
            encode.addStatement(m.shape().write(DST, offset, CodeBlock.of("value.$L()", m.javaName())));
        }
        TypeSpec codec = codec(name, name, struct, decode.add(");\n").build(), encode.build(), add.add(");\n").build());
        return TypeSpec.recordBuilder(name)
                .addMethods(bitHelpers(members))
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("{@code $L}, from the object's BTF.\n", declaration)
                .recordConstructor(constructor.build())
                .addField(codecField(name))
                .addType(codec)
                .build();
    }

    /** The load and store methods a record's bitfield members call, if it has any. */
    static List<MethodSpec> bitHelpers(List<Member> members) {
        return members.stream().anyMatch(m -> m.shape() instanceof Shape.Bits) ? Shape.Bits.helpers() : List.of();
    }

    static TypeSpec enumRecord(ClassName name, ValueType.Enum e, Shape.Kind kind) {
        Shape.Scalar value = new Shape.Scalar(kind, new ValueType.Int(e.cName(), e.size(), e.signed(), false, 0, 0));
        TypeSpec.Builder record = TypeSpec.recordBuilder(name)
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("{@code $L}, from the object's BTF: a value that need not be one of its constants.\n", e.cName())
                .recordConstructor(MethodSpec.constructorBuilder().addParameter(kind.type, "value").build());
        JavaNames constants = new JavaNames("CODEC");
        CodeBlock.Builder names = CodeBlock.builder();
        for (ValueType.Constant c : e.constants()) {
            String constant = constants.claim(JavaNames.constant(c.name()));
            record.addField(FieldSpec.builder(name, constant, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("{@code $L = $L}\n", c.name(), c.value())
                    .initializer("new $T(($T) $LL)", name, kind.type, c.value()).build());
            names.add("if (value == ($T) $LL) {\n$>return $S;\n$<}\n", kind.type, c.value(), c.name());
        }
        record.addMethod(MethodSpec.methodBuilder("cName")
                .addJavadoc("{@return the C name of the first constant with this value, or the number}\n")
                .addModifiers(Modifier.PUBLIC).returns(String.class)
                .addCode(names.build()).addStatement("return $T.toString(value)", kind.type.box()).build());
        CodeBlock decode = CodeBlock.builder().addStatement("return new $T($L)", name, value.read(SRC, CodeBlock.of("0"))).build();
        CodeBlock encode = CodeBlock.builder().addStatement(value.write(DST, CodeBlock.of("0"), CodeBlock.of("value.value()"))).build();
        return record.addField(codecField(name)).addType(codec(name, name, e, decode, encode, null)).build();
    }

    static TypeSpec arrayCodec(ClassName holder, ValueType.Array array, Shape element) {
        TypeName type = com.palantir.javapoet.ArrayTypeName.of(element.type());
        long stride = element.size();
        CodeBlock at = CodeBlock.of("i * $LL", stride);
        CodeBlock decode = CodeBlock.builder()
                .addStatement("$T out = $L", type, newArray(element.type(), array.length()))
                .beginControlFlow("for (int i = 0; i < $L; i++)", array.length())
                .addStatement("out[i] = $L", element.read(SRC, at))
                .endControlFlow().addStatement("return out").build();
        CodeBlock encode = CodeBlock.builder()
                .beginControlFlow("if (value.length != $L)", array.length())
                .addStatement("throw new $T($S + value.length)", IllegalArgumentException.class,
                        array.cName() + " needs " + array.length() + " elements, got ")
                .endControlFlow()
                .beginControlFlow("for (int i = 0; i < $L; i++)", array.length())
                .addStatement(element.write(DST, at, CodeBlock.of("value[i]")))
                .endControlFlow().build();
        CodeBlock add = CodeBlock.builder()
                .addStatement("$T out = x.clone()", type)
                .beginControlFlow("for (int i = 0; i < $L; i++)", array.length())
                .addStatement("out[i] = $L", element.add(CodeBlock.of("x[i]"), CodeBlock.of("y[i]")))
                .endControlFlow().addStatement("return out").build();
        return TypeSpec.classBuilder(holder)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The codec of C type {@code $L}, as a Java {@code $L}.\n", array.cName(), type)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
                .addField(FieldSpec.builder(holder.nestedClass("Codec"), "CODEC", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("The codec.\n").initializer("new Codec()").build())
                .addType(codec(holder, type, array, decode, encode, add))
                .build();
    }

    /** {@code new E[length]}, with the dimensions in Java's order for an element that is itself an array. */
    private static CodeBlock newArray(TypeName element, int length) {
        int dimensions = 0;
        TypeName base = element;
        while (base instanceof com.palantir.javapoet.ArrayTypeName inner) {
            dimensions++;
            base = inner.componentType();
        }
        return CodeBlock.of("new $T[$L]" + "[]".repeat(dimensions), base, length);
    }

    static FieldSpec codecField(ClassName name) {
        return FieldSpec.builder(name.nestedClass("Codec"), "CODEC", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Reads and writes this type's bytes, for typed maps and the skeleton's views.\n")
                .initializer("new Codec()").build();
    }

    /** The nested {@code Codec} class: a {@link MapCodec} of {@code type}, with {@code add} when {@code add} is given. */
    static TypeSpec codec(ClassName owner, TypeName type, ValueType cType, CodeBlock decode, CodeBlock encode, CodeBlock add) {
        TypeName javaClass = ParameterizedTypeName.get(ClassName.get(Class.class), type);
        TypeSpec.Builder codec = TypeSpec.classBuilder("Codec")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(ParameterizedTypeName.get(MAP_CODEC, type))
                .addJavadoc("The codec of {@code $L}: host byte order, padding written as zero.\n", cType.cName())
                .addField(FieldSpec.builder(CTypeLiteral.VALUE_TYPE, "C_TYPE", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer(CTypeLiteral.of(cType)).build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
                .addMethod(override("javaType", javaClass).addStatement("return $T.class", type).build())
                .addMethod(override("cType", CTypeLiteral.VALUE_TYPE).addStatement("return C_TYPE").build())
                .addMethod(override("size", TypeName.LONG).addStatement("return $LL", cType.size()).build())
                .addMethod(override("decode", type).addParameter(SEGMENT, "src").addCode(decode).build())
                .addMethod(override("encode", TypeName.VOID).addParameter(type, "value").addParameter(SEGMENT, "dst").addCode(encode).build());
        if (add != null) {
            codec.addMethod(MethodSpec.methodBuilder("add").addModifiers(Modifier.PUBLIC)
                    .addJavadoc("Sums two per-CPU copies member by member, integers wrapping as in C.\n"
                            + "@param x one copy\n@param y the other\n@return the sum\n")
                    .returns(type).addParameter(type, "x").addParameter(type, "y").addCode(add).build());
        }
        return codec.build();
    }

    private static MethodSpec.Builder override(String name, TypeName returns) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(returns);
    }
}
