package dev.bpfglobals.skeleton.testing;

import dev.bpfglobals.runtime.testing.BpfObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Mainline's BPF selftests, built at test time from the kernel source {@code bin/kernel-source 7.3}
 * unpacks into the kernel cache (never copied into the repository) with the machine's clang, into
 * {@code target/selftests}. Built once on the host: a VM run of the tests, which sees only the
 * repository, finds the objects there.
 *
 * <p>What the selftests' Makefile would provide and clang 14 on its own does not: libbpf's
 * {@code bpf_helper_defs.h}, which the tree ships as a generator ({@code scripts/bpf_doc.py}) run
 * here; {@code vmlinux.h}, dumped from the running kernel's BTF; and an empty
 * {@code gnu/stubs-32.h}, which glibc's headers ask for when {@code __x86_64__} is not defined, as
 * under {@code -target bpf} (selftests include {@code <string.h>}).
 */
public final class Selftests {

    private static final Path OUT = Path.of("target/selftests");
    private static final String VERSION = "7.3";

    private Selftests() {
    }

    /** {@code progs/NAME.c} of the 7.3 selftests, compiled: {@code target/selftests/NAME.bpf.o}. */
    public static Path compile(String name) throws IOException, InterruptedException {
        return compile(name, source -> source);
    }

    /**
     * As {@link #compile(String)}, from a copy of the source under {@code target/} that {@code edit}
     * changed first (an edit the test names and explains).
     */
    public static synchronized Path compile(String name, java.util.function.UnaryOperator<String> edit)
            throws IOException, InterruptedException {
        Path object = OUT.resolve(name + ".bpf.o");
        if (Files.exists(object)) {
            return object;
        }
        Path tree = tree();
        Path selftests = tree.resolve("tools/testing/selftests/bpf");
        Path copy = Files.createDirectories(OUT.resolve("src")).resolve(name + ".c");
        Files.writeString(copy, edit.apply(Files.readString(selftests.resolve("progs/" + name + ".c"))));
        Path include = includes(tree);
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        List<String> command = new ArrayList<>(List.of("clang", "-O2", "-g", "-target", "bpf", "-D__TARGET_ARCH_x86",
                "-Wno-compare-distinct-pointer-types", "-I" + include, "-I" + BpfObjects.vmlinuxHeader().toAbsolutePath().getParent(),
                "-I/usr/include/" + arch + "-linux-gnu", "-I" + tree.resolve("tools/lib"), "-I" + selftests,
                "-I" + selftests.resolve("progs"), "-I" + tree.resolve("tools/include/uapi"),
                "-c", copy.toString(), "-o", object.toString()));
        run(command, null);
        return object;
    }

    /** target/selftests/include: the generated helper definitions and the empty stubs header. */
    private static Path includes(Path tree) throws IOException, InterruptedException {
        Path include = OUT.resolve("include");
        Path helpers = include.resolve("bpf_helper_defs.h");
        if (!Files.exists(helpers)) {
            Files.createDirectories(include.resolve("gnu"));
            Files.writeString(include.resolve("gnu/stubs-32.h"), "/* empty: glibc asks for it under -target bpf */\n");
            String defs = run(List.of("python3", tree.resolve("scripts/bpf_doc.py").toString(), "--header", "--file",
                    tree.resolve("include/uapi/linux/bpf.h").toString()), tree);
            Files.writeString(helpers, defs);
        }
        return include.toAbsolutePath();
    }

    /** The unpacked 7.3 tree, as bin/kernel-source prints it (downloading it on first use). */
    private static Path tree() throws IOException, InterruptedException {
        String printed = run(List.of("../bin/kernel-source", VERSION), null).strip();
        return Path.of(printed.lines().reduce((first, last) -> last).orElseThrow());
    }

    private static String run(List<String> command, Path directory) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(600, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed");
        }
        return out;
    }
}
