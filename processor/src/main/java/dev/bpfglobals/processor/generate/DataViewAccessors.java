package dev.bpfglobals.processor.generate;

import static dev.bpfglobals.processor.generate.JavaAccessorGenerator.DATA_VIEW;
import static dev.bpfglobals.processor.generate.JavaAccessorGenerator.LOADED_OBJECT;
import static dev.bpfglobals.processor.generate.JavaAccessorGenerator.SEGMENT;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.bpfglobals.processor.layout.CType;
import dev.bpfglobals.processor.layout.ScalarKind;
import dev.bpfglobals.processor.model.CNames;
import dev.bpfglobals.processor.model.JavaNames;
import java.util.List;
import java.util.Objects;
import javax.lang.model.element.Modifier;

/**
 * {@code bindData(LoadedObject)} and the {@code DataView} it returns (likewise {@code bindBss} and
 * {@code bindRodata}): the section's variables read
 * and written in place in the loaded object's mmapped section, one getter and (unless the section
 * is read-only after load) one setter per variable, indexed ones per array element, and the whole
 * part record. Every access goes through the runtime's {@code GlobalDataView}, which never
 * zero-fills and refuses writes to a frozen section.
 */
final class DataViewAccessors {

    private DataViewAccessors() {
    }

    static void addTo(TypeSpec.Builder type, SectionSpec section, CodecCode code) {
        ClassName view = section.self().nestedClass(section.section().viewClass());
        TypeName runtimeView = ParameterizedTypeName.get(DATA_VIEW, section.record());
        boolean writable = !section.section().readOnlyAfterLoad();
        type.addMethod(MethodSpec.methodBuilder(section.section().method("bind")).addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(view).addParameter(LOADED_OBJECT, "loaded")
                .addJavadoc(writable
                        ? "Checks the $L section of {@code loaded} against this record's contract and binds it for typed\n"
                                + "reads and writes in place, with no zero-fill (see {@link $T}); before load, {@code $L}\n"
                                + "encodes an initial image.\n"
                        : "Checks the $L section of {@code loaded} against this record's contract and binds it for typed\n"
                                + "reads. The kernel froze it at load, so the view has getters only (see {@link $T});\n"
                                + "set its values before load with {@code $L}.\n",
                        section.layout().name(), DATA_VIEW, section.section().imageMethod())
                .addJavadoc("\n@throws $T naming every difference, before anything is read or written\n",
                        ClassName.get(JavaAccessorGenerator.RUNTIME, "ContractMismatchException"))
                .addStatement("return new $T(loaded.bindGlobalData($L, $L))", view, section.section().constant("SECTION"),
                        section.section().constantPrefix())
                .build());
        List<CType.Placed> variables = section.layout().variables();
        CodeBlock.Builder lookups = CodeBlock.builder();
        for (CType.Placed v : variables) {
            lookups.add("view.variable($S),\n", v.name());
        }
        TypeSpec.Builder viewType = TypeSpec.classBuilder(view).addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc(writable
                        ? "The live $L section of a loaded object, variable by variable: each getter and setter is\n"
                                + "one access of the variable's bytes in the mmapped section, and a setter touches no other byte.\n"
                        : "The $L section of a loaded object, variable by variable: each getter is one access of the\n"
                                + "variable's bytes in the read-only mapping of the frozen section.\n",
                        section.layout().name())
                .addField(runtimeView, "view", Modifier.PRIVATE, Modifier.FINAL)
                .addField(FieldSpec.builder(ArrayTypeName.of(DATA_VIEW.nestedClass("Variable")), "variables",
                        Modifier.PRIVATE, Modifier.FINAL).addJavadoc("The variables in section order, looked up once.\n").build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).addParameter(runtimeView, "view")
                        .addStatement("this.view = view")
                        .addStatement("this.variables = new $T[] {\n$>$L$<}", DATA_VIEW.nestedClass("Variable"), lookups.build())
                        .build())
                .addMethod(MethodSpec.methodBuilder("view").addModifiers(Modifier.PUBLIC).returns(runtimeView)
                        .addJavadoc("The runtime view underneath, for untyped access.\n").addStatement("return view").build())
                .addMethod(MethodSpec.methodBuilder("read").addModifiers(Modifier.PUBLIC).returns(section.record())
                        .addJavadoc("Every variable, read one after another (not an atomic snapshot).\n")
                        .addStatement("return view.read()").build());
        if (writable) {
            viewType.addMethod(MethodSpec.methodBuilder("write").addModifiers(Modifier.PUBLIC).addParameter(section.record(), "value")
                    .addJavadoc("Writes every variable in place, one after another, never zeroing first.\n")
                    .addStatement("view.write(value)").build());
        }
        for (int i = 0; i < variables.size(); i++) {
            addVariable(viewType, section, code, variables.get(i), i, writable);
        }
        type.addType(viewType.build());
    }

    private static void addVariable(TypeSpec.Builder view, SectionSpec section, CodecCode code, CType.Placed v, int index,
            boolean writable) {
        String declaration = CNames.definition(v.type(), v.name(), section.section());
        CodeBlock variable = CodeBlock.of("variables[$L]", index);
        if (!(v.type() instanceof CType.Array array)) {
            TypeName javaType = code.javaType(v.type());
            view.addMethod(MethodSpec.methodBuilder(v.name()).addModifiers(Modifier.PUBLIC).returns(javaType)
                    .addJavadoc("{@code $L}, read live$L.\n", declaration, PerCpuAccessors.unsignedNote(v.type()))
                    .addStatement("return $L", get(v.type(), code, variable, CodeBlock.of("0"), v)).build());
            if (writable) {
                view.addMethod(MethodSpec.methodBuilder(v.name()).addModifiers(Modifier.PUBLIC).addParameter(javaType, "value")
                        .addJavadoc("Sets {@code $L} in place, touching no other variable.\n", declaration)
                        .addCode(set(v.type(), code, variable, CodeBlock.of("0"), CodeBlock.of("value"), v)).build());
            }
            return;
        }
        TypeName element = code.javaType(array.element());
        view.addMethod(MethodSpec.methodBuilder(v.name()).addModifiers(Modifier.PUBLIC).returns(element).addParameter(int.class, "index")
                .addJavadoc("Element {@code index} of {@code $L}, read live.\n", declaration)
                .addJavadoc("\n@throws IndexOutOfBoundsException unless {@code 0 <= index < $L}\n", array.length())
                .addStatement("$T.checkIndex(index, $L)", Objects.class, array.length())
                .addStatement("return $L", get(array.element(), code, variable, CodeBlock.of("index"), v)).build());
        view.addMethod(MethodSpec.methodBuilder(v.name()).addModifiers(Modifier.PUBLIC).returns(code.javaType(array))
                .addJavadoc("All of {@code $L}, element by element.\n", declaration)
                .addStatement("$T values = new $T[$L]", code.javaType(array), element, array.length())
                .beginControlFlow("for (int i = 0; i < $L; i++)", array.length())
                .addStatement("values[i] = $L(i)", v.name())
                .endControlFlow()
                .addStatement("return values").build());
        if (!writable) {
            return;
        }
        view.addMethod(MethodSpec.methodBuilder(v.name()).addModifiers(Modifier.PUBLIC)
                .addParameter(int.class, "index").addParameter(element, "value")
                .addJavadoc("Sets element {@code index} of {@code $L} in place, touching no other element.\n", declaration)
                .addJavadoc("\n@throws IndexOutOfBoundsException unless {@code 0 <= index < $L}\n", array.length())
                .addStatement("$T.checkIndex(index, $L)", Objects.class, array.length())
                .addCode(set(array.element(), code, variable, CodeBlock.of("index"), CodeBlock.of("value"), v)).build());
        view.addMethod(MethodSpec.methodBuilder(v.name()).addModifiers(Modifier.PUBLIC).addParameter(code.javaType(array), "values")
                .addJavadoc("Sets every element of {@code $L} in place, one after another.\n", declaration)
                .addJavadoc("\n@throws IllegalArgumentException unless {@code values} has exactly $L elements\n", array.length())
                .addStatement("$T.requireNonNull(values, $S)", Objects.class, v.name())
                .beginControlFlow("if (values.length != $L)", array.length())
                .addStatement("throw new $T($S + values.length)", IllegalArgumentException.class,
                        v.name() + " must have exactly " + array.length() + " elements (@Length), but has ")
                .endControlFlow()
                .beginControlFlow("for (int i = 0; i < $L; i++)", array.length())
                .addStatement("$L(i, values[i])", v.name())
                .endControlFlow().build());
    }

    /** An expression reading element {@code index} (0 for a scalar) of a variable whose elements are {@code type}. */
    private static CodeBlock get(CType type, CodecCode code, CodeBlock variable, CodeBlock index, CType.Placed v) {
        return switch (type) {
            case CType.Scalar s when s.kind() == ScalarKind.BOOL -> CodeBlock.of("(view.getByte($L, $L) != 0)", variable, index);
            case CType.Scalar s when s.kind() == ScalarKind.CHAR -> CodeBlock.of("(char) view.getShort($L, $L)", variable, index);
            case CType.Scalar s -> CodeBlock.of("view.get$L($L, $L)", width(s.kind()), variable, index);
            case CType.Enum e -> code.enumOf(e, CodeBlock.of("view.getInt($L, $L)", variable, index), v.name());
            // A nested record is decoded field by field from the live bytes, as a whole-record read does.
            case CType.Struct s -> code.read(s, "view.segment()", v.type() instanceof CType.Array
                    ? CodeBlock.of("$L + $L * $LL", JavaNames.offsetConstant(v.name()), index, s.size())
                    : CodeBlock.of("$L", JavaNames.offsetConstant(v.name())), v.name());
            case CType.Array a -> throw new IllegalArgumentException("arrays of arrays are rejected by validation");
        };
    }

    /** Statements writing {@code value} into element {@code index} (0 for a scalar) of a variable of {@code type} elements. */
    private static CodeBlock set(CType type, CodecCode code, CodeBlock variable, CodeBlock index, CodeBlock value, CType.Placed v) {
        CodeBlock.Builder out = CodeBlock.builder();
        return switch (type) {
            case CType.Scalar s when s.kind() == ScalarKind.BOOL ->
                    out.addStatement("view.setByte($L, $L, (byte) ($L ? 1 : 0))", variable, index, value).build();
            case CType.Scalar s when s.kind() == ScalarKind.CHAR ->
                    out.addStatement("view.setShort($L, $L, (short) $L)", variable, index, value).build();
            case CType.Scalar s -> out.addStatement("view.set$L($L, $L, $L)", width(s.kind()), variable, index, value).build();
            case CType.Enum e -> out.addStatement("view.setInt($L, $L, $T.requireNonNull($L, $S).ordinal())",
                    variable, index, Objects.class, value, v.name()).build();
            // Encoded privately, then stored in aligned units: the live bytes never pass through zero.
            case CType.Struct s -> out.addStatement("$T bytes = $T.ofArray(new byte[$L])", SEGMENT, SEGMENT, s.size())
                    .add(code.encode(s, value, "bytes", CodeBlock.of("0L"), v.name()))
                    .addStatement("view.setBytes($L, $L, bytes)", variable,
                            v.type() instanceof CType.Array ? CodeBlock.of("$L * $LL", index, s.size()) : CodeBlock.of("0")).build();
            case CType.Array a -> throw new IllegalArgumentException("arrays of arrays are rejected by validation");
        };
    }

    /** The runtime accessor's width word: {@code getInt} for 4 bytes. */
    private static String width(ScalarKind kind) {
        return switch (kind.size()) {
            case 1 -> "Byte";
            case 2 -> "Short";
            case 4 -> "Int";
            default -> "Long";
        };
    }
}
