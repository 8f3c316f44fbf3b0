package dev.bpfglobals.skeleton;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.bpfglobals.runtime.LoadOptions;
import dev.bpfglobals.runtime.ObjectLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The skeleton's two phases, as libbpf's skeletons have them: {@code open()} gives a {@code Spec}
 * (the parsed object, checked against the recorded layout, with an image per section to set values
 * before load), and {@code Spec.load()} gives the skeleton itself (live views, maps, programs).
 */
final class SpecCode {

    private static final ClassName LOADED = ViewCode.LOADED;
    private static final ClassName OBJECT = ViewCode.OBJECT;

    private SpecCode() {
    }

    static TypeSpec spec(ClassName skeleton, List<SectionModel> sections, boolean light) {
        ClassName spec = skeleton.nestedClass("Spec");
        TypeSpec.Builder type = TypeSpec.classBuilder(spec).addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The object before load: set globals (read-only ones included) through the images, then {@link #load()}.\n")
                .addField(OBJECT, "object", Modifier.PRIVATE, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder().addParameter(OBJECT, "object").addStatement("this.object = object").build());
        CodeBlock.Builder withImages = CodeBlock.builder().addStatement("$T with = object", OBJECT);
        for (SectionModel section : sections) {
            String field = section.accessor();
            type.addField(section.image(), field, Modifier.PRIVATE);
            type.addMethod(ViewCode.method(field, section.image(), "{@return section {@code " + section.name()
                            + "} as it will be loaded, to read and set}")
                    .beginControlFlow("if ($L == null)", field)
                    .addStatement("$L = new $T(object.globalSection($S).orElseThrow().initialImage())", field, section.image(), section.name())
                    .endControlFlow().addStatement("return $L", field).build());
            withImages.beginControlFlow("if ($L != null)", field)
                    .addStatement("with = with.withGlobalImage($S, $L.toBytes())", section.name(), field).endControlFlow();
        }
        return type
                .addMethod(ViewCode.method("object", OBJECT, "{@return the object with every image set so far}")
                        .addCode(withImages.build()).addStatement("return with").build())
                .addMethod(ViewCode.method("load", skeleton, "Loads the object, with the images set so far, as this kernel allows"
                                + (light ? ", through the light loader" : "") + ".\n@return the loaded skeleton, to close")
                        .addStatement("$T with = object()", OBJECT)
                        .addStatement(light ? "return new $T(with.loadLight($T.defaults()), with)" : "return new $T($T.load(with), with)",
                                skeleton, light ? ClassName.get(LoadOptions.class) : LOADED).build())
                .addMethod(ViewCode.method("load", skeleton, "Loads the object as {@code options} say"
                                + (light ? ", through the light loader" : "") + ".\n@param options how to load it\n@return the loaded skeleton, to close")
                        .addParameter(LoadOptions.class, "options")
                        .addStatement("$T with = object()", OBJECT)
                        .addStatement(light ? "return new $T(with.loadLight(options), with)" : "return new $T($T.load(with, options), with)",
                                light ? new Object[] {skeleton} : new Object[] {skeleton, LOADED}).build())
                .build();
    }

    static void skeleton(TypeSpec.Builder type, ClassName skeleton, List<SectionModel> sections) {
        ClassName spec = skeleton.nestedClass("Spec");
        String name = skeleton.simpleName();
        type.addMethod(MethodSpec.methodBuilder("open").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(spec)
                        .addJavadoc("Opens the object this class was generated from, a resource beside it (no file needed).\n"
                                + "@return the object before load\n@throws $T if the resource cannot be read\n", IOException.class)
                        .addException(IOException.class)
                        .beginControlFlow("try ($T in = $T.class.getResourceAsStream(OBJECT_RESOURCE))", InputStream.class, skeleton)
                        .beginControlFlow("if (in == null)")
                        .addStatement("throw new $T(OBJECT_RESOURCE, null, $S)", NoSuchFileException.class,
                                "no such resource beside " + skeleton.canonicalName() + "; keep the object generated with it")
                        .endControlFlow()
                        .addStatement("return open($T.open(in.readAllBytes()))", OBJECT)
                        .endControlFlow().build())
                .addMethod(MethodSpec.methodBuilder("open").addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(spec)
                        .addJavadoc("Opens {@code object}, which must have the layout this class was generated from.\n"
                                + "@param object a parsed object\n@return the object before load\n"
                                + "@throws dev.bpfglobals.runtime.SkeletonDriftException naming the first difference, if the layout differs\n")
                        .addParameter(OBJECT, "object")
                        .addStatement("$T.check(object, LAYOUT, LAYOUT_HASH, $S)", ObjectLayout.class, name)
                        .addStatement("return new Spec(object)").build());
        type.addField(LOADED, "loaded", Modifier.PRIVATE, Modifier.FINAL);
        MethodSpec.Builder close = MethodSpec.methodBuilder("close").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addJavadoc("Closes the views, the maps and the loaded object.\n");
        CodeBlock.Builder build = CodeBlock.builder();
        for (SectionModel section : sections) {
            type.addField(section.view(), section.accessor(), Modifier.PRIVATE);
            build.addStatement("$L = new $T(loaded, object)", section.accessor(), section.view());
            type.addMethod(ViewCode.method(section.accessor(), section.view(), "{@return section {@code " + section.name()
                    + "} of the loaded object}").addStatement("return $L", section.accessor()).build());
            if (section.perCpu() || !section.mmapable()) {
                close.beginControlFlow("if ($L != null)", section.accessor()).addStatement("$L.close()", section.accessor()).endControlFlow();
            }
        }
        type.addField(skeleton.nestedClass("Maps"), "maps", Modifier.PRIVATE);
        type.addField(skeleton.nestedClass("Programs"), "programs", Modifier.PRIVATE, Modifier.FINAL);
        build.addStatement("maps = new Maps(loaded)");
        close.beginControlFlow("if (maps != null)").addStatement("maps.close()").endControlFlow().addStatement("loaded.close()");
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).addParameter(LOADED, "loaded").addParameter(OBJECT, "object")
                        .addStatement("this.loaded = loaded").addStatement("this.programs = new Programs(loaded)")
                        .beginControlFlow("try").addCode(build.build())
                        .nextControlFlow("catch ($T e)", RuntimeException.class).addStatement("close()").addStatement("throw e")
                        .endControlFlow().build())
                .addMethod(ViewCode.method("maps", skeleton.nestedClass("Maps"), "{@return the object's {@code .maps}, typed}")
                        .addStatement("return maps").build())
                .addMethod(ViewCode.method("programs", skeleton.nestedClass("Programs"), "{@return the object's programs}")
                        .addStatement("return programs").build())
                .addMethod(ViewCode.method("loaded", LOADED, "{@return the loaded object, for what the skeleton does not type}")
                        .addStatement("return loaded").build())
                .addMethod(close.build());
    }
}
