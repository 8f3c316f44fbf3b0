package dev.bpfglobals.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.palantir.javapoet.ClassName;
import dev.bpfglobals.annotations.PerCpu;
import dev.bpfglobals.contract.GlobalsContract;
import dev.bpfglobals.runtime.SectionCodec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build runs the processor from its {@code annotationProcessorPaths}, which Maven fills from the
 * processor's own dependencies: the annotations, the contract and (shaded) javapoet, not the
 * runtime. The record is compiled as such a build compiles it, with the runtime on the class path
 * only, by a javac of its own: in this JVM the test class path, runtime included, would show
 * through to the processor.
 */
class ProcessorPathTest {

    /** The class-path entry (directory or jar) {@code type} was loaded from. */
    private static Path location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String path(List<Path> entries) {
        return entries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    @Test
    void theProcessorRunsWithoutTheRuntimeOnItsPath(@TempDir Path dir) throws Exception {
        Path runtime = location(SectionCodec.class);
        List<Path> processorPath = List.of(location(GlobalsProcessor.class), location(PerCpu.class),
                location(GlobalsContract.class), location(ClassName.class));
        List<Path> classPath = List.of(location(PerCpu.class), location(GlobalsContract.class), runtime);
        assertThat(processorPath).doesNotContain(runtime);
        Path source = Files.createDirectories(dir.resolve("src/demo")).resolve("Flow.java");
        Files.writeString(source, """
                package demo;

                import dev.bpfglobals.annotations.PerCpu;
                import dev.bpfglobals.annotations.Unsigned;

                public record Flow(@PerCpu @Unsigned long packets, int limit) {
                }
                """);
        Path out = dir.resolve("out");
        Path log = dir.resolve("javac.log");

        Process javac = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "-proc:full", "-processorpath", path(processorPath), "-classpath", path(classPath),
                "-d", out.toString(), source.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        assertThat(javac.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(javac.exitValue()).as(Files.readString(log)).isZero();
        assertThat(out.resolve("demo/FlowGlobals.class")).exists();
        assertThat(out.resolve("META-INF/bpf-globals/demo.Flow.json")).exists();
    }
}
