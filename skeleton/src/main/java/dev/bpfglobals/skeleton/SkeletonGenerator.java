package dev.bpfglobals.skeleton;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.bpfglobals.contract.ValueType;
import dev.bpfglobals.runtime.GlobalSection;
import dev.bpfglobals.runtime.ObjectLayout;
import dev.bpfglobals.runtime.ObjectSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Modifier;

/**
 * Turns a parsed BPF object into one Java class, its skeleton: the C-first counterpart of a
 * {@code @BpfGlobals} record's generated accessors. The class holds a record per C struct and enum
 * a global or a map uses (named from BTF), a record, a before-load image and a live view per
 * global section, typed map and program handles, and the object's layout lines
 * ({@link ObjectLayout}), which {@code open} checks the object against. The object itself is a
 * class-path resource beside the class ({@link #resourceName}).
 */
public final class SkeletonGenerator {

    /** The classes a skeleton nests in itself or in its records (each record's {@code Codec}). */
    private static final List<String> NESTED_CLASSES = List.of("Spec", "Maps", "Programs", "ScalarCodec", "Codec");

    /** The value of the generated class's {@code @Generated}. */
    public static final String GENERATOR = "dev.bpfglobals.skeleton.SkeletonGenerator";

    private SkeletonGenerator() {
    }

    /**
     * The skeleton of {@code object} as class {@code packageName.className}.
     *
     * @param object      the parsed object
     * @param packageName the class's package, empty for none
     * @param className   the class's simple name
     * @return the Java source
     * @throws SkeletonException naming the type and member, for an object Java code cannot mirror
     */
    public static JavaFile generate(ObjectSpec object, String packageName, String className) {
        return generate(object, packageName, className, false);
    }

    /**
     * The skeleton of {@code object}, whose {@code load()} goes through the light loader
     * ({@code ObjectSpec.loadLight}) when {@code light} is set.
     *
     * @param object      the parsed object
     * @param packageName the class's package, empty for none
     * @param className   the class's simple name
     * @param light       whether the skeleton loads through the light loader
     * @return the Java source
     * @throws SkeletonException naming the type and member, for an object Java code cannot mirror
     */
    public static JavaFile generate(ObjectSpec object, String packageName, String className, boolean light) {
        return generate(object, packageName, className, light, false);
    }

    /**
     * As {@link #generate(ObjectSpec, String, String, boolean)}; with {@code signed}, the skeleton also loads
     * as a signed light loader ({@code Spec.load(keyringId)}), its signature a resource beside it.
     *
     * @param object      the parsed object
     * @param packageName the class's package, empty for none
     * @param className   the class's simple name
     * @param light       whether the skeleton loads through the light loader
     * @param signed      whether a loader signature ships beside the class (needs {@code light})
     * @return the Java source
     * @throws SkeletonException naming the type and member, for an object Java code cannot mirror
     */
    public static JavaFile generate(ObjectSpec object, String packageName, String className, boolean light, boolean signed) {
        if (!packageName.isEmpty() && !SourceVersion.isName(packageName)) {
            throw new SkeletonException("'" + packageName + "' is not a Java package name");
        }
        if (!SourceVersion.isIdentifier(className) || SourceVersion.isKeyword(className)) {
            throw new SkeletonException("'" + className + "' is not a Java class name");
        }
        if (object.rawBtf().isEmpty()) {
            throw new SkeletonException("the object has no .BTF section, which names its types: compile it with clang -g");
        }
        if (NESTED_CLASSES.contains(className)) {
            // Java refuses a nested class named as a class around it: these are nested in the skeleton.
            throw new SkeletonException("'" + className + "' is the name of a class the skeleton nests ("
                    + String.join(", ", NESTED_CLASSES) + "): name the skeleton otherwise (gen skeleton --name, or rename the object)");
        }
        ClassName skeleton = ClassName.get(packageName, className);
        JavaNames typeNames = new JavaNames(className, "Spec", "Maps", "Programs", "ScalarCodec", "Codec");
        JavaTypes types = new JavaTypes(skeleton, typeNames, object.byteOrder());
        JavaNames accessors = new JavaNames("maps", "programs", "loaded", "object", "close", "open", "load", "hashCode", "toString",
                "getClass", "equals", "notify", "notifyAll", "wait", "clone", "finalize");
        List<SectionModel> sections = new ArrayList<>();
        for (GlobalSection section : object.globalSections()) {
            ValueType.Section type = object.sectionType(section.name()).orElse(null);
            if (type == null || type.variables().isEmpty() || section.size() == 0) {
                continue; // nothing to mirror; libbpf makes no map for an empty section
            }
            String pascal = JavaNames.pascal(section.name());
            SectionModel model = new SectionModel(section.name(), section.size(), section.isPerCpu(), section.isReadOnly(),
                    section.isMmapable(), accessors.claim(JavaNames.camel(section.name())),
                    skeleton.nestedClass(typeNames.claim(pascal + "Section")), skeleton.nestedClass(typeNames.claim(pascal + "Image")),
                    skeleton.nestedClass(typeNames.claim(pascal + "View")), variables(section.name(), type, types));
            sections.add(model);
        }
        HandleCode handles = new HandleCode(skeleton, types);
        TypeSpec maps = handles.maps(object);
        TypeSpec programs = handles.programs(object);
        List<String> layout = ObjectLayout.lines(object);

        TypeSpec.Builder type = TypeSpec.classBuilder(skeleton)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(AutoCloseable.class)
                .addAnnotation(AnnotationSpec.builder(ClassName.get("javax.annotation.processing", "Generated"))
                        .addMember("value", "$S", GENERATOR).build())
                .addJavadoc("The skeleton of BPF object {@code $L}: open it with {@link #open()}, set globals before load through\n"
                        + "{@link Spec}, then read and write them, its maps and its programs through this class.\n", resourceName(className))
                .addField(FieldSpec.builder(String.class, "OBJECT_RESOURCE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("The object, a class-path resource beside this class.\n").initializer("$S", resourceName(className)).build())
                .addField(FieldSpec.builder(ParameterizedTypeName.get(List.class, String.class), "LAYOUT",
                                Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("The layout of the object this class was generated from, as {@code ObjectLayout.lines} gives it.\n")
                        .initializer("$T.of($L)", List.class, CodeBlock.join(layout.stream().map(l -> CodeBlock.of("\n$S", l)).toList(), ",")).build())
                .addField(FieldSpec.builder(String.class, "LAYOUT_HASH", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("The SHA-256 of {@link #LAYOUT}.\n").initializer("$S", ObjectLayout.hash(layout)).build());
        type.addTypes(types.generated());
        for (SectionModel section : sections) {
            type.addType(SectionCode.record(section)).addType(SectionCode.image(section));
            if (section.perCpu()) {
                type.addType(ViewCode.perCpu(section));
            } else if (section.mmapable()) {
                type.addType(ViewCode.mapped(section));
            } else {
                type.addType(ViewCode.throughMap(section));
            }
        }
        type.addType(maps).addType(programs);
        if (handles.needsScalarCodec()) {
            type.addType(handles.scalarCodec());
        }
        TypeSpec spec = SpecCode.spec(skeleton, sections, light);
        if (signed) {
            type.addField(SignedLoadCode.resourceField(className));
            spec = SignedLoadCode.withSignedLoads(spec, skeleton);
        }
        type.addType(spec);
        SpecCode.skeleton(type, skeleton, sections);
        return JavaFile.builder(packageName, type.build()).skipJavaLangImports(true).indent("    ").build();
    }

    /**
     * The resource name of the object beside class {@code className}: {@code ClassName.bpf.o}.
     *
     * @param className the skeleton's simple name
     * @return the resource's file name
     */
    public static String resourceName(String className) {
        return className + ".bpf.o";
    }

    /**
     * A class name for an object file: {@code test_global_data.bpf.o} becomes {@code TestGlobalData}.
     *
     * @param fileName the object's file name
     * @return the class name
     */
    public static String className(String fileName) {
        String base = fileName.replaceFirst("(\\.bpf)?\\.o$", "");
        String pascal = JavaNames.pascal(base);
        return pascal.isEmpty() ? "Skeleton" : pascal;
    }

    private static List<RecordCode.Member> variables(String section, ValueType.Section type, JavaTypes types) {
        // The methods of the section's views and image besides the variables' own (fields live apart).
        JavaNames names = new JavaNames("view", "read", "write", "writeAll", "readAll", "sum", "globals", "map", "toBytes",
                "close", "hashCode", "toString", "getClass", "equals", "notify", "notifyAll", "wait", "clone", "finalize");
        List<RecordCode.Member> members = new ArrayList<>();
        for (ValueType.Variable v : type.variables().stream().sorted(Comparator.comparingLong(ValueType.Variable::offset)).toList()) {
            String where = "variable '" + v.name() + "' of " + section;
            Shape shape = types.shape(v.type(), JavaNames.pascal(v.name()), where);
            if (shape.size() > v.size()) {
                throw new SkeletonException(where + " is a " + v.type().cName() + " of " + shape.size() + " bytes in a "
                        + v.size() + "-byte slot: the object's BTF is malformed");
            }
            members.add(new RecordCode.Member(v.name(), names.claim(JavaNames.camel(v.name())), v.offset(), shape));
        }
        return members;
    }
}
