package dev.bpfglobals.runtime.internal.kernelenv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The kernel functions a glob ({@code *} any run, {@code ?} one character) names, found as libbpf's
 * kprobe.multi attach finds them: in tracefs' {@code available_filter_functions} (the functions
 * ftrace, hence fprobe, can attach to) where tracefs is mounted, else the function symbols of
 * {@code /proc/kallsyms} (also where tracefs refuses the read, as lockdown does). Each name comes
 * once; functions of modules are left out.
 */
public final class KernelFunctions {

    private static final List<Path> FILTER_FUNCTIONS = List.of(Path.of("/sys/kernel/tracing/available_filter_functions"),
            Path.of("/sys/kernel/debug/tracing/available_filter_functions"));
    private static final Path KALLSYMS = Path.of("/proc/kallsyms");

    private KernelFunctions() {
    }

    /** The names of vmlinux functions matching {@code glob}, in the kernel's order, without duplicates. */
    public static List<String> matching(String glob) {
        for (Path filter : FILTER_FUNCTIONS) {
            try {
                return matching(glob, filter, KernelFunctions::filterFunction);
            } catch (IOException unreadable) {
                // Absent, or refused (lockdown answers EPERM even to root): the next source says.
            }
        }
        try {
            return matching(glob, KALLSYMS, KernelFunctions::kallsymsFunction);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel's function list " + KALLSYMS, e);
        }
    }

    private static List<String> matching(String glob, Path source, java.util.function.Function<String, String> name)
            throws IOException {
        Set<String> names = new LinkedHashSet<>();
        try (Stream<String> lines = Files.lines(source)) {
            lines.map(name).forEach(function -> {
                // ftrace lists functions it lost the address of under this name; they cannot be attached.
                if (function != null && !function.startsWith("__ftrace_invalid_address__") && globMatches(glob, function)) {
                    names.add(function);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return List.copyOf(names);
    }

    /** "name" or "name [module]": the vmlinux name, null for a module's. */
    private static String filterFunction(String line) {
        return line.indexOf(' ') >= 0 || line.isEmpty() ? null : line;
    }

    /** "address type name [module]": the name of a vmlinux text symbol (t or T), else null. */
    private static String kallsymsFunction(String line) {
        String[] fields = line.split("\\s+");
        if (fields.length != 3 || !(fields[1].equals("t") || fields[1].equals("T"))) {
            return null;
        }
        return fields[2];
    }

    /** libbpf's {@code glob_match}: {@code *} matches any run of characters, {@code ?} any one. */
    public static boolean globMatches(String glob, String name) {
        int g = 0;
        int n = 0;
        int starG = -1;
        int starN = 0;
        while (n < name.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == name.charAt(n))) {
                g++;
                n++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                starG = g++;
                starN = n;
            } else if (starG >= 0) {
                g = starG + 1;
                n = ++starN;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }
}
