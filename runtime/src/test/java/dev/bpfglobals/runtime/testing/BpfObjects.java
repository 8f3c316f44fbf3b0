package dev.bpfglobals.runtime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Compiles the C sources under a module's src/test/bpf with clang into target/test-bpf, once per
 * name and target: {@code clang -O2 -g -target bpf -I/usr/include/<arch>-linux-gnu -c}. Objects
 * are built at test time, never committed.
 */
public final class BpfObjects {

    private BpfObjects() {
    }

    /** The object built from {@code src/test/bpf/NAME.bpf.c} of the module under test, for little-endian BPF. */
    public static Path compile(String name) throws IOException, InterruptedException {
        return compile(name, "bpf");
    }

    /** The same source built for big-endian BPF ({@code -target bpfeb}): the readers must take both byte orders. */
    public static Path compileBigEndian(String name) throws IOException, InterruptedException {
        return compile(name, "bpfeb");
    }

    /**
     * The same source built with preprocessor definitions ({@code -DCOMPAT}), as a variant of its
     * own: {@code target/test-bpf/NAME.VARIANT.bpf.o}.
     */
    public static Path compileVariant(String name, String variant, String... defines) throws IOException, InterruptedException {
        return compile(name, "bpf", "." + variant + ".bpf.o", defines);
    }

    /**
     * The object built on the running kernel's {@code vmlinux.h}, as libbpf-bootstrap programs are:
     * the header is dumped once by {@code bpftool btf dump file /sys/kernel/btf/vmlinux format c}
     * into {@code target/vmlinux/vmlinux.h}, and the build gets {@code -I} for it (the source must not
     * include the system's {@code <linux/*.h>} too, which clash with it).
     */
    public static Path compileWithVmlinux(String name) throws IOException, InterruptedException {
        return compile(Path.of("src/test/bpf"), name, "bpf", ".bpf.o", "-I" + vmlinuxHeader().getParent());
    }

    /**
     * The object built by {@code clang-19} (Debian's {@code clang-19} package, which {@code .ci/run}
     * installs), for sources clang 14 cannot compile: {@code __arena} globals and pointers need
     * {@code address_space(1)} and {@code addr_space_cast}, which LLVM has since 18. Each variant
     * ({@code -D} definitions) is its own file, {@code target/test-bpf/NAME.VARIANT.clang19.bpf.o}.
     * Where {@code clang-19} is missing the test is skipped, or fails saying so when kernel tests are
     * required ({@code -Dbpfglobals.kernelTests=require}).
     *
     * @param name    the source, {@code src/test/bpf-clang19/NAME.bpf.c} (a directory of its own, which the
     *                corpora that build every source of {@code src/test/bpf} with clang 14 leave out)
     * @param variant the variant's name, part of the object's file name
     * @param defines {@code -D} options
     * @return the object
     */
    public static synchronized Path compileWithClang19(String name, String variant, String... defines)
            throws IOException, InterruptedException {
        Path clang = Path.of("/usr/bin/clang-19");
        if (!Files.isExecutable(clang)) {
            String why = "clang-19 is missing (apt-get install clang-19): " + name + ".bpf.c uses __arena, which clang 14 cannot compile";
            if ("require".equals(System.getProperty("bpfglobals.kernelTests"))) {
                throw new AssertionError(why);
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(false, why);
        }
        Path source = Path.of("src/test/bpf-clang19", name + ".bpf.c");
        Path object = Files.createDirectories(Path.of("target/test-bpf")).resolve(name + "." + variant + ".clang19.bpf.o");
        if (Files.exists(object) && Files.getLastModifiedTime(object).compareTo(Files.getLastModifiedTime(source)) > 0) {
            return object;
        }
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(clang.toString(), "-O2", "-g",
                "-target", "bpf", "-Wall", "-I/usr/include/" + arch + "-linux-gnu"));
        command.addAll(java.util.List.of(defines));
        command.addAll(java.util.List.of("-c", source.toString(), "-o", object.toString()));
        run(new ProcessBuilder(command));
        return object;
    }

    /** As {@link #compileWithVmlinux(String)}, with preprocessor definitions: {@code target/test-bpf/NAME.VARIANT.bpf.o}. */
    public static Path compileWithVmlinux(String name, String variant, String... defines) throws IOException, InterruptedException {
        String[] flags = java.util.stream.Stream.concat(java.util.stream.Stream.of("-I" + vmlinuxHeader().getParent()),
                java.util.Arrays.stream(defines)).toArray(String[]::new);
        return compile(Path.of("src/test/bpf"), name, "bpf", "." + variant + ".bpf.o", flags);
    }

    /** As {@link #compileWithVmlinux(String, String, String...)}, for a program of the runtime's test sources used by another module's tests. */
    public static Path compileRuntimeWithVmlinux(String name, String variant, String... defines) throws IOException, InterruptedException {
        String[] flags = java.util.stream.Stream.concat(java.util.stream.Stream.of("-I" + vmlinuxHeader().getParent()),
                java.util.Arrays.stream(defines)).toArray(String[]::new);
        return compile(Path.of("../runtime/src/test/bpf"), name, "bpf", "." + variant + ".bpf.o", flags);
    }

    /** {@code target/vmlinux/vmlinux.h}, generated from the running kernel's BTF when missing. */
    public static synchronized Path vmlinuxHeader() throws IOException, InterruptedException {
        Path header = Files.createDirectories(Path.of("target/vmlinux")).resolve("vmlinux.h");
        if (!Files.exists(header)) {
            Path partial = header.resolveSibling("vmlinux.h.partial");
            Process bpftool = new ProcessBuilder("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c")
                    .redirectOutput(partial.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            bpftool.getOutputStream().close();
            if (!bpftool.waitFor(300, TimeUnit.SECONDS) || bpftool.exitValue() != 0) {
                throw new AssertionError("bpftool btf dump file /sys/kernel/btf/vmlinux format c failed");
            }
            Files.move(partial, header, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return header;
    }

    /** The object built without {@code -g}: no {@code .BTF}, no {@code .BTF.ext}. */
    public static Path compileWithoutDebugInfo(String name) throws IOException, InterruptedException {
        return compile(name, "bpf-nodebug");
    }

    /** The bytes of ELF section {@code section} of {@code object}, cut out by {@code llvm-objcopy}: a reference independent of our ELF reader. */
    public static byte[] section(Path object, String section) throws IOException, InterruptedException {
        Path out = Files.createTempFile(object.getParent(), object.getFileName() + ".", ".section");
        try {
            run(new ProcessBuilder("llvm-objcopy", "--dump-section", section + "=" + out, object.toString(), "/dev/null"));
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Path compile(String name, String target) throws IOException, InterruptedException {
        return compile(name, target, target.equals("bpf") ? ".bpf.o" : "." + target + ".o");
    }

    /**
     * As {@link #compileVariant}, for a program of the runtime's test sources used by another
     * module's tests (its working directory is a sibling of {@code runtime}).
     */
    public static Path compileRuntimeVariant(String name, String variant, String... defines)
            throws IOException, InterruptedException {
        return compile(Path.of("../runtime/src/test/bpf"), name, "bpf", "." + variant + ".bpf.o", defines);
    }

    private static Path compile(String name, String target, String suffix, String... defines)
            throws IOException, InterruptedException {
        return compile(Path.of("src/test/bpf"), name, target, suffix, defines);
    }

    private static synchronized Path compile(Path sources, String name, String target, String suffix, String... defines)
            throws IOException, InterruptedException {
        Path source = sources.resolve(name + ".bpf.c");
        boolean debug = !target.endsWith("-nodebug");
        target = target.replace("-nodebug", "");
        Path object = Files.createDirectories(Path.of("target/test-bpf")).resolve(name + suffix);
        if (Files.exists(object) && Files.getLastModifiedTime(object).compareTo(Files.getLastModifiedTime(source)) > 0) {
            return object;
        }
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("clang", "-O2", debug ? "-g" : "-g0",
                "-target", target, "-Wall", "-I/usr/include/" + arch + "-linux-gnu"));
        command.addAll(java.util.List.of(defines));
        command.addAll(java.util.List.of("-c", source.toString(), "-o", object.toString()));
        run(new ProcessBuilder(command));
        return object;
    }

    private static void run(ProcessBuilder command) throws IOException, InterruptedException {
        Process process = command.redirectErrorStream(true).start();
        // Closing the pipes here, not leaving them to the JDK's reaper thread once the child exits,
        // keeps this process's fd count still for the tests that compare it before and after.
        String output;
        try (var stdout = process.getInputStream(); var stdin = process.getOutputStream();
             var stderr = process.getErrorStream()) {
            output = new String(stdout.readAllBytes());
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command.command()) + " failed:\n" + output);
        }
    }
}
