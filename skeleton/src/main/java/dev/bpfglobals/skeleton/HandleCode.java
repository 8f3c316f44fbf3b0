package dev.bpfglobals.skeleton;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.bpfglobals.contract.MapType;
import dev.bpfglobals.contract.ValueType;
import dev.bpfglobals.runtime.BpfMap;
import dev.bpfglobals.runtime.BpfProgram;
import dev.bpfglobals.runtime.MapSpec;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.PerCpuTypedMap;
import dev.bpfglobals.runtime.ProgramSpec;
import dev.bpfglobals.runtime.TypedMap;
import dev.bpfglobals.runtime.attach.Link;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import javax.lang.model.element.Modifier;

/**
 * The skeleton's {@code Maps} (a {@link TypedMap} or {@link PerCpuTypedMap} per {@code .maps} map
 * whose key and value BTF names, a plain {@link BpfMap} for the others) and {@code Programs} (each
 * program as a {@link BpfProgram}, and attached where its section says).
 */
final class HandleCode {

    private static final Set<MapType> KEYED = Set.of(MapType.HASH, MapType.ARRAY, MapType.LRU_HASH, MapType.LPM_TRIE);
    private static final Set<MapType> PER_CPU = Set.of(MapType.PERCPU_HASH, MapType.PERCPU_ARRAY, MapType.LRU_PERCPU_HASH);
    private static final ClassName LOADED = ViewCode.LOADED;

    private final ClassName skeleton;
    private final JavaTypes types;
    private boolean needsScalarCodec;

    HandleCode(ClassName skeleton, JavaTypes types) {
        this.skeleton = skeleton;
        this.types = types;
    }

    /** Whether a map's key or value is a scalar, for which the skeleton needs its {@code ScalarCodec}. */
    boolean needsScalarCodec() {
        return needsScalarCodec;
    }

    TypeSpec maps(ObjectSpec object) {
        ClassName maps = skeleton.nestedClass("Maps");
        JavaNames names = new JavaNames("close", "hashCode", "toString", "getClass", "equals", "notify", "notifyAll", "wait", "clone",
                "finalize");
        TypeSpec.Builder type = TypeSpec.classBuilder(maps).addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(AutoCloseable.class)
                .addJavadoc("The object's {@code .maps}, typed from their BTF key and value types.\n");
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder().addParameter(LOADED, "loaded");
        List<String> fields = new ArrayList<>();
        for (MapSpec map : object.maps()) {
            String name = names.claim(JavaNames.camel(map.name()));
            fields.add(name);
            TypeName handle;
            CodeBlock open;
            MapType mapType = map.mapType().orElse(null);
            ValueType key = object.btfType(map.keyTypeId()).orElse(null);
            ValueType value = object.btfType(map.valueTypeId()).orElse(null);
            String where = "map '" + map.name() + "'";
            boolean keyed = key != null && value != null && (KEYED.contains(mapType) || PER_CPU.contains(mapType));
            if (keyed) {
                Shape keyShape = types.shape(key, JavaNames.pascal(map.name()) + "Key", where + " key");
                Shape valueShape = types.shape(value, JavaNames.pascal(map.name()) + "Value", where + " value");
                ClassName kind = ClassName.get(PER_CPU.contains(mapType) ? PerCpuTypedMap.class : TypedMap.class);
                handle = ParameterizedTypeName.get(kind, keyShape.type().box(), valueShape.type().box());
                open = CodeBlock.of("$T.of(loaded.map($S), $L, $L)", kind, map.name(), codec(keyShape), codec(valueShape));
            } else {
                handle = ClassName.get(BpfMap.class);
                open = CodeBlock.of("loaded.map($S)", map.name());
            }
            type.addField(handle, name, Modifier.PRIVATE);
            constructor.addStatement("this.$L = $L", name, open);
            type.addMethod(ViewCode.method(name, handle, "{@return map {@code " + map.name() + "} ("
                    + mapType + (keyed ? ", key {@code " + key.cName() + "}, value {@code " + value.cName() + "}" : "")
                    + "), open until the skeleton closes}").addStatement("return $L", name).build());
        }
        MethodSpec.Builder close = MethodSpec.methodBuilder("close").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC);
        for (String field : fields) {
            close.beginControlFlow("if ($L != null)", field).addStatement("$L.close()", field).endControlFlow();
        }
        CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("try").add(constructor.build().code())
                .nextControlFlow("catch ($T e)", RuntimeException.class).addStatement("close()").addStatement("throw e").endControlFlow();
        return type.addMethod(MethodSpec.constructorBuilder().addParameter(LOADED, "loaded").addCode(body.build()).build())
                .addMethod(close.build()).build();
    }

    private CodeBlock codec(Shape shape) {
        if (shape instanceof Shape.Coded coded) {
            return coded.codec();
        }
        needsScalarCodec = true;
        CodeBlock src = CodeBlock.of("src");
        return CodeBlock.of("new ScalarCodec<>($T.class, $L, src -> $L, (value, dst) -> $L)", shape.type().box(),
                CTypeLiteral.of(shape.cType()), shape.read(src, CodeBlock.of("0")),
                shape.write(CodeBlock.of("dst"), CodeBlock.of("0"), CodeBlock.of("value")));
    }

    /** A record implementing {@code MapCodec} from a reader and a writer, for scalar keys and values. */
    TypeSpec scalarCodec() {
        com.palantir.javapoet.TypeVariableName t = com.palantir.javapoet.TypeVariableName.get("T");
        TypeName segment = ClassName.get(MemorySegment.class);
        return TypeSpec.recordBuilder("ScalarCodec").addModifiers(Modifier.PRIVATE).addTypeVariable(t)
                .addSuperinterface(ParameterizedTypeName.get(RecordCode.MAP_CODEC, t))
                .recordConstructor(MethodSpec.constructorBuilder()
                        .addParameter(ParameterizedTypeName.get(ClassName.get(Class.class), t), "javaType")
                        .addParameter(CTypeLiteral.VALUE_TYPE, "cType")
                        .addParameter(ParameterizedTypeName.get(ClassName.get(Function.class), segment, t), "reader")
                        .addParameter(ParameterizedTypeName.get(ClassName.get(BiConsumer.class), t, segment), "writer").build())
                .addMethod(SectionCode.override("decode", t).addParameter(segment, "src").addStatement("return reader.apply(src)").build())
                .addMethod(SectionCode.override("encode", TypeName.VOID).addParameter(t, "value").addParameter(segment, "dst")
                        .addStatement("writer.accept(value, dst)").build())
                .build();
    }

    TypeSpec programs(ObjectSpec object) {
        ClassName programs = skeleton.nestedClass("Programs");
        JavaNames names = new JavaNames("hashCode", "toString", "getClass", "equals", "notify", "notifyAll", "wait", "clone", "finalize");
        TypeSpec.Builder type = TypeSpec.classBuilder(programs).addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The object's programs: each as a new {@code BpfProgram} owner, or attached where its section says.\n")
                .addField(FieldSpec.builder(LOADED, "loaded", Modifier.PRIVATE, Modifier.FINAL).build())
                .addMethod(MethodSpec.constructorBuilder().addParameter(LOADED, "loaded").addStatement("this.loaded = loaded").build());
        for (ProgramSpec program : object.programs()) {
            String name = names.claim(JavaNames.camel(program.name()));
            String attach = names.claim("attach" + JavaNames.pascal(program.name()));
            type.addMethod(ViewCode.method(name, ClassName.get(BpfProgram.class), "{@return program {@code " + program.name()
                    + "} ({@code SEC(\"" + program.section() + "\")}), a new owner for the caller to close}")
                    .addStatement("return loaded.program($S)", program.name()).build());
            type.addMethod(ViewCode.method(attach, ClassName.get(Link.class), "Attaches {@code " + program.name()
                    + "} where {@code SEC(\"" + program.section() + "\")} says, as libbpf's {@code bpf_program__attach}.\n"
                    + "@return the link, which detaches when closed")
                    .addStatement("return loaded.attach($S)", program.name()).build());
        }
        return type.build();
    }
}
