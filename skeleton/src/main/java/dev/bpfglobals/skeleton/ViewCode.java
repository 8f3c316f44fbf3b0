package dev.bpfglobals.skeleton;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.bpfglobals.runtime.GlobalDataView;
import dev.bpfglobals.runtime.LoadedObject;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.PerCpuGlobals;
import dev.bpfglobals.runtime.PerCpuSnapshot;
import javax.lang.model.element.Modifier;

/**
 * A loaded section's view: over the runtime's {@link GlobalDataView} for a mapped section (one
 * volatile access per scalar, read-only sections refused by the runtime, naming the variable), over
 * {@link PerCpuGlobals} for a per-CPU one (the same snapshots, sums and per-CPU writes a
 * {@code @PerCpu} record's binding has, plus allocation-free readers per variable).
 */
final class ViewCode {

    static final ClassName LOADED = ClassName.get(LoadedObject.class);
    static final ClassName OBJECT = ClassName.get(ObjectSpec.class);
    private static final ClassName DATA_VIEW = ClassName.get(GlobalDataView.class);
    private static final ClassName VARIABLE = DATA_VIEW.nestedClass("Variable");

    private ViewCode() {
    }

    /** {@code new XSection.Codec(object's layout of the section)}. */
    static CodeBlock codec(SectionModel section) {
        return CodeBlock.of("new $T.Codec(object.globalSection($S).orElseThrow().layout())", section.record(), section.name());
    }

    static TypeSpec mapped(SectionModel section) {
        TypeName viewType = ParameterizedTypeName.get(DATA_VIEW, section.record());
        TypeSpec.Builder view = TypeSpec.classBuilder(section.view())
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("Section {@code $L} of the loaded object, read and written in place$L.\n", section.name(),
                        section.readOnly() ? " (read-only: the kernel froze it at load; set it before load through the image)" : "")
                .addField(viewType, "view", Modifier.PRIVATE, Modifier.FINAL);
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder().addParameter(LOADED, "loaded").addParameter(OBJECT, "object")
                .addStatement("this.view = loaded.bindGlobalData($S, $L)", section.name(), codec(section));
        for (RecordCode.Member v : section.variables()) {
            view.addField(VARIABLE, v.javaName(), Modifier.PRIVATE, Modifier.FINAL);
            constructor.addStatement("this.$L = view.variable($S)", v.javaName(), v.cName());
        }
        view.addMethod(constructor.build())
                .addMethod(MethodSpec.methodBuilder("view").addModifiers(Modifier.PUBLIC).returns(viewType)
                        .addJavadoc("{@return the runtime's view this one wraps}\n").addStatement("return view").build())
                .addMethod(MethodSpec.methodBuilder("read").addModifiers(Modifier.PUBLIC).returns(section.record())
                        .addJavadoc("{@return every variable's current value}\n").addStatement("return view.read()").build());
        for (RecordCode.Member v : section.variables()) {
            accessors(view, section, v);
        }
        return view.build();
    }

    /**
     * A section the kernel does not map (libbpf maps only sections with a global, non-hidden
     * variable): read and written through its map's entry 0, a setter rewriting the whole entry.
     */
    static TypeSpec throughMap(SectionModel section) {
        ClassName map = ClassName.get(dev.bpfglobals.runtime.BpfMap.class);
        CodeBlock current = CodeBlock.of("$T.ofArray(map.lookup(0))", RecordCode.SEGMENT);
        TypeSpec.Builder view = TypeSpec.classBuilder(section.view())
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(AutoCloseable.class)
                .addJavadoc("Section {@code $L} of the loaded object, which the kernel does not map (no global variable in it):\n"
                        + "each read looks its map's entry up$L.\n", section.name(),
                        section.readOnly() ? " (read-only: frozen at load)" : ", each write rewrites the whole entry, so a program's"
                                + " concurrent store to another variable of the section can be lost")
                .addField(map, "map", Modifier.PRIVATE, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder().addParameter(LOADED, "loaded").addParameter(OBJECT, "object")
                        .addStatement("this.map = loaded.map($S)", section.name()).build())
                .addMethod(method("map", map, "{@return the section's map, lent}").addStatement("return map").build())
                .addMethod(method("read", section.record(), "{@return every variable's current value}")
                        .addStatement("return $T.decode($L)", section.record(), current).build())
                .addMethod(MethodSpec.methodBuilder("close").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .addStatement("map.close()").build());
        for (RecordCode.Member v : section.variables()) {
            String doc = "{@code " + v.shape().cType().cName() + " " + v.cName() + "}";
            CodeBlock offset = CodeBlock.of("$LL", v.offset());
            view.addMethod(getter(v.javaName(), v.shape().type(), doc).addStatement("return $L", v.shape().read(current, offset)).build());
            if (!section.readOnly()) {
                view.addMethod(method(v.javaName(), TypeName.VOID, "Sets " + doc + ", rewriting the section's entry.\n@param value the new value")
                        .addParameter(v.shape().type(), "value")
                        .addStatement("$T bytes = $L", RecordCode.SEGMENT, current)
                        .addStatement(v.shape().write(CodeBlock.of("bytes"), offset, CodeBlock.of("value")))
                        .addStatement("map.update($T.ofArray(new int[] {0}), bytes)", RecordCode.SEGMENT).build());
            }
        }
        return view.build();
    }

    private static void accessors(TypeSpec.Builder view, SectionModel section, RecordCode.Member v) {
        String name = v.javaName();
        Shape shape = v.shape();
        String doc = "{@code " + shape.cType().cName() + " " + v.cName() + "}";
        if (shape instanceof Shape.Scalar scalar) {
            view.addMethod(getter(name, shape.type(), doc).addStatement("return $L", scalarGet(scalar, name, "0")).build());
            if (!section.readOnly()) {
                view.addMethod(setter(name, shape.type(), doc).addStatement(scalarSet(scalar, name, "0", "value")).build());
            }
            return;
        }
        view.addMethod(getter(name, shape.type(), doc)
                .addStatement("return $L", shape.read(CodeBlock.of("view.segment()"), CodeBlock.of("$LL", v.offset()))).build());
        if (section.readOnly()) {
            return;
        }
        view.addMethod(setter(name, shape.type(), doc)
                .addStatement("$T bytes = $T.ofArray(new long[$L]).asSlice(0, $LL)", RecordCode.SEGMENT, RecordCode.SEGMENT,
                        (shape.size() + 7) / 8, shape.size())
                .addStatement(shape.write(CodeBlock.of("bytes"), CodeBlock.of("0"), CodeBlock.of("value")))
                .addStatement("view.setBytes($L, 0, bytes)", name).build());
    }

    private static CodeBlock scalarGet(Shape.Scalar scalar, String variable, String index) {
        return switch (scalar.kind()) {
            case BOOLEAN -> CodeBlock.of("view.getByte($L, $L) != 0", variable, index);
            default -> CodeBlock.of("view.get$L($L, $L)", accessorSuffix(scalar.kind()), variable, index);
        };
    }

    private static CodeBlock scalarSet(Shape.Scalar scalar, String variable, String index, String value) {
        return switch (scalar.kind()) {
            case BOOLEAN -> CodeBlock.of("view.setByte($L, $L, (byte) ($L ? 1 : 0))", variable, index, value);
            default -> CodeBlock.of("view.set$L($L, $L, $L)", accessorSuffix(scalar.kind()), variable, index, value);
        };
    }

    private static String accessorSuffix(Shape.Kind kind) {
        String name = kind.type.toString();
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    static TypeSpec perCpu(SectionModel section) {
        ClassName record = section.record();
        TypeName globals = ParameterizedTypeName.get(ClassName.get(PerCpuGlobals.class), record);
        TypeName snapshot = ParameterizedTypeName.get(ClassName.get(PerCpuSnapshot.class), record);
        TypeSpec.Builder view = TypeSpec.classBuilder(section.view())
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(AutoCloseable.class)
                .addJavadoc("Per-CPU section {@code $L} of the loaded object: each CPU's copy, read into snapshots as {@code PerCpuGlobals} reads a {@code @PerCpu} record.\n",
                        section.name())
                .addField(globals, "globals", Modifier.PRIVATE, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder().addParameter(LOADED, "loaded").addParameter(OBJECT, "object")
                        .addStatement("this.globals = $T.bind(loaded.percpuMap($S).orElseThrow(), $L)", PerCpuGlobals.class,
                                section.name(), codec(section)).build())
                .addMethod(method("globals", globals, "{@return the runtime's binding this view wraps}").addStatement("return globals").build())
                .addMethod(method("readAll", snapshot, "{@return every CPU's copy, read in one call}").addStatement("return globals.readAll()").build())
                .addMethod(method("read", record, "{@return one CPU's copy}\n@param cpu the CPU").addParameter(TypeName.INT, "cpu")
                        .addStatement("return globals.read(cpu)").build())
                .addMethod(method("sum", record, "{@return the sum of every CPU's copy, integers wrapping as in C}").addStatement("return globals.sum()").build())
                .addMethod(method("write", TypeName.VOID, "Writes one CPU's copy.\n@param cpu the CPU\n@param value its new value")
                        .addParameter(TypeName.INT, "cpu").addParameter(record, "value").addStatement("globals.write(cpu, value)").build())
                .addMethod(method("writeAll", TypeName.VOID, "Writes every CPU's copy.\n@param value the new value")
                        .addParameter(record, "value").addStatement("globals.writeAll(value)").build())
                .addMethod(MethodSpec.methodBuilder("close").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .addStatement("globals.close()").build());
        for (RecordCode.Member v : section.variables()) {
            view.addMethod(MethodSpec.methodBuilder(v.javaName()).addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(v.shape().type())
                    .addJavadoc("{@return {@code $L} of one CPU in {@code snapshot}, read without allocating (a scalar)}\n"
                            + "@param snapshot what {@link #readAll()} read\n@param cpu the CPU\n", v.cName())
                    .addParameter(snapshot, "snapshot").addParameter(TypeName.INT, "cpu")
                    .addStatement("return $L", v.shape().read(CodeBlock.of("snapshot.slot(cpu)"), CodeBlock.of("$LL", v.offset()))).build());
        }
        return view.build();
    }

    private static MethodSpec.Builder getter(String name, TypeName type, String doc) {
        return method(name, type, "{@return the current value of " + doc + "}");
    }

    private static MethodSpec.Builder setter(String name, TypeName type, String doc) {
        return method(name, TypeName.VOID, "Sets " + doc + " in place, touching no other variable.\n@param value the new value")
                .addParameter(type, "value");
    }

    static MethodSpec.Builder method(String name, TypeName returns, String javadoc) {
        return MethodSpec.methodBuilder(name).addModifiers(Modifier.PUBLIC).returns(returns).addJavadoc("$L\n", javadoc.replace("*/", "*&#47;"));
    }
}
