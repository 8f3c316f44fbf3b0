package dev.bpfglobals.processor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the real clang for the BPF target and reads back what it laid out, via llvm-readelf. */
final class Clang {

    /** What clang produced: a command's exit code and its combined output. */
    record Result(int exitCode, String output) {
    }

    /** A section's size and the offsets of the symbols defined in it. */
    record SectionSymbols(long size, Map<String, Long> offsets) {
    }

    private Clang() {
    }

    static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** Compiles {@code source} to {@code object} with clang's BPF target, warnings as errors. */
    static Result compile(Path dir, String source, String object, String... defines) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("clang", "-O2", "-g", "-target", "bpf", "-Wall", "-Werror",
                "-I" + dir, "-I/usr/include/" + multiarch()));
        for (String define : defines) {
            command.add("-D" + define);
        }
        command.addAll(List.of("-c", source, "-o", object));
        return run(dir, command);
    }

    static String multiarch() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64" -> "aarch64-linux-gnu";
            default -> System.getProperty("os.arch") + "-linux-gnu";
        };
    }

    private static final Pattern SECTION_LINE = Pattern.compile(
            "^\\s*\\[\\s*(\\d+)]\\s+(\\S+)\\s+\\S+\\s+[0-9a-f]+\\s+[0-9a-f]+\\s+([0-9a-f]+)\\s");
    private static final Pattern SYMBOL_LINE = Pattern.compile(
            "^\\s*\\d+:\\s+([0-9a-f]+)\\s+\\d+\\s+OBJECT\\s+\\S+\\s+\\S+\\s+(\\d+)\\s+(\\S+)\\s*$");

    /** The size of {@code section} in {@code object} and the st_value of each object symbol in it. */
    static SectionSymbols symbols(Path dir, String object, String section) throws IOException, InterruptedException {
        Result result = run(dir, List.of("llvm-readelf", "-S", "-s", "--wide", object));
        if (result.exitCode() != 0) {
            throw new AssertionError("llvm-readelf failed: " + result.output());
        }
        String index = null;
        long size = -1;
        Map<String, Long> offsets = new HashMap<>();
        for (String line : result.output().split("\n")) {
            Matcher s = SECTION_LINE.matcher(line);
            if (s.find() && s.group(2).equals(section)) {
                index = s.group(1);
                size = Long.parseLong(s.group(3), 16);
            }
            Matcher y = SYMBOL_LINE.matcher(line);
            if (index != null && y.find() && y.group(2).equals(index)) {
                offsets.put(y.group(3), Long.parseLong(y.group(1), 16));
            }
        }
        if (index == null) {
            throw new AssertionError("no section " + section + " in " + object + ":\n" + result.output());
        }
        return new SectionSymbols(size, offsets);
    }

    /**
     * The running kernel's {@code vmlinux.h}, dumped once per build into {@code target/vmlinux} by
     * {@code bpftool btf dump file /sys/kernel/btf/vmlinux format c}, as libbpf-bootstrap programs get it.
     */
    static synchronized Path vmlinuxHeader() throws IOException, InterruptedException {
        Path header = Files.createDirectories(Path.of("target/vmlinux")).toAbsolutePath().resolve("vmlinux.h");
        if (!Files.exists(header)) {
            Path partial = header.resolveSibling("vmlinux.h.partial");
            Process bpftool = new ProcessBuilder("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format", "c")
                    .redirectOutput(partial.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!bpftool.waitFor(60, TimeUnit.SECONDS) || bpftool.exitValue() != 0) {
                throw new AssertionError("bpftool btf dump file /sys/kernel/btf/vmlinux format c failed");
            }
            Files.move(partial, header, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return header;
    }

    static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
