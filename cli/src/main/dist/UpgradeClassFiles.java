import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Run by assemble.sh with the JDK 25 that trains the AOT cache: {@code java UpgradeClassFiles.java JAR}
 * rewrites the jar's class files older than Java 6 (version 50) as version 52, with the stack maps
 * that version carries, and changes nothing else: the same bytecode, constants and attributes.
 *
 * <p>Why: picocli's jar is compiled for Java 5. The JVM checks such classes with the old
 * type-inferring verifier, which the AOT cache cannot hold linked, so without this every command
 * loads and verifies picocli's ~170 classes from the jar again (measured: a third of a cold
 * {@code inspect}'s CPU time). Verified against stack maps, they are stored in the cache like the rest.
 */
public final class UpgradeClassFiles {

    private static final int OLDEST_WITH_STACK_MAPS = 50;
    private static final int UPGRADED = 52;

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Path upgraded = jar.resolveSibling(jar.getFileName() + ".upgraded");
        int count = 0;
        try (URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             InputStream file = Files.newInputStream(jar);
             ZipInputStream in = new ZipInputStream(file);
             OutputStream outFile = Files.newOutputStream(upgraded);
             ZipOutputStream out = new ZipOutputStream(outFile)) {
            // Stack maps name the common supertype where branches meet: the jar's own classes are read from it.
            ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(classes))));
            ClassTransform upgrade = ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                    .andThen((builder, element) -> {
                        if (element instanceof ClassFileVersion) {
                            builder.withVersion(UPGRADED, 0);
                        } else {
                            builder.with(element);
                        }
                    });
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")) {
                    ClassModel model = classFile.parse(bytes);
                    if (model.majorVersion() < OLDEST_WITH_STACK_MAPS) {
                        bytes = classFile.transformClass(model, upgrade);
                        count++;
                    }
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        if (count == 0) {
            Files.delete(upgraded); // upgraded by an earlier build: the dependency plugin keeps a newer copy
            return;
        }
        Files.move(upgraded, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("bpf-globals: " + jar.getFileName() + ": " + count + " class files upgraded to version " + UPGRADED
                + " (stack maps added), so that the AOT cache can hold them");
    }
}
