package dev.bpfglobals.processor;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles with the processor into real directories and lists every file written. compile-testing
 * hides generated files once a compilation fails, but what a failing build leaves behind is exactly
 * what tests of error handling must see: a stale or wrong header in the output is the bug.
 */
final class DiskCompile {

    private DiskCompile() {
    }

    /** Compiles {@code sources} into {@code dir} and returns every file the build wrote, relative to it. */
    static List<String> filesWritten(Path dir, javax.tools.JavaFileObject... sources) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            Path classes = Files.createDirectories(dir.resolve("classes"));
            Path generated = Files.createDirectories(dir.resolve("generated"));
            JavaCompiler.CompilationTask task = javac.getTask(new StringWriter(), files, null,
                    List.of("-classpath", System.getProperty("java.class.path"),
                            "-d", classes.toString(), "-s", generated.toString()),
                    null, List.of(sources));
            task.setProcessors(List.of(new GlobalsProcessor()));
            task.call();
            try (Stream<Path> walk = Files.walk(dir)) {
                return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
