package dev.bpfglobals.benchmarks;

import dev.bpfglobals.processor.GlobalsProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * javac over 1,000 records of 20 components each, with the bpf-globals processor and without it:
 * the difference is what the processor (validation, layout, three outputs per record) costs a build.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class ProcessorBenchmark {

    private static final int RECORDS = 1000;
    private static final int COMPONENTS = 20;
    private static final String[] TYPES = {"@Unsigned long", "int", "@Unsigned short", "byte", "boolean",
        "@Length(4) long[]", "char", "@Unsigned @Length(3) int[]"};

    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    private List<JavaFileObject> sources;
    private Path output;

    @Setup(Level.Trial)
    public void makeSources() {
        sources = new ArrayList<>();
        for (int r = 0; r < RECORDS; r++) {
            StringBuilder source = new StringBuilder("package bench;\nimport dev.bpfglobals.annotations.*;\n")
                    .append("@SuppressWarnings(\"bpfglobals.padding\")\npublic record R").append(r).append("(");
            for (int c = 0; c < COMPONENTS; c++) {
                source.append(c == 0 ? "" : ", ").append("@PerCpu ").append(TYPES[(r + c) % TYPES.length])
                        .append(" v").append(c);
            }
            sources.add(source(r, source.append(") {}\n").toString()));
        }
    }

    @Setup(Level.Invocation)
    public void makeOutput() throws IOException {
        output = Files.createTempDirectory("bpfglobals-bench");
    }

    @TearDown(Level.Invocation)
    public void deleteOutput() throws IOException {
        try (var files = Files.walk(output)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Benchmark
    public boolean javacWithProcessor() {
        return compile(true);
    }

    @Benchmark
    public boolean javacWithoutProcessor() {
        return compile(false);
    }

    private boolean compile(boolean withProcessor) {
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            List<String> options = new ArrayList<>(List.of("-d", output.toString(), "-classpath",
                    System.getProperty("java.class.path"), "-proc:" + (withProcessor ? "full" : "none")));
            JavaCompiler.CompilationTask task = javac.getTask(null, files, null, options, null, sources);
            if (withProcessor) {
                task.setProcessors(List.of(new GlobalsProcessor()));
            }
            if (!task.call()) {
                throw new IllegalStateException("benchmark sources did not compile");
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JavaFileObject source(int index, String text) {
        return new SimpleJavaFileObject(URI.create("string:///bench/R" + index + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
    }
}
