package dev.bpfglobals.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finding clang, checking its version, and running it. Every failure is one {@link BuildFailure}
 * whose message says what to install or set.
 */
final class Clang {

    /**
     * The oldest clang whose BPF output carries the BTF of global variables (DATASEC and VAR),
     * which the contract check and the loader read.
     */
    static final int MINIMUM_MAJOR = 10;

    private static final Pattern VERSION = Pattern.compile("clang version (\\d+)\\.(\\d+)");
    private static final long TIMEOUT_SECONDS = 120;

    private Clang() {
    }

    /** The output of a finished process. */
    record Result(int exitCode, String output) {
    }

    /**
     * Checks that {@code executable} runs and is clang {@value #MINIMUM_MAJOR} or newer, returning
     * its version line.
     */
    static String checkVersion(String executable) throws BuildFailure {
        Result result;
        try {
            result = run(List.of(executable, "--version"));
        } catch (IOException e) {
            throw new BuildFailure("bpf-globals: cannot run clang ('" + executable + "': " + e.getMessage() + "). Install clang "
                    + MINIMUM_MAJOR + " or newer with libbpf's headers (Debian: apt-get install clang llvm libbpf-dev), or name"
                    + " the executable with <clang> in the plugin's configuration or -Dbpfglobals.clang=PATH.");
        }
        return versionLine(executable, result.output());
    }

    /** The version line of {@code clang --version}'s output, or the failure saying why it will not do. */
    static String versionLine(String executable, String output) throws BuildFailure {
        Matcher version = VERSION.matcher(output);
        if (!version.find()) {
            throw new BuildFailure("bpf-globals: '" + executable + " --version' did not print a clang version: "
                    + output.strip().lines().findFirst().orElse("(nothing)") + ". The plugin needs clang " + MINIMUM_MAJOR
                    + " or newer; name it with <clang> or -Dbpfglobals.clang=PATH.");
        }
        int major = Integer.parseInt(version.group(1));
        String line = output.strip().lines().findFirst().orElse("");
        if (major < MINIMUM_MAJOR) {
            throw new BuildFailure("bpf-globals: " + line + " is too old: clang " + MINIMUM_MAJOR + " or newer is needed for"
                    + " the BTF of global variables, which the contract check and the loader read. Install a newer clang,"
                    + " or name one with <clang> or -Dbpfglobals.clang=PATH.");
        }
        return line;
    }

    /** What a failed compile's output points to, as a sentence to append; empty when nothing is recognised. */
    static String hint(String output) {
        if (output.contains("'asm/types.h' file not found")) {
            return " <asm/types.h> lives in Debian's multiarch directory /usr/include/$(uname -m)-linux-gnu; install"
                    + " linux-libc-dev or add the directory with <includes>.";
        }
        if (output.contains("'bpf/bpf_helpers.h' file not found")) {
            return " <bpf/bpf_helpers.h> comes with libbpf's headers (Debian: apt-get install libbpf-dev).";
        }
        if (output.matches("(?s).*'[^']+\\.h' file not found.*") && output.contains("#include \"")) {
            return " A generated header is missing: the annotation processor did not run, or the record has errors."
                    + " Run it with -proc:full (JDK 23+) or list bpf-globals-processor in annotationProcessorPaths.";
        }
        return "";
    }

    /** Runs {@code command}, stdout and stderr merged. */
    static Result run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream(); var stdout = process.getInputStream()) {
            String output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), output);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
    }
}
