package dev.bpfglobals.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A small Maven-shaped project in a temporary directory: records compiled by javac with the real
 * bpf-globals processor into {@code target/classes}, BPF C in {@code src/main/bpf}, and the goal
 * configured with the defaults Maven would inject.
 */
final class TestProject {

    final Path base;
    final Path classes;

    TestProject(Path base) {
        this.base = base;
        this.classes = base.resolve("target/classes");
    }

    /** Compiles {@code source} (a Java compilation unit) as {@code src/main/java/<path>} with the processor. */
    TestProject record(String path, String source) throws IOException {
        Path file = base.resolve("src/main/java").resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> arguments = new ArrayList<>(List.of("-proc:full", "-d", classes.toString(),
                "-classpath", System.getProperty("java.class.path"), file.toString()));
        int exit = javac.run(null, null, null, arguments.toArray(String[]::new));
        assertThat(exit).as("javac with the processor on " + path).isZero();
        return this;
    }

    /** Writes {@code src/main/bpf/NAME.bpf.c}. */
    TestProject bpf(String name, String source) throws IOException {
        Path file = base.resolve("src/main/bpf").resolve(name + ".bpf.c");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        return this;
    }

    /** The goal with Maven's defaults for this project. */
    CompileBpfMojo mojo(String mode) {
        CompileBpfMojo mojo = new CompileBpfMojo();
        mojo.sourceDirectory = base.resolve("src/main/bpf").toFile();
        mojo.headerDirectory = new File(classes.toFile(), "META-INF/bpf-globals");
        mojo.contractDirectory = mojo.headerDirectory;
        mojo.outputDirectory = new File(classes.toFile(), "bpf");
        mojo.mode = mode;
        mojo.clang = "clang";
        mojo.clangArguments = List.of("-Werror");
        return mojo;
    }

    Path object(String name) {
        return classes.resolve("bpf").resolve(name);
    }
}
