package dev.bpfglobals.maven;

import dev.bpfglobals.skeleton.SkeletonException;
import dev.bpfglobals.skeleton.SkeletonWriter;
import dev.bpfglobals.skeleton.signing.SigningFiles;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes the skeleton of each BPF object (C-first: typed Java for an object whose C nobody wrote
 * from a record), as {@code bpf-globals gen skeleton} does: one class per object under
 * {@code target/generated-sources/bpf-skeletons}, which this goal adds to the compile source roots,
 * and the object beside the class in the class output, where its {@code open()} reads it. The
 * objects are the ones given in {@code <objects>}, else every {@code *.o} the {@code compile-bpf}
 * goal left in its output directory (bind {@code compile-bpf} to {@code generate-sources} before this
 * goal for C that includes no generated header). Bound to {@code generate-sources}.
 */
@Mojo(name = "gen-skeleton", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenSkeletonMojo extends AbstractMojo {

    /** Made by Maven, which then sets the parameters below from the plugin's configuration. */
    public GenSkeletonMojo() {
    }

    /** The package of the generated classes. */
    @Parameter(property = "bpfglobals.skeletonPackage", required = true)
    String packageName;

    /** The objects to generate skeletons for; when empty, every {@code *.o} in {@link #objectDirectory}. */
    @Parameter
    List<File> objects = new ArrayList<>();

    /** Where {@code compile-bpf} writes its objects: the default source of objects. */
    @Parameter(property = "bpfglobals.outputDirectory", defaultValue = "${project.build.outputDirectory}/bpf")
    File objectDirectory;

    /** Where the generated classes go; added to the compile source roots. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/bpf-skeletons")
    File sourceDirectory;

    /** Where each object's copy goes, under its class's package: the class output, so that it is on the class path. */
    @Parameter(defaultValue = "${project.build.outputDirectory}")
    File resourceDirectory;

    /** The project's compile source roots, which the generated sources join. */
    @Parameter(defaultValue = "${project.compileSourceRoots}", readonly = true, required = true)
    List<String> compileSourceRoots;

    /** Whether each skeleton's {@code load()} goes through the light loader ({@code ObjectSpec.loadLight}), as {@code gen skeleton --light}. */
    @Parameter(property = "bpfglobals.light", defaultValue = "false")
    boolean light;

    /** With {@code light}: the unencrypted PKCS#8 PEM key that signs each light loader, as {@code gen skeleton --sign-key}. */
    @Parameter(property = "bpfglobals.signKey")
    File signKey;

    /** The PEM X.509 certificate of {@code signKey}, as {@code gen skeleton --sign-cert}. */
    @Parameter(property = "bpfglobals.signCert")
    File signCert;

    /** Skips the goal entirely. */
    @Parameter(property = "bpfglobals.skip", defaultValue = "false")
    boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("bpf-globals: skipped");
            return;
        }
        try {
            List<Path> inputs = inputs();
            if (inputs.isEmpty()) {
                getLog().info("bpf-globals: no BPF objects to generate skeletons for (none given, none in " + objectDirectory + ")");
                return;
            }
            if ((signKey == null) != (signCert == null)) {
                throw new MojoFailureException("bpf-globals: signKey and signCert go together: the key signs, the certificate names the signer");
            }
            if (signKey != null && !light) {
                throw new MojoFailureException("bpf-globals: signKey signs a light loader: set light to true as well");
            }
            requireFile("signKey", signKey);
            requireFile("signCert", signCert);
            SigningFiles signing = signKey == null ? null : new SigningFiles(signKey.toPath(), signCert.toPath());
            for (Path object : inputs) {
                SkeletonWriter.Written written = SkeletonWriter.write(object, packageName, null, sourceDirectory.toPath(),
                        resourceDirectory.toPath(), light, signing);
                getLog().info("bpf-globals: " + object.getFileName() + " -> " + written.className());
            }
            if (!compileSourceRoots.contains(sourceDirectory.getPath())) {
                compileSourceRoots.add(sourceDirectory.getPath());
            }
        } catch (SkeletonException e) {
            throw new MojoFailureException("bpf-globals: " + e.getMessage());
        } catch (IOException e) {
            throw new MojoExecutionException("bpf-globals: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // A malformed object or one the generator cannot mirror: the build says so in one line.
            throw new MojoFailureException("bpf-globals: " + e.getMessage(), e);
        }
    }

    private static void requireFile(String parameter, File file) throws MojoFailureException {
        if (file != null && !file.isFile()) {
            throw new MojoFailureException("bpf-globals: " + parameter + " " + file + " is not a file");
        }
    }

    private List<Path> inputs() throws IOException {
        if (!objects.isEmpty()) {
            return objects.stream().map(File::toPath).toList();
        }
        if (!objectDirectory.isDirectory()) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(objectDirectory.toPath())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".o") && Files.isRegularFile(f)).sorted().toList();
        }
    }
}
