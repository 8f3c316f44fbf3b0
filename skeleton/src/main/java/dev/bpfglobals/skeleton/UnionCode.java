package dev.bpfglobals.skeleton;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.bpfglobals.contract.ValueType;
import java.util.Arrays;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The record generated for a C union. Which member holds the value only the program knows, so the
 * record holds the union's bytes ({@code bytes}, exactly {@code sizeof} the union) and reads them as
 * any member: one method per member decodes it from offset 0 with the same codecs a struct member
 * uses, and one static {@code ofMember(value)} per member encodes a union holding that member (the
 * bytes past it zero), as C's {@code (union u){ .member = value }} does.
 */
final class UnionCode {

    private static final CodeBlock SRC = CodeBlock.of("src");
    private static final CodeBlock DST = CodeBlock.of("dst");

    private UnionCode() {
    }

    static TypeSpec unionRecord(ClassName name, ValueType.Struct union, List<RecordCode.Member> members) {
        long size = union.size();
        StringBuilder declaration = new StringBuilder(union.cName() + " { ");
        members.forEach(m -> declaration.append(m.shape().cType().cName()).append(' ').append(m.cName())
                .append(m.shape() instanceof Shape.Bits b ? " : " + b.bits() : "").append("; "));
        declaration.append("} (").append(size).append(" bytes)");
        TypeName bytes = ArrayTypeName.of(TypeName.BYTE);
        TypeSpec.Builder record = TypeSpec.recordBuilder(name)
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("{@code $L}, from the object's BTF: the union's bytes, read as any of its members.\n", declaration)
                .recordConstructor(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                        .addParameter(ParameterSpec.builder(bytes, "bytes").build())
                        .beginControlFlow("if (bytes.length != $L)", size)
                        .addStatement("throw new $T($S + bytes.length)", IllegalArgumentException.class,
                                name.simpleName() + " (" + union.cName() + ") is " + size + " bytes, got ")
                        .endControlFlow()
                        .addStatement("this.bytes = bytes.clone()").build())
                .addField(RecordCode.codecField(name))
                .addMethods(RecordCode.bitHelpers(members))
                .addMethod(MethodSpec.methodBuilder("bytes").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .addJavadoc("{@return a copy of the union's $L bytes}\n", size)
                        .returns(bytes).addStatement("return bytes.clone()").build());
        for (RecordCode.Member m : members) {
            CodeBlock view = CodeBlock.of("$T.ofArray(bytes)", RecordCode.SEGMENT);
            record.addMethod(MethodSpec.methodBuilder(m.javaName()).addModifiers(Modifier.PUBLIC).returns(m.shape().type())
                    .addJavadoc("{@return the bytes read as member {@code $L} ({@code $L}, the first $L bytes)}\n",
                            m.cName(), m.shape().cType().cName(), m.shape().size())
                    .addStatement("return $L", m.shape().read(view, CodeBlock.of("$LL", m.offset()))).build());
            record.addMethod(MethodSpec.methodBuilder("of" + JavaNames.pascal(m.javaName()))
                    .addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(name)
                    .addJavadoc("The union holding member {@code $L}, its other bytes zero.\n@param value the member's value\n"
                            + "@return the union\n", m.cName())
                    .addParameter(m.shape().type(), "value")
                    .addStatement("byte[] out = new byte[$L]", size)
                    .addStatement(m.shape().write(CodeBlock.of("$T.ofArray(out)", RecordCode.SEGMENT), CodeBlock.of("$LL", m.offset()),
                            CodeBlock.of("value")))
                    .addStatement("return new $T(out)", name).build());
        }
        record.addMethod(MethodSpec.methodBuilder("equals").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(TypeName.BOOLEAN).addParameter(Object.class, "other")
                        .addStatement("return other instanceof $T that && $T.equals(bytes, that.bytes)", name, Arrays.class).build())
                .addMethod(MethodSpec.methodBuilder("hashCode").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(TypeName.INT).addStatement("return $T.hashCode(bytes)", Arrays.class).build())
                .addMethod(MethodSpec.methodBuilder("toString").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(String.class).addStatement("return $S + $T.toString(bytes) + $S", name.simpleName() + "[bytes=", Arrays.class, "]")
                        .build());
        CodeBlock decode = CodeBlock.builder()
                .addStatement("return new $T($L.asSlice(0, $LL).toArray($T.JAVA_BYTE))", name, SRC, size, Shape.VALUE_LAYOUT).build();
        CodeBlock encode = CodeBlock.builder()
                .addStatement("$T.copy(value.bytes, 0, $L, $T.JAVA_BYTE, 0L, $L)", RecordCode.SEGMENT, DST, Shape.VALUE_LAYOUT, size).build();
        return record.addType(RecordCode.codec(name, name, union, decode, encode, null)).build();
    }
}
