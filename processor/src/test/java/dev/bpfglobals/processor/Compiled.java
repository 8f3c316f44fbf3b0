package dev.bpfglobals.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/**
 * A compilation of test sources with the processor, plus access to what it generated: resources
 * as text and generated classes through a class loader.
 */
final class Compiled {

    final Compilation compilation;

    private Compiled(Compilation compilation) {
        this.compilation = compilation;
    }

    /** Compiles {@code sources} (fully qualified name, source text pairs) with the processor. */
    static Compiled compile(String... namesAndSources) {
        JavaFileObject[] files = new JavaFileObject[namesAndSources.length / 2];
        for (int i = 0; i < files.length; i++) {
            files[i] = JavaFileObjects.forSourceString(namesAndSources[2 * i], namesAndSources[2 * i + 1]);
        }
        return new Compiled(javac().withProcessors(new GlobalsProcessor()).compile(files));
    }

    /** A file the processor wrote to CLASS_OUTPUT, as text. */
    String resource(String path) {
        JavaFileObject file = compilation.generatedFile(StandardLocation.CLASS_OUTPUT, path)
                .orElseThrow(() -> new AssertionError("not generated: " + path + "; diagnostics: " + compilation.diagnostics()));
        try {
            return file.getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The C header generated for the record with this binary name. */
    String header(String binaryName) {
        return resource("META-INF/bpf-globals/" + binaryName + ".h");
    }

    /** The contract generated for the record with this binary name. */
    String contract(String binaryName) {
        return resource("META-INF/bpf-globals/" + binaryName + ".json");
    }

    /** A class loader over every compiled class, falling back to the test class path. */
    ClassLoader classLoader() {
        Map<String, byte[]> classes = new HashMap<>();
        for (JavaFileObject file : compilation.generatedFiles()) {
            if (file.getKind() != JavaFileObject.Kind.CLASS) {
                continue;
            }
            String path = file.toUri().getPath();
            String name = path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length(), path.length() - ".class".length())
                    .replace('/', '.');
            try (InputStream in = file.openInputStream()) {
                classes.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ClassLoader(Compiled.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, bytes, 0, bytes.length);
            }
        };
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
