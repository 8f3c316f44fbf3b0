package dev.bpfglobals.skeleton.testing;

import dev.bpfglobals.skeleton.SkeletonWriter;
import dev.bpfglobals.skeleton.signing.SigningFiles;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Skeletons as a user gets them: generated into {@code target/skeletons/SET/src} (the class and the
 * object beside it), compiled by javac with the drivers of {@code src/test/drivers/SET} (plain Java
 * that uses the skeletons' typed API, as an application would), and loaded in a class loader of
 * their own. A driver is a {@code Callable<Map<String, Object>>}: it loads, runs and reads, and
 * hands back what it read, with the open skeleton under {@code "skeleton"} for the test to close.
 */
public final class GeneratedSkeletons {

    private final ClassLoader loader;

    private GeneratedSkeletons(ClassLoader loader) {
        this.loader = loader;
    }

    /** Generates the skeletons of {@code objects} in package {@code set}, and compiles them with the set's drivers. */
    public static GeneratedSkeletons build(String set, Path... objects) throws IOException {
        return build(set, false, objects);
    }

    /** As {@link #build(String, Path...)}, the skeletons loading through the light loader when {@code light} is set ({@code gen skeleton --light}). */
    public static GeneratedSkeletons build(String set, boolean light, Path... objects) throws IOException {
        return build(set, light, null, objects);
    }

    /** As {@link #build(String, boolean, Path...)}, the light loaders signed by {@code signing} when it is given ({@code --sign-key}). */
    public static GeneratedSkeletons build(String set, boolean light, SigningFiles signing, Path... objects) throws IOException {
        Path root = Path.of("target/skeletons", set);
        Path src = root.resolve("src");
        Path classes = root.resolve("classes");
        for (Path object : objects) {
            SkeletonWriter.write(object, set, null, src, classes, light, signing);
        }
        List<String> sources = new ArrayList<>();
        try (var files = Files.walk(src)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> sources.add(f.toString()));
        }
        Path drivers = Path.of("src/test/drivers", set);
        if (Files.isDirectory(drivers)) {
            try (var files = Files.list(drivers)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> sources.add(f.toString()));
            }
        }
        compile(sources, classes);
        return new GeneratedSkeletons(new URLClassLoader(new URL[] {classes.toUri().toURL()},
                GeneratedSkeletons.class.getClassLoader()));
    }

    /** javac on {@code sources} with this test's class path, failing with javac's messages. */
    public static void compile(List<String> sources, Path classes) throws IOException {
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream messages = new java.io.ByteArrayOutputStream();
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")
                + File.pathSeparator + classes, "-Xlint:all,-try", "-Werror", "-proc:none"));
        arguments.addAll(sources);
        if (javac.run(null, messages, messages, arguments.toArray(String[]::new)) != 0) {
            throw new AssertionError("the generated code does not compile:\n" + messages);
        }
    }

    /** A generated or driver class, by binary name. */
    public Class<?> type(String name) throws ClassNotFoundException {
        return Class.forName(name, true, loader);
    }

    /** Runs driver {@code name}; the caller closes {@code result.get("skeleton")}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> run(String name) throws Exception {
        Callable<Map<String, Object>> driver = (Callable<Map<String, Object>>) type(name).getDeclaredConstructor().newInstance();
        return driver.call();
    }
}
