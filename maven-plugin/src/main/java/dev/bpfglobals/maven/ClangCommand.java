package dev.bpfglobals.maven;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The clang command line for one build of one BPF source: the flags every bpf-globals object
 * needs ({@code -g} keeps the BTF that checks and the loader read), the include directories, and
 * {@code -DBPF_GLOBALS_COMPAT} for a compat build. Pure: no process is started here.
 *
 * @param clang       the clang executable
 * @param includes    include directories in search order: the generated headers first
 * @param extraArgs   the user's additional arguments, placed before the source
 */
public record ClangCommand(String clang, List<Path> includes, List<String> extraArgs) {

    /** The flags of every build: optimised (the verifier needs it), BTF on, the BPF target, warnings on. */
    static final List<String> BASE_FLAGS = List.of("-O2", "-g", "-target", "bpf", "-Wall");

    /** Copies the lists, so a command cannot change under its holder. */
    public ClangCommand {
        includes = List.copyOf(includes);
        extraArgs = List.copyOf(extraArgs);
    }

    /**
     * The command line that compiles one source into one object, ready for a {@link ProcessBuilder}.
     *
     * @param source the BPF C source, e.g. {@code src/main/bpf/xdp_stats.bpf.c}
     * @param object the object file to write
     * @param build  which build this is: a compat build adds {@code -DBPF_GLOBALS_COMPAT}
     * @return the clang executable followed by its arguments
     */
    public List<String> arguments(Path source, Path object, BpfMode.Build build) {
        List<String> command = new ArrayList<>();
        command.add(clang);
        command.addAll(BASE_FLAGS);
        if (build.compat()) {
            command.add("-DBPF_GLOBALS_COMPAT");
        }
        for (Path include : includes) {
            command.add("-I" + include);
        }
        command.addAll(extraArgs);
        command.addAll(List.of("-c", source.toString(), "-o", object.toString()));
        return command;
    }

    /**
     * A command line as a user can paste it into a shell, for the log and for error messages.
     *
     * @param arguments the command and its arguments, e.g. from {@link #arguments}
     * @return the arguments as one shell line, each with a space or quote in it single-quoted
     */
    public static String shellLine(List<String> arguments) {
        StringBuilder line = new StringBuilder();
        for (String argument : arguments) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(argument.matches("[A-Za-z0-9_./=:+,@%-]+") ? argument : "'" + argument.replace("'", "'\\''") + "'");
        }
        return line.toString();
    }

    /**
     * Debian's multiarch include directory for the JVM's architecture
     * ({@code /usr/include/$(uname -m)-linux-gnu}), where {@code <asm/types.h>}, which
     * {@code <linux/types.h>} includes, lives: without it clang stops at {@code 'asm/types.h' file not found}.
     *
     * @param osArch the JVM's {@code os.arch}, e.g. {@code amd64}
     * @return the directory, e.g. {@code /usr/include/x86_64-linux-gnu}, whether or not it exists
     */
    public static Path multiarchIncludeDir(String osArch) {
        String machine = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "arm64", "aarch64" -> "aarch64";
            case "x86", "i386", "i486", "i586", "i686" -> "i386";
            case "ppc64le" -> "powerpc64le";
            default -> osArch;
        };
        return Path.of("/usr/include", machine + "-linux-gnu");
    }
}
