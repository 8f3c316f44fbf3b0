package dev.bpfglobals.skeleton;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.bpfglobals.contract.SectionContract;
import dev.bpfglobals.runtime.SectionCodec;
import javax.lang.model.element.Modifier;

/**
 * A global section's record: one component per variable, with a {@link SectionCodec} (what
 * {@code GlobalDataView} and {@code PerCpuGlobals} bind, as they bind a processor-generated part)
 * and static {@code decode}, {@code encode} and {@code add} the image and views share.
 */
final class SectionCode {

    static final ClassName SECTION_CODEC = ClassName.get(SectionCodec.class);
    static final ClassName SECTION_CONTRACT = ClassName.get(SectionContract.class);
    private static final CodeBlock SRC = CodeBlock.of("src");
    private static final CodeBlock DST = CodeBlock.of("dst");

    private SectionCode() {
    }

    static TypeSpec record(SectionModel section) {
        ClassName name = section.record();
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder();
        CodeBlock.Builder decode = CodeBlock.builder().add("return new $T(", name);
        CodeBlock.Builder add = CodeBlock.builder().add("return new $T(", name);
        CodeBlock.Builder encode = CodeBlock.builder().addStatement("dst.asSlice(0, $LL).fill((byte) 0)", section.size());
        for (int i = 0; i < section.variables().size(); i++) {
            RecordCode.Member v = section.variables().get(i);
            constructor.addParameter(ParameterSpec.builder(v.shape().type(), v.javaName()).build());
            CodeBlock offset = CodeBlock.of("$LL", v.offset());
            decode.add(i == 0 ? "$L" : ", $L", v.shape().read(SRC, offset));
            add.add(i == 0 ? "$L" : ", $L", v.shape().add(CodeBlock.of("x.$L()", v.javaName()), CodeBlock.of("y.$L()", v.javaName())));
            encode.addStatement(v.shape().write(DST, offset, CodeBlock.of("value.$L()", v.javaName())));
        }
        TypeName codecType = ParameterizedTypeName.get(SECTION_CODEC, name);
        TypeSpec codec = TypeSpec.classBuilder("Codec")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(codecType)
                .addJavadoc("The section's codec, with the layout of the object the skeleton opened (checked against the one it was generated from).\n")
                .addField(SECTION_CONTRACT, "contract", Modifier.PRIVATE, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                        .addJavadoc("A codec for a section laid out as {@code contract} says.\n@param contract the section's layout\n")
                        .addParameter(SECTION_CONTRACT, "contract").addStatement("this.contract = contract").build())
                .addMethod(override("recordType", ParameterizedTypeName.get(ClassName.get(Class.class), name)).addStatement("return $T.class", name).build())
                .addMethod(override("section", SECTION_CONTRACT).addStatement("return contract").build())
                .addMethod(override("decode", name).addParameter(RecordCode.SEGMENT, "src").addStatement("return $T.decode(src)", name).build())
                .addMethod(override("encode", TypeName.VOID).addParameter(name, "value").addParameter(RecordCode.SEGMENT, "dst")
                        .addStatement("$T.encode(value, dst)", name).build())
                .addMethod(override("sum", name).addParameter(RecordCode.SEGMENT, "slots").addParameter(TypeName.LONG, "stride")
                        .addParameter(TypeName.INT, "count")
                        .addStatement("$T total = decode(slots)", name)
                        .beginControlFlow("for (int cpu = 1; cpu < count; cpu++)")
                        .addStatement("total = add(total, decode(slots.asSlice(cpu * stride)))")
                        .endControlFlow().addStatement("return total").build())
                .build();
        return TypeSpec.recordBuilder(name)
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("The variables of section {@code $L} ($L bytes), in offset order.\n", section.name(), section.size())
                .recordConstructor(constructor.build())
                .addMethod(MethodSpec.methodBuilder("decode").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(name)
                        .addJavadoc("Reads the section from its bytes.\n@param src the section's bytes\n@return its variables\n")
                        .addParameter(RecordCode.SEGMENT, "src").addCode(decode.add(");\n").build()).build())
                .addMethod(MethodSpec.methodBuilder("encode").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .addJavadoc("Writes the section's bytes, padding as zero.\n@param value the variables\n@param dst where the bytes go\n")
                        .addParameter(name, "value").addParameter(RecordCode.SEGMENT, "dst").addCode(encode.build()).build())
                .addMethod(MethodSpec.methodBuilder("add").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(name)
                        .addJavadoc("Sums two per-CPU copies variable by variable, integers wrapping as in C.\n@param x one copy\n@param y the other\n@return the sum\n")
                        .addParameter(name, "x").addParameter(name, "y").addCode(add.add(");\n").build()).build())
                .addType(codec)
                .build();
    }

    /** The section's bytes before load: a getter and a setter per variable, applied at load. */
    static TypeSpec image(SectionModel section) {
        TypeSpec.Builder image = TypeSpec.classBuilder(section.image())
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Section {@code $L} before load: its initial values, which setters change and {@code load()} applies$L.\n",
                        section.name(), section.readOnly() ? " (the only time a read-only section can be set)" : "")
                .addField(RecordCode.SEGMENT, "bytes", Modifier.PRIVATE, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder().addParameter(byte[].class, "initial")
                        .addStatement("this.bytes = $T.ofArray(initial.clone())", RecordCode.SEGMENT).build())
                .addMethod(MethodSpec.methodBuilder("toBytes").returns(byte[].class)
                        .addStatement("return bytes.toArray($T.JAVA_BYTE)", Shape.VALUE_LAYOUT).build())
                .addMethod(MethodSpec.methodBuilder("read").addModifiers(Modifier.PUBLIC).returns(section.record())
                        .addJavadoc("{@return every variable's value}\n").addStatement("return $T.decode(bytes)", section.record()).build());
        CodeBlock segment = CodeBlock.of("bytes");
        for (RecordCode.Member v : section.variables()) {
            CodeBlock offset = CodeBlock.of("$LL", v.offset());
            image.addMethod(MethodSpec.methodBuilder(v.javaName()).addModifiers(Modifier.PUBLIC).returns(v.shape().type())
                    .addJavadoc("{@return {@code $L} ({@code $L}) as it will be loaded}\n", v.cName(), v.shape().cType().cName())
                    .addStatement("return $L", v.shape().read(segment, offset)).build());
            image.addMethod(MethodSpec.methodBuilder(v.javaName()).addModifiers(Modifier.PUBLIC).returns(section.image())
                    .addJavadoc("Sets {@code $L} before load.\n@param value its initial value\n@return this image\n", v.cName())
                    .addParameter(v.shape().type(), "value")
                    .addStatement(v.shape().write(segment, offset, CodeBlock.of("value")))
                    .addStatement("return this").build());
        }
        return image.build();
    }

    static MethodSpec.Builder override(String name, TypeName returns) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(returns);
    }

    static FieldSpec constant(TypeName type, String name, CodeBlock value) {
        return FieldSpec.builder(type, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).initializer(value).build();
    }
}
