package dev.bpfglobals.skeleton;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.bpfglobals.runtime.LoadOptions;
import dev.bpfglobals.runtime.LoaderSignature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import javax.lang.model.element.Modifier;

/**
 * What a skeleton generated with a signing key adds: the loader's signature, a resource beside the
 * class ({@code Name.loader.p7s}), and {@code Spec.load(keyringId)}, which loads through the light
 * loader as a signed BPF program checked against that keyring.
 */
final class SignedLoadCode {

    private SignedLoadCode() {
    }

    /**
     * The resource name of the loader's signature beside class {@code className}: {@code ClassName.loader.p7s}.
     *
     * @param className the skeleton's simple name
     * @return the resource's file name
     */
    static String resourceName(String className) {
        return className + ".loader.p7s";
    }

    static FieldSpec resourceField(String className) {
        return FieldSpec.builder(String.class, "LOADER_SIGNATURE_RESOURCE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The light loader's detached PKCS#7 signature, made at build time, a class-path resource beside this class.\n")
                .initializer("$S", resourceName(className)).build();
    }

    /** Adds {@code load(int)} and {@code load(LoadOptions, int)} to the skeleton's {@code Spec}. */
    static TypeSpec withSignedLoads(TypeSpec spec, ClassName skeleton) {
        return spec.toBuilder()
                .addMethod(ViewCode.method("load", skeleton, "Loads the object through the light loader as a signed BPF program, the"
                                + " kernel checking the signature made at build time against keyring {@code keyringId}. The object must be"
                                + " loaded as it was signed: a global set through the images changes what the kernel checks.\n"
                                + "@param keyringId 0, 1 or 2 (the built-in, secondary or platform keys), or the serial of a keyring this"
                                + " process possesses that holds the signer's certificate\n@return the loaded skeleton, to close\n"
                                + "@throws IOException if the signature resource cannot be read")
                        .addParameter(int.class, "keyringId").addException(IOException.class)
                        .addStatement("return load($T.defaults(), keyringId)", LoadOptions.class).build())
                .addMethod(ViewCode.method("load", skeleton, "As {@link #load(int)}, as {@code options} say.\n@param options how to load it\n"
                                + "@param keyringId the keyring the kernel checks the signature against\n@return the loaded skeleton, to close\n"
                                + "@throws IOException if the signature resource cannot be read")
                        .addParameter(LoadOptions.class, "options").addParameter(int.class, "keyringId").addException(IOException.class)
                        .addStatement("$T with = object()", ViewCode.OBJECT)
                        .beginControlFlow("try ($T in = $T.class.getResourceAsStream(LOADER_SIGNATURE_RESOURCE))", InputStream.class, skeleton)
                        .beginControlFlow("if (in == null)")
                        .addStatement("throw new $T(LOADER_SIGNATURE_RESOURCE, null, $S)", NoSuchFileException.class,
                                "no such resource beside " + skeleton.canonicalName() + "; keep the signature generated with it")
                        .endControlFlow()
                        .addStatement("return new $T(with.loadLight(options, new $T(in.readAllBytes(), keyringId)), with)", skeleton,
                                LoaderSignature.class)
                        .endControlFlow().build())
                .build();
    }
}
