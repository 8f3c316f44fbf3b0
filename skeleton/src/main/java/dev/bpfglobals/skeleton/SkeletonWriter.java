package dev.bpfglobals.skeleton;

import com.palantir.javapoet.JavaFile;
import dev.bpfglobals.runtime.BpfFormatException;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.skeleton.signing.SigningFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Writes an object's skeleton: {@code SOURCES/p/a/c/Name.java} and the object itself as
 * {@code RESOURCES/p/a/c/Name.bpf.o}, the class-path resource its {@code open()} reads. The
 * command-line tool passes one directory for both; the Maven plugin passes its generated-sources
 * and generated-resources directories.
 */
public final class SkeletonWriter {

    private SkeletonWriter() {
    }

    /**
     * What was written: the source file and the resource beside it.
     *
     * @param source   the generated {@code .java} file
     * @param resource the object's copy
     * @param className the skeleton's fully qualified name
     */
    public record Written(Path source, Path resource, String className) {
    }

    /**
     * Generates and writes the skeleton of {@code object}.
     *
     * @param object      the BPF object file
     * @param packageName the skeleton's package
     * @param className   its simple name, or null for one made from the file name ({@link SkeletonGenerator#className})
     * @param sources     the source root to write the class under
     * @param resources   the resource root to write the object under
     * @return the files written
     * @throws IOException       if the object cannot be read or the files written
     * @throws SkeletonException naming what is wrong, for an object that is not a BPF object or that Java cannot mirror
     */
    public static Written write(Path object, String packageName, String className, Path sources, Path resources) throws IOException {
        return write(object, packageName, className, sources, resources, false);
    }

    /**
     * Generates and writes the skeleton of {@code object}, loading through the light loader when {@code light} is set.
     *
     * @param object      the BPF object file
     * @param packageName the skeleton's package
     * @param className   its simple name, or null for one made from the file name
     * @param sources     the source root to write the class under
     * @param resources   the resource root to write the object under
     * @param light       whether the skeleton's {@code load()} goes through {@code ObjectSpec.loadLight}
     * @return the files written
     * @throws IOException       if the object cannot be read or the files written
     * @throws SkeletonException naming what is wrong, for an object that is not a BPF object or that Java cannot mirror
     */
    public static Written write(Path object, String packageName, String className, Path sources, Path resources, boolean light)
            throws IOException {
        return write(object, packageName, className, sources, resources, light, null);
    }

    /**
     * As {@link #write(Path, String, String, Path, Path, boolean)}; with {@code signing}, the light loader is
     * signed here and its signature written beside the object ({@code Name.loader.p7s}), for {@code Spec.load(keyringId)}.
     *
     * @param object      the BPF object file
     * @param packageName the skeleton's package
     * @param className   its simple name, or null for one made from the file name
     * @param sources     the source root to write the class under
     * @param resources   the resource root to write the object (and signature) under
     * @param light       whether the skeleton's {@code load()} goes through {@code ObjectSpec.loadLight}
     * @param signing     the signer's key and certificate, or null for an unsigned skeleton
     * @return the files written
     * @throws IOException       if the object or the signer's files cannot be read, or the files written
     * @throws SkeletonException naming what is wrong: an object Java cannot mirror, signing without {@code light},
     *                           a key or certificate that cannot sign
     */
    public static Written write(Path object, String packageName, String className, Path sources, Path resources, boolean light,
            SigningFiles signing) throws IOException {
        if (signing != null && !light) {
            throw new SkeletonException("a signing key signs the light loader: generate the skeleton with --light");
        }
        if (!Files.isRegularFile(object)) {
            throw new NoSuchFileException(object.toString(), null, "no such BPF object file");
        }
        byte[] bytes = Files.readAllBytes(object);
        ObjectSpec spec;
        try {
            spec = ObjectSpec.open(bytes);
        } catch (BpfFormatException e) {
            throw new SkeletonException(object + " is not a BPF object this tool can read: " + e.getMessage());
        }
        String name = className != null ? className : SkeletonGenerator.className(object.getFileName().toString());
        byte[] signature = signing == null ? null : signing.sign(spec);
        JavaFile file = SkeletonGenerator.generate(spec, packageName, name, light, signature != null);
        // The resources first, the source last: a failure leaves no class naming a missing resource;
        // and a signature from an earlier signed generation goes, or the jar would ship it unused.
        Path resourceDir = resources.resolve(packageName.replace('.', '/'));
        Files.createDirectories(resourceDir);
        Path signatureFile = resourceDir.resolve(SignedLoadCode.resourceName(name));
        if (signature != null) {
            Files.write(signatureFile, signature);
        } else {
            Files.deleteIfExists(signatureFile);
        }
        Path resource = Files.write(resourceDir.resolve(SkeletonGenerator.resourceName(name)), bytes);
        Path source = file.writeToPath(sources);
        return new Written(source, resource, packageName.isEmpty() ? name : packageName + "." + name);
    }
}
