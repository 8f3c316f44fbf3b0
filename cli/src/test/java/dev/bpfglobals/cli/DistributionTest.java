package dev.bpfglobals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tool as installed: target/bpf-globals, which the package phase assembles (src/main/dist),
 * run through its launcher as a user runs it, from another directory, through a symlink, with no
 * Maven and no JAVA_HOME. Runs in the integration-test phase, after package (see pom.xml).
 */
@Tag("distribution")
class DistributionTest {

    private static final Path DIST = Path.of("target/bpf-globals").toAbsolutePath();

    @TempDir
    Path dir;

    private Path copy;

    /** A copy of the distribution in a directory of this test's own, times kept, as {@code cp -a} makes it. */
    @BeforeEach
    void copyTheDistribution() throws IOException {
        copy = dir.resolve("installed");
        try (Stream<Path> files = Files.walk(DIST)) {
            for (Path from : files.toList()) {
                Path to = copy.resolve(DIST.relativize(from).toString());
                Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private record Run(int status, String out, String err) {
    }

    /** Runs {@code launcher args} in the test's directory with no JAVA_HOME and a PATH whose java may be 17. */
    private Run run(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().putAll(env);
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Path symlinkToLauncher(Path dist) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("somewhere/bin"));
        return Files.createSymbolicLink(bin.resolve("bpf-globals"), dist.resolve("bin/bpf-globals"));
    }

    /** Whether the run loaded the tool's main class from the AOT cache (class+load logged to {@code log}). */
    private static boolean mainClassFromCache(Path log) throws IOException {
        return Files.readAllLines(log).stream()
                .anyMatch(line -> line.contains("dev.bpfglobals.cli.BpfGlobalsCli source: shared objects file"));
    }

    @Test
    void runsThroughASymlinkFromAnotherDirectoryWithAJdk22OrNewer() throws Exception {
        Run run = run(symlinkToLauncher(DIST), Map.of(), "--version");

        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("bpf-globals " + Version.version() + "\n")
                .contains("Java " + Runtime.version().feature());
    }

    @Test
    void passesOverAJavaHomeOlderThan22() throws Exception {
        Path old = Files.createDirectories(dir.resolve("jdk-17/bin"));
        Files.writeString(old.resolveSibling("release"), "JAVA_VERSION=\"17.0.15\"\n");
        Files.writeString(old.resolve("java"), "#!/bin/sh\necho 'a JDK 17 ran' >&2\nexit 99\n");
        old.resolve("java").toFile().setExecutable(true);

        Run run = run(symlinkToLauncher(DIST), Map.of("JAVA_HOME", old.getParent().toString()), "--version");

        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void helpListsTheCommandsAndExitsZero() throws Exception {
        Run run = run(symlinkToLauncher(DIST), Map.of(), "--help");

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("Commands:").contains("inspect").contains("export");
    }

    @Test
    void exportRunsWithTheExportersJars() throws Exception {
        Run run = run(symlinkToLauncher(DIST), Map.of(), "export", "--listen", "127.0.0.1:0", dir.resolve("no-pin").toString());

        // It gets as far as serving (Prometheus's registry and server, the exporter's classes), then stops: no source opened.
        assertThat(run.err()).endsWith("bpf-globals export: no source could be opened; nothing to serve\n");
        assertThat(run.status()).isEqualTo(1);
    }

    @Test
    void aUsageErrorExitsTwoAndAFailureOneEachWithOneLine() throws Exception {
        Run usage = run(symlinkToLauncher(DIST), Map.of(), "nonsense");
        Run failure = run(DIST.resolve("bin/bpf-globals"), Map.of(), "inspect", dir.resolve("missing.o").toString());

        assertThat(usage.status()).isEqualTo(2);
        assertThat(usage.err()).startsWith("bpf-globals: unknown command 'nonsense'");
        assertThat(failure.status()).isEqualTo(1);
        assertThat(failure.err().lines()).hasSize(1).allMatch(line -> line.startsWith("bpf-globals"));
    }

    /**
     * The three caches and a command that uses each: the commands that only read files have one
     * without the classes loading needs (the JVM loads every class of a cache at start), and export
     * one trained on its own class path and options. The build trains export's where it can load
     * and pin (root, a BPF filesystem), as every leg that runs this test can.
     */
    static Stream<Arguments> caches() {
        return Stream.of(Arguments.of("bpf-globals-files.aot", List.of("--version")),
                Arguments.of("bpf-globals.aot", List.of("dump", "--help")),
                Arguments.of("bpf-globals-export.aot", List.of("export", "--help")));
    }

    @ParameterizedTest(name = "{1} uses {0}")
    @MethodSource("caches")
    void aCopyElsewhereStillUsesItsAotCache(String name, List<String> command) throws Exception {
        assertThat(copy.resolve("lib/" + name)).as("the build made a cache (JDK 25)").exists();
        Path log = dir.resolve("classes.log");
        Path opened = dir.resolve("aot.log");

        Run run = run(symlinkToLauncher(copy), Map.of("BPFGLOBALS_JAVA_OPTS", "-Xlog:class+load:file=" + log
                + " -Xlog:aot=info:file=" + opened), command.toArray(String[]::new));

        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(mainClassFromCache(log)).as("main class from the cache").isTrue();
        assertThat(Files.readString(opened)).contains("Opened AOT cache " + copy.resolve("lib/" + name) + ".");
    }

    @ParameterizedTest(name = "{1} with {0}")
    @MethodSource("caches")
    void aCacheOlderThanAJarIsIgnoredWithOneLine(String name, List<String> command) throws Exception {
        Path jar = copy.resolve("lib/picocli.jar");
        FileTime cacheTime = Files.getLastModifiedTime(copy.resolve("lib/" + name), LinkOption.NOFOLLOW_LINKS);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(cacheTime.toMillis() + 60_000));
        Path log = dir.resolve("classes.log");

        Run run = run(symlinkToLauncher(copy), Map.of("BPFGLOBALS_JAVA_OPTS", "-Xlog:class+load:file=" + log),
                command.toArray(String[]::new));

        assertThat(run.status()).isZero();
        assertThat(run.err().lines()).containsExactly("bpf-globals: ignoring " + copy.resolve("lib/" + name)
                + ": picocli.jar is newer than it; rebuild to remake it");
        assertThat(run.out()).contains("bpf-globals");
        assertThat(mainClassFromCache(log)).as("main class from the cache").isFalse();
    }

    @ParameterizedTest(name = "{1} with {0}")
    @MethodSource("caches")
    void aCacheMadeByAnotherJdkIsIgnoredWithOneLine(String name, List<String> command) throws Exception {
        Files.writeString(copy.resolve("lib/" + name + ".jdk"), "25.0.0+1-other\n");
        Files.setLastModifiedTime(copy.resolve("lib/" + name + ".jdk"), Files.getLastModifiedTime(copy.resolve("lib/" + name)));
        Path log = dir.resolve("classes.log");

        Run run = run(symlinkToLauncher(copy), Map.of("BPFGLOBALS_JAVA_OPTS", "-Xlog:class+load:file=" + log),
                command.toArray(String[]::new));

        assertThat(run.status()).isZero();
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("bpf-globals: ignoring " + copy.resolve("lib/" + name) + ": made by JDK 25.0.0+1-other, this is ");
        assertThat(mainClassFromCache(log)).as("main class from the cache").isFalse();
    }

    @ParameterizedTest(name = "{1} with {0}")
    @MethodSource("caches")
    void aDamagedCacheIsIgnoredWithoutAWord(String name, List<String> command) throws Exception {
        Path cache = copy.resolve("lib/" + name);
        FileTime made = Files.getLastModifiedTime(cache);
        Files.write(cache, new byte[4096]);
        Files.setLastModifiedTime(cache, made);

        Run run = run(symlinkToLauncher(copy), Map.of(), command.toArray(String[]::new));

        assertThat(run.status()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("bpf-globals");
    }
}
